import Foundation
import Hummingbird
import OpenAPIRuntime
import SiteRollCore

/// The caller of an `/api/v1` operation. The generated handlers receive no Hummingbird context,
/// so the bearer middleware puts the resolved identity in a task-local for the operation's task;
/// the scope is derived exactly as for the consoles (`AccountSnapshot.scope`).
enum APIIdentity {
    @TaskLocal static var current: SessionIdentity?

    static func requireAccount() throws -> AccountSnapshot {
        guard let identity = current else { throw AppError.invalidToken }
        guard let account = identity.account else {
            throw AppError(.forbidden, code: "APP_TOKEN_NOT_ALLOWED", message: "接入系统令牌不能执行此操作，请使用个人账号登录")
        }
        return account
    }

    static func requireScope() throws -> AccessScope {
        let account = try requireAccount()
        guard let scope = account.scope else { throw AppError.forbidden }
        return scope
    }

    static func requireAny() throws -> SessionIdentity {
        guard let identity = current else { throw AppError.invalidToken }
        return identity
    }
}

/// Resolves `Authorization: Bearer …` for `/api/v1`. A malformed or unknown token is refused at
/// once, even on operations that do not need one, so that a client learns its token is bad.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: SessionService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
            let identity = try await sessions.resolve(token: String(parts[1]), channels: [.api, .app])
        else { throw AppError.invalidToken }
        var context = context
        context.identity = identity
        return try await APIIdentity.$current.withValue(identity) { try await next(request, context) }
    }
}

/// RFC 3339 dates with or without fractional seconds: gate devices send both. Encodes without.
/// Format styles are values (no formatter objects per call): a device batch decodes 500 dates.
struct LenientISO8601Transcoder: DateTranscoder {
    static let plain = Date.ISO8601FormatStyle()
    static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    func encode(_ date: Date) throws -> String { Self.plain.format(date) }

    func decode(_ text: String) throws -> Date {
        if let date = try? Self.plain.parse(text) { return date }
        if let date = try? Self.fractional.parse(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: [], debugDescription: "Expected an RFC 3339 date-time: \(text)"))
    }
}
