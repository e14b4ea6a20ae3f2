import Hummingbird

/// How a console form's POST answers (one place for every subsystem): the change runs, and the
/// page comes back with its notice, or with the refusal's Chinese reasons above the form. A
/// refusal is never a 500; a 404 stays a 404 (the thing is not within reach).
enum PageOutcome {
    static func respond(
        _ change: () async throws -> String, page: (AppError?, String?) async throws -> Response
    ) async throws -> Response {
        do {
            let notice = try await change()
            return try await page(nil, notice)
        } catch let error as AppError where error.status != .notFound {
            return try await page(error, nil)
        }
    }
}
