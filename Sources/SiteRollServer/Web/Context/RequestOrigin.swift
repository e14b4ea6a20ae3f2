import Hummingbird
import NIOCore

/// Where a request came from, for the sign-in throttle (S1). Set by `RequestOriginMiddleware` for
/// every request, as a task-local because the generated `/api/v1` handlers receive no context.
enum RequestOrigin {
    @TaskLocal static var address: String = "unknown"
}

/// Reads the peer address of the connection, or — only when configured to sit behind a proxy
/// that sets it (`http.trust-forwarded-for`) — the last address of `X-Forwarded-For`, which is the
/// one the trusted proxy added. A client's own `X-Forwarded-For` is ignored otherwise.
struct RequestOriginMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustForwardedFor: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var address = context.peerAddress
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor] {
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces) ?? ""
            if !last.isEmpty, last.count <= 64 { address = last }
        }
        return try await RequestOrigin.$address.withValue(address) { try await next(request, context) }
    }
}
