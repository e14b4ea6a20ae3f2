import Foundation
import HTTPTypes
import Hummingbird
import SiteRollCore
import SiteRollStore

/// Login, logout and own-password pages of the three consoles (S1).
struct ConsoleAuthController: Sendable {
    let accounts: AccountService
    let pages: PageRenderer
    let navigation: Navigation
    let secureCookies: Bool
    let sessionLifetime: TimeInterval

    func addRoutes(to router: Router<AppRequestContext>) {
        for audience in Audience.allCases {
            /// Shows the login form, with a fresh CSRF cookie for it.
            router.get(RouterPath(audience.loginPath)) { request, context in
                if let account = context.identity?.account, account.role.kind == audience.kind {
                    return Response(status: .seeOther, headers: [.location: audience.basePath])
                }
                return loginPage(audience, request: request, error: nil, username: "")
            }
            /// Checks the password, opens a session and goes where the person was headed.
            router.post(RouterPath(audience.loginPath)) { request, context in
                let form = try await FormFields.read(request)
                do {
                    let signedIn = try await accounts.login(
                        username: form.text("username"), password: form["password"] ?? "", channel: .console,
                        expectedKind: audience.kind, deviceToken: request.cookies[Self.deviceCookie]?.value)
                    var headers = HTTPFields()
                    headers[.location] = Self.safeReturn(form.text("returnTo"), audience: audience)
                    headers.append(
                        HTTPField(
                            name: .setCookie,
                            value: sessionCookie(audience, value: signedIn.session.token, maxAge: Int(sessionLifetime)))
                    )
                    if let device = signedIn.deviceToken {
                        // A year: the browser stays known to the account's throttle (S1).
                        headers.append(
                            HTTPField(
                                name: .setCookie,
                                value:
                                    "\(Self.deviceCookie)=\(device); Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"
                                    + (secureCookies ? "; Secure" : "")))
                    }
                    return Response(status: .seeOther, headers: headers)
                } catch let error as AppError {
                    return loginPage(audience, request: request, error: error, username: form.text("username"))
                }
            }
            /// Ends the session and clears the cookie.
            router.post(RouterPath(audience.basePath + "/logout")) { _, context in
                if let identity = context.identity { try await accounts.logout(identity) }
                var headers = HTTPFields()
                headers[.location] = audience.loginPath
                headers[.setCookie] = sessionCookie(audience, value: "", maxAge: 0)
                return Response(status: .seeOther, headers: headers)
            }
            /// The own-password form.
            router.get(RouterPath(audience.basePath + "/password")) { request, context in
                let (identity, _) = try requireAccount(context, audience: audience)
                return passwordPage(audience, identity: identity, path: request.uri.path, error: nil)
            }
            /// Changes the own password.
            router.post(RouterPath(audience.basePath + "/password")) { request, context in
                let (identity, _) = try requireAccount(context, audience: audience)
                let form = try await FormFields.read(request)
                return try await PageOutcome.respond(to: audience.basePath + "/password") {
                    try await accounts.changePassword(
                        of: identity, current: form["current"] ?? "", new: form["new"] ?? "",
                        confirmation: form["confirm"] ?? "")
                    return "密码已修改，您在其他设备上的登录已退出。"
                } refused: { error in
                    passwordPage(audience, identity: identity, path: request.uri.path, error: error)
                }
            }
        }
    }

    /// The cookie that marks a browser an account signed in from (`LoginThrottle`).
    static let deviceCookie = "siteroll_device"

    /// Only paths inside the same console: never an absolute URL (no open redirect).
    static func safeReturn(_ text: String, audience: Audience) -> String {
        let decoded = text.removingPercentEncoding ?? ""
        if decoded.hasPrefix(audience.basePath), !decoded.hasPrefix("//"), !decoded.contains("://"),
            !decoded.hasPrefix(audience.loginPath)
        {
            return decoded
        }
        return audience.basePath
    }

    private func sessionCookie(_ audience: Audience, value: String, maxAge: Int) -> String {
        "\(audience.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(secureCookies ? "; Secure" : "")"
    }

    private func loginPage(_ audience: Audience, request: Request, error: AppError?, username: String) -> Response {
        struct Link {
            var label: String
            var href: String
        }
        struct LoginModel {
            var siteTitle: String
            var audienceHint: String
            var isMobile: Bool
            var isCorp: Bool
            var action: String
            var csrf: String
            var returnTo: String
            var username: String
            var usernameLabel: String
            var error: AppError?
            var others: [Link]
        }
        let (csrf, cookie) = ConsoleSessionMiddleware.formToken(for: request, secure: secureCookies)
        let hint =
            switch audience {
            case .gov: "住房和城乡建设主管部门监管人员登录"
            case .corp: "建筑用工企业、承包企业登录"
            case .mobile: "建筑工人登录"
            }
        let others = Audience.allCases.filter { $0 != audience }.map {
            Link(label: $0 == .gov ? "监管平台" : $0 == .corp ? "企业系统" : "工人手机端", href: $0.loginPath)
        }
        let model = LoginModel(
            siteTitle: audience.title, audienceHint: hint, isMobile: audience == .mobile, isCorp: audience == .corp,
            action: audience.loginPath,
            csrf: csrf, returnTo: RequestQuery(request).text("returnTo", max: 500), username: username,
            usernameLabel: audience == .mobile ? "手机号（或用户名）" : "用户名",
            error: error, others: others)
        var response = pages.bare("login", model, status: error?.status ?? .ok)
        response.headers[.setCookie] = cookie
        return response
    }

    private func passwordPage(
        _ audience: Audience, identity: SessionIdentity, path: String, error: AppError?
    )
        -> Response
    {
        struct PasswordModel {
            var base: String
            var csrf: String
            var error: AppError?
            var mustChange: Bool
        }
        return pages.html(
            "password",
            PasswordModel(
                base: audience.basePath, csrf: identity.csrfToken, error: error,
                mustChange: identity.account?.mustChangePassword == true),
            layout: navigation.layout(audience, title: "修改密码", identity: identity, current: path),
            status: error?.status ?? .ok)
    }
}
