import FluentKit

/// A one-time message for a console session (issue 14 item 5, post-redirect-get): a form's POST
/// leaves its notice here and redirects; the next page shows it once and clears it. Sealed with
/// the data key, because it may carry a secret shown once or an import's row report.
struct UpdateSessionAddFlash: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions").field("flash", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").deleteField("flash").update()
    }
}
