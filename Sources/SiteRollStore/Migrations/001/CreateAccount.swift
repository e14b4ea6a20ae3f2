import FluentKit

/// People's accounts (S1). A regulator account has a division; an enterprise account an
/// enterprise; a worker account a worker. Lock-out state lives here so that every process sees it.
struct CreateAccount: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("accounts")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("division_code", .string)
            .field("enterprise_id", .uuid, .references("enterprises", "id"))
            .field("worker_id", .uuid, .references("workers", "id"))
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .field("must_change_password", .bool, .required)
            .field("failed_attempts", .int, .required)
            .field("locked_until", .datetime)
            .field("last_login_at", .datetime)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .unique(on: "username")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("accounts").delete()
    }
}
