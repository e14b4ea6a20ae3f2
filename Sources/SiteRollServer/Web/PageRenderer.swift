import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// One item of a console's navigation.
struct NavItem: Sendable {
    var label: String
    var href: String
    var active: Bool
    /// The phone's bottom bar only: an SVG path in a 24 × 24 box.
    var icon = ""
}

/// The signed-in person, as the layout's header shows them.
struct HeaderAccount: Sendable {
    var displayName: String
    var roleName: String
    var reach: String
}

/// What the layout needs besides the page's own content.
struct Layout: Sendable {
    var audience: Audience
    var title: String
    var account: HeaderAccount?
    var csrfToken: String?
    var nav: [NavItem]
    /// A form's one-time notice, shown once under the title (`Flash`).
    var flash: Flash? = nil
}

/// Renders a page template into the shared layout. Templates are Mustache files shipped as
/// resources (`Web/Templates`); a page is a view model plus a view (STYLE.md).
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> PageRenderer {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw AppError(.internalServerError, code: "TEMPLATES_MISSING", message: "页面模板缺失")
        }
        return PageRenderer(library: try await MustacheLibrary(directory: directory))
    }

    func html(_ template: String, _ content: Any, layout: Layout, status: HTTPResponse.Status = .ok) -> Response {
        let body = library.render(content, withTemplate: template) ?? ""
        let page = LayoutModel(
            title: layout.title, siteTitle: layout.audience.title, base: layout.audience.basePath,
            isMobile: layout.audience == .mobile, account: layout.account, csrf: layout.csrfToken ?? "",
            nav: layout.nav, body: body, logoutPath: layout.audience.basePath + "/logout", flash: layout.flash?.view)
        let html = library.render(page, withTemplate: "layout") ?? body
        return Self.htmlResponse(html, status: status)
    }

    /// A page without the console layout (login pages carry their own frame).
    func bare(_ template: String, _ content: Any, status: HTTPResponse.Status = .ok) -> Response {
        Self.htmlResponse(library.render(content, withTemplate: template) ?? "", status: status)
    }

    /// Every script, style and image comes from SiteRoll itself (S1): no inline script or style
    /// attribute in the templates, so an injected one does not run. Images may also be `data:` and
    /// `blob:` URLs (the registration form shows the photos it shrank in the browser).
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

    static func htmlResponse(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.xFrameOptions] = "DENY"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.referrerPolicy] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

private struct LayoutModel {
    var title: String
    var siteTitle: String
    var base: String
    var isMobile: Bool
    var account: HeaderAccount?
    var csrf: String
    var nav: [NavItem]
    var body: String
    var logoutPath: String
    var flash: Flash.View?
}
