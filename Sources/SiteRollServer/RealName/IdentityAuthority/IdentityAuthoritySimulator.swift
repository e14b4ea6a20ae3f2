import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A simulator of the identity authority speaking exactly the HTTP contract of
/// docs/identity-authority.md, driven by a file of test identities. Every answer says
/// `"simulated": true` and carries `X-Simulator: SiteRoll`, so nothing downstream can mistake
/// it for a real check.
///
/// Identities file (UTF-8, tab-separated, `#` comments): `idNumber  name  [verdict]  [portrait-sha256]`.
/// Verdict is `match` (default), `portrait_mismatch`, `timeout` (answer after 30 s) or `error`
/// (answer 503). A number not in the file is `not_found`; another name is `name_mismatch`; a
/// portrait-sha256 other than `*` must equal the SHA-256 of the decoded portrait. A line
/// `*  *  match` makes every number not listed match whatever name it comes with: the demo uses
/// it so that a newcomer can register with any well-formed number.
public struct IdentityAuthoritySimulator: Sendable {
    public struct Identity: Sendable, Equatable {
        public var idNumber: String
        public var name: String
        public var behaviour: String
        public var portraitSHA256: String?
    }

    public let identities: [String: Identity]
    public static let authorityName = "模拟身份核验服务（SiteRoll 模拟器）"

    public init(identities: [Identity]) {
        self.identities = Dictionary(identities.map { ($0.idNumber.uppercased(), $0) }, uniquingKeysWith: { $1 })
    }

    public static func parse(_ text: String) -> IdentityAuthoritySimulator {
        let identities = text.split(separator: "\n").compactMap { line -> Identity? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let fields = trimmed.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2 else { return nil }
            let sha = fields.count > 3 && fields[3] != "*" ? fields[3].lowercased() : nil
            return Identity(
                idNumber: fields[0], name: fields[1], behaviour: fields.count > 2 ? fields[2] : "match",
                portraitSHA256: sha)
        }
        return IdentityAuthoritySimulator(identities: identities)
    }

    /// The answer to one request, or nil for "do not answer" behaviours handled by the caller.
    func answer(_ request: IdentityCheckRequest) -> IdentityCheckResult {
        func result(_ verdict: IdentityCheckResult.Verdict, _ score: Int) -> IdentityCheckResult {
            IdentityCheckResult(
                requestId: request.requestId, verdict: verdict, portraitScore: score, authority: Self.authorityName,
                simulated: true)
        }
        guard let identity = identities[request.idNumber.uppercased()] else {
            return identities["*"]?.behaviour == "match" ? result(.match, 90) : result(.notFound, 0)
        }
        guard identity.name == request.name else { return result(.nameMismatch, 0) }
        if identity.behaviour == "portrait_mismatch" { return result(.portraitMismatch, 31) }
        if let expected = identity.portraitSHA256 {
            let actual = Data(base64Encoded: request.portrait).map {
                SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined()
            }
            if actual != expected { return result(.portraitMismatch, 42) }
        }
        return result(.match, 96)
    }

    /// Mounts `POST /v1/verifications` and `GET /health`.
    public func addRoutes(to router: Router<BasicRequestContext>, logger: Logger) {
        router.post("v1/verifications") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            guard let check = try? JSONDecoder().decode(IdentityCheckRequest.self, from: Data(buffer: body)) else {
                return Self.json(.badRequest, #"{"error":"请求格式不正确"}"#)
            }
            let behaviour = identities[check.idNumber.uppercased()]?.behaviour
            logger.info(
                "simulated identity check",
                metadata: ["requestId": "\(check.requestId)", "behaviour": "\(behaviour ?? "not_found")"])
            if behaviour == "error" { return Self.json(.serviceUnavailable, #"{"error":"模拟器：服务暂不可用"}"#) }
            if behaviour == "timeout" { try await Task.sleep(for: .seconds(30)) }
            let data = try JSONEncoder().encode(answer(check))
            return Self.json(.ok, String(decoding: data, as: UTF8.self))
        }
        router.get("health") { _, _ in Self.json(.ok, #"{"status":"ok","simulated":true}"#) }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .xSimulator: "SiteRoll"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension IdentityAuthoritySimulator {
    /// The demo's identities: the demo workers, and any other well-formed number matches.
    static let demoIdentities = "*\t*\tmatch\n"

    /// This simulator served over HTTP: on an ephemeral loopback port inside `siteroll serve --demo`
    /// (when no authority is configured) and the tests, so that they exercise the same HTTP path as
    /// production; on the given port under `siteroll simulate identity-authority`.
    package func loopback(host: String = "127.0.0.1", port: Int = 0, logger: Logger) -> LoopbackSimulator {
        LoopbackSimulator(
            serverName: "SiteRoll-Simulator",
            announcement: "identity authority SIMULATOR listening (answers are simulated)",
            host: host, port: port, logger: logger
        ) { addRoutes(to: $0, logger: logger) }
    }
}
