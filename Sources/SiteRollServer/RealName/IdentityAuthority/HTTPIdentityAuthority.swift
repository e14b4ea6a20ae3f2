import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The identity authority over HTTP (docs/identity-authority.md): `POST {base}/v1/verifications`
/// with a JSON body and a bearer key; a JSON verdict back. Timeouts and 5xx are "try later".
public struct HTTPIdentityAuthority: IdentityAuthority {
    /// Resolved per call, so that a simulator bound to an ephemeral port can be found once it runs.
    let baseURL: @Sendable () -> String?
    let apiKey: String?
    let timeout: TimeAmount
    let client: HTTPClient

    public init(
        baseURL: @escaping @Sendable () -> String?, apiKey: String?, timeout: TimeAmount = .seconds(10),
        client: HTTPClient = .shared
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.client = client
    }

    public func verify(_ request: IdentityCheckRequest) async throws(IdentityAuthorityError) -> IdentityCheckResult {
        guard let base = baseURL(), !base.isEmpty else { throw .notConfigured }
        var http = HTTPClientRequest(url: base.trimmingSuffix("/") + "/v1/verifications")
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "X-Request-Id", value: request.requestId)
        if let apiKey { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        do {
            http.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(request)))
        } catch {
            throw .malformedAnswer
        }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(http, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw .timeout
        } catch {
            throw .unavailable(status: 0)
        }
        switch response.status.code {
        case 200:
            guard let result = try? JSONDecoder().decode(IdentityCheckResult.self, from: Data(buffer: body)),
                result.requestId == request.requestId
            else { throw .malformedAnswer }
            return result
        case 500...599:
            throw .unavailable(status: Int(response.status.code))
        default:
            throw .rejected(status: Int(response.status.code), reason: String(buffer: body).prefix(200).description)
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
