import FluentKit

/// Credentials of connected systems (A1): app id and a hashed secret, owned by an enterprise
/// or a lower-level platform's division. Applying, approving and rotating come with platform access.
struct CreateAppCredential: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("app_credentials")
            .id()
            .field("app_id", .string, .required)
            .field("name", .string, .required)
            .field("secret_hash", .string, .required)
            .field("enterprise_id", .uuid, .references("enterprises", "id"))
            .field("division_code", .string)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "app_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("app_credentials").delete()
    }
}
