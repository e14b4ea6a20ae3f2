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
    /// Forms carry identity card images as Base64 (each shrunk in the browser to well under 1 MB),
    /// contract scans and roster files (multipart, each limited again by its own rule).
    static let maxFormBytes = 12 << 20

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
            let form = FormFields(body: body, contentType: request.headers[.contentType])
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
        var response = try await next(request, context)
        try await passFlash(&response, request: request, identity: context.identity)
        return response
    }

    /// Post-redirect-get (issue 14 item 5): a form's redirect hands its one-time message over in
    /// an internal header, kept in the session (never sent on); the next page the layout renders
    /// shows it, and it is cleared once that page has gone out.
    private func passFlash(_ response: inout Response, request: Request, identity: SessionIdentity?) async throws {
        if let value = response.headers[Flash.header] {
            response.headers[Flash.header] = nil
            if let identity, let flash = Flash(headerValue: value) {
                try await sessions.leave(flash, for: identity.sessionID)
            }
            return
        }
        if let identity, identity.flash != nil, request.method == .get, response.status == .ok,
            response.headers[.contentType]?.hasPrefix("text/html") == true
        {
            try await sessions.clearFlash(of: identity.sessionID)
        }
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

/// `application/x-www-form-urlencoded` or `multipart/form-data` fields. Repeated names keep the
/// last value in `values` and every value in `all`; files of a multipart form are in `files`.
struct FormFields: Sendable {
    private(set) var values: [String: String] = [:]
    private(set) var all: [String: [String]] = [:]
    private(set) var files: [String: UploadedFile] = [:]

    init(body: ByteBuffer, contentType: String? = nil) {
        if let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.boundary(of: contentType)
        {
            for part in MultipartParts.split(Array(buffer: body), boundary: boundary) {
                if let fileName = part.fileName {
                    if !fileName.isEmpty || !part.body.isEmpty {
                        // A file name is kept for display: without control characters (NUL among them).
                        let shown = String(
                            String.UnicodeScalarView(
                                fileName.unicodeScalars.filter { $0.properties.generalCategory != .control }))
                        files[part.name] = UploadedFile(
                            fileName: shown, contentType: part.contentType ?? "application/octet-stream",
                            data: Data(part.body))
                    }
                } else {
                    let value = String(decoding: part.body, as: UTF8.self)
                    values[part.name] = value
                    all[part.name, default: []].append(value)
                }
            }
            return
        }
        let text = String(buffer: body)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first else { continue }
            let name = Self.decode(String(rawName))
            let value = parts.count > 1 ? Self.decode(String(parts[1])) : ""
            values[name] = value
            all[name, default: []].append(value)
        }
    }

    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 200 ? nil : value
            }
        }
        return nil
    }

    subscript(_ name: String) -> String? {
        RequestFieldLog.note(name)
        return values[name]
    }

    func text(_ name: String) -> String {
        RequestFieldLog.note(name)
        return (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    static func read(_ request: Request, limit: Int = ConsoleSessionMiddleware.maxFormBytes) async throws -> FormFields
    {
        var request = request
        let form = FormFields(
            body: try await request.collectBody(upTo: limit), contentType: request.headers[.contentType])
        // PostgreSQL stores no NUL character in text, and no person types one: refuse the form
        // instead of failing the insert with a 500 (S1).
        if form.values.contains(where: { $0.key.contains("\u{0}") || $0.value.contains("\u{0}") }) {
            throw RequestBounds.controlCharacter
        }
        return form
    }
}

/// The parts of a `multipart/form-data` body (RFC 7578): just what browsers send.
enum MultipartParts {
    struct Part {
        var name: String
        var fileName: String?
        var contentType: String?
        var body: ArraySlice<UInt8>
    }

    static func split(_ bytes: [UInt8], boundary: String) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var cursor = find(delimiter, in: bytes, from: 0)
        while let start = cursor {
            var position = start + delimiter.count
            if bytes[position...].starts(with: Array("--".utf8)) { break }
            if bytes[position...].starts(with: [13, 10]) { position += 2 }
            guard let headerEnd = find([13, 10, 13, 10], in: bytes, from: position),
                let next = find([13, 10] + delimiter, in: bytes, from: headerEnd + 4)
            else { break }
            let headers = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            if let part = part(headers: headers, body: bytes[(headerEnd + 4)..<next]) { parts.append(part) }
            cursor = next + 2
        }
        return parts
    }

    private static func part(headers: String, body: ArraySlice<UInt8>) -> Part? {
        var name: String?
        var fileName: String?
        var contentType: String?
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let field = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { contentType = value }
            guard field == "content-disposition" else { continue }
            for parameter in value.split(separator: ";").dropFirst() {
                let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2 else { continue }
                let unquoted =
                    kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"") && kv[1].count >= 2
                    ? String(kv[1].dropFirst().dropLast()) : kv[1]
                if kv[0].lowercased() == "name" { name = unquoted }
                if kv[0].lowercased() == "filename" { fileName = unquoted }
            }
        }
        guard let name else { return nil }
        return Part(name: name, fileName: fileName, contentType: contentType, body: body)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
