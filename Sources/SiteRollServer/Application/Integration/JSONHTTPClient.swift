import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// JSON over HTTP to an external system, written once: `POST {base}/{path}` with a JSON body, a
/// request id, a bearer key when one is configured, a timeout and a ceiling on the answer's size;
/// a `200` is decoded as the contract's JSON. Everything else is sorted into `Failure`, which each
/// integration maps onto its own error (the identity authority's `rejected`, the bank's `refused`
/// …), so that "try later" and "refused" mean the same on every external system.
///
/// Used by `HTTPIdentityAuthority` and `HTTPBankGateway`; the upper-platform and national-platform
/// clients take the same shape. The base URL is resolved per call, so that a simulator bound to an
/// ephemeral loopback port (`LoopbackSimulator`) is found once it runs.
struct JSONHTTPClient: Sendable {
    let baseURL: @Sendable () async -> String?
    /// Sent as `Authorization: Bearer {key}` when present and not empty.
    let apiKey: String?
    let timeout: TimeAmount
    /// A longer answer is not read: `.unavailable(status: 0)`, as if the connection had broken.
    let maxAnswerBytes: Int
    /// Whether calls carry `Accept: application/json`. The bank's contract sends it; the identity
    /// authority's contract (docs/identity-authority.md) lists no such header, and keeps it so.
    let sendsAccept: Bool
    let client: HTTPClient

    init(
        baseURL: @escaping @Sendable () async -> String?, apiKey: String?, timeout: TimeAmount,
        maxAnswerBytes: Int = 1 << 20, sendsAccept: Bool = true, client: HTTPClient = .shared
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxAnswerBytes = maxAnswerBytes
        self.sendsAccept = sendsAccept
        self.client = client
    }

    /// Why a call gave no usable answer.
    enum Failure: Error, Sendable, Equatable {
        /// No base URL (none configured, or the simulator not yet listening).
        case notConfigured
        /// No answer within the timeout.
        case timeout
        /// No connection, a broken one or an oversized answer (status 0), or a 5xx.
        case unavailable(status: Int)
        /// A 200 whose body is not the expected JSON (or a body that would not encode).
        case malformedAnswer
        /// Any other status: the system refused the request. `body` is what it said, as received.
        case refused(status: Int, body: Data)
    }

    /// The error body the contracts share: a stable code and a Chinese message.
    struct ErrorBody: Decodable, Sendable, Equatable {
        var code: String
        var message: String

        /// What a refusal's body says, when it is this JSON.
        static func decode(_ body: Data) -> ErrorBody? { try? JSONDecoder().decode(ErrorBody.self, from: body) }
    }

    /// A request id unique to one call, for contracts where the caller has none of its own.
    static func newRequestID() -> String {
        "SR" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
    }

    /// POSTs `body` as JSON to `{base}/{path}` and decodes the `200` answer as `Answer`.
    func post<Body: Encodable, Answer: Decodable>(
        _ path: String, _ body: Body, requestID: String = Self.newRequestID(), as _: Answer.Type = Answer.self
    ) async throws(Failure) -> Answer {
        let data = try await send(path, body, requestID: requestID)
        guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else { throw .malformedAnswer }
        return answer
    }

    /// POSTs `body` as JSON and answers the body of a `200`, undecoded.
    private func send<Body: Encodable>(_ path: String, _ body: Body, requestID: String) async throws(Failure) -> Data {
        guard let base = await baseURL(), !base.isEmpty else { throw .notConfigured }
        var http = HTTPClientRequest(url: (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/" + path)
        http.method = .POST
        // The order is the contracts' (docs/identity-authority.md, docs/bank-gateway.md).
        http.headers.add(name: "Content-Type", value: "application/json")
        if sendsAccept { http.headers.add(name: "Accept", value: "application/json") }
        http.headers.add(name: "X-Request-Id", value: requestID)
        if let apiKey, !apiKey.isEmpty { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        do {
            http.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        } catch {
            throw .malformedAnswer
        }
        let response: HTTPClientResponse
        let answer: ByteBuffer
        do {
            response = try await client.execute(http, timeout: timeout)
            answer = try await response.body.collect(upTo: maxAnswerBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw .timeout
        } catch {
            throw .unavailable(status: 0)
        }
        switch response.status.code {
        case 200: return Data(buffer: answer)
        case 500...599: throw .unavailable(status: Int(response.status.code))
        default: throw .refused(status: Int(response.status.code), body: Data(buffer: answer))
        }
    }
}
