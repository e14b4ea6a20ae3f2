import AsyncHTTPClient
import Foundation
import NIOCore

/// The identity authority over HTTP (docs/identity-authority.md): `POST {base}/v1/verifications`
/// with a JSON body and a bearer key; a JSON verdict back. Timeouts and 5xx are "try later".
public struct HTTPIdentityAuthority: IdentityAuthority {
    let http: JSONHTTPClient

    /// `baseURL` is resolved per call, so that a simulator bound to an ephemeral port can be found once it runs.
    public init(
        baseURL: @escaping @Sendable () -> String?, apiKey: String?, timeout: TimeAmount = .seconds(10),
        client: HTTPClient = .shared
    ) {
        // The contract lists no Accept header; answers are read up to 1 MB.
        http = JSONHTTPClient(
            baseURL: { baseURL() }, apiKey: apiKey, timeout: timeout, maxAnswerBytes: 1 << 20, sendsAccept: false,
            client: client)
    }

    public func verify(_ request: IdentityCheckRequest) async throws(IdentityAuthorityError) -> IdentityCheckResult {
        let result: IdentityCheckResult
        do throws(JSONHTTPClient.Failure) {
            result = try await http.post("v1/verifications", request, requestID: request.requestId)
        } catch {
            switch error {
            case .notConfigured: throw .notConfigured
            case .timeout: throw .timeout
            case .unavailable(let status): throw .unavailable(status: status)
            case .malformedAnswer: throw .malformedAnswer
            case .refused(let status, let body):
                throw .rejected(status: status, reason: String(decoding: body, as: UTF8.self).prefix(200).description)
            }
        }
        guard result.requestId == request.requestId else { throw .malformedAnswer }
        return result
    }
}
