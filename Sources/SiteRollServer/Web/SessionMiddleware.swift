import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SiteRollStore

/// Resolves the console cookie of the audience a path belongs to, and checks the CSRF token of
/// every form post before any handler sees it. This is the one place consoles authenticate.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: SessionService

    static let loginCSRFCookie = "siteroll_csrf"
    /// Forms carry identity card images as Base64 (each shrunk in the browser to well under 1 MB).
    static let maxFormBytes = 4 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let audience = Self.audience(of: request.uri.path) else { return try await next(request, context) }
        var context = context
        var request = request
        context.audience = audience
        context.requestPath = request.uri.path
        if let token = request.cookies[audience.cookieName]?.value {
            context.identity = try await sessions.resolve(token: token, channels: [.console])
        }
        if request.method == .post {
            let body = try await request.collectBody(upTo: Self.maxFormBytes)
            let form = FormFields(body: body)
            let expected = context.identity?.csrfToken ?? request.cookies[Self.loginCSRFCookie]?.value
            guard let expected, let given = form["_csrf"], Self.constantTimeEqual(expected, given) else {
                throw AppError.csrfFailed
            }
        }
        // A one-time or administrator-set initial password opens only the password page (S1).
        if let account = context.identity?.account, account.mustChangePassword, account.role.kind == audience.kind,
            request.method == .get, !Self.allowedBeforePasswordChange(request.uri.path, audience: audience)
        {
            return Response(status: .seeOther, headers: [.location: audience.basePath + "/password"])
        }
        return try await next(request, context)
    }

    static func allowedBeforePasswordChange(_ path: String, audience: Audience) -> Bool {
        path == audience.basePath + "/password" || path == audience.loginPath
    }

    /// The CSRF token for a form shown before any session exists (login, registration), and the
    /// `Set-Cookie` value that pairs it with the browser (double-submit).
    static func formToken(for request: Request, secure: Bool) -> (token: String, setCookie: String) {
        let token = request.cookies[loginCSRFCookie]?.value ?? Digest.randomToken(byteCount: 24)
        return (token, "\(loginCSRFCookie)=\(token); Path=/; HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")")
    }

    static func audience(of path: String) -> Audience? {
        Audience.allCases.first { path == $0.basePath || path.hasPrefix($0.basePath + "/") }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// `application/x-www-form-urlencoded` fields. Repeated names keep the last value.
struct FormFields: Sendable {
    private(set) var values: [String: String] = [:]

    init(body: ByteBuffer) {
        let text = String(buffer: body)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first else { continue }
            let name = Self.decode(String(rawName))
            let value = parts.count > 1 ? Self.decode(String(parts[1])) : ""
            values[name] = value
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    func text(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    private static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    static func read(_ request: Request, limit: Int = ConsoleSessionMiddleware.maxFormBytes) async throws -> FormFields
    {
        var request = request
        return FormFields(body: try await request.collectBody(upTo: limit))
    }
}
