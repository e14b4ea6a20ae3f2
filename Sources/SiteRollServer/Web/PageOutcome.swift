import Hummingbird

/// How a console form's POST answers (one place for every subsystem), post-redirect-get
/// (issue 14 item 5): the change runs and the browser is sent (303) to the page that shows the
/// result, with a one-time notice (`Flash`), so a refresh never submits twice; a refusal comes
/// back as the page with the Chinese reasons beside the form and what was typed. A refusal is
/// never a 500; a 404 stays a 404 (the thing is not within reach).
enum PageOutcome {
    static func respond(
        to location: String, _ change: () async throws -> Flash, refused: (AppError) async throws -> Response
    ) async throws -> Response {
        let flash: Flash
        do {
            flash = try await change()
        } catch let error as AppError where error.status != .notFound {
            return try await refused(error)
        }
        return redirect(to: location, flash)
    }

    /// 303 See Other to `location`, carrying `flash` to the session for the next page.
    static func redirect(to location: String, _ flash: Flash? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let value = flash?.headerValue { response.headers[Flash.header] = value }
        return response
    }
}

extension Flash: ExpressibleByStringInterpolation {
    init(stringLiteral value: String) { self.init(value) }
}
