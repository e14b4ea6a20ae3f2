import FluentKit

/// Enterprises (Corp in the national standard, b.6). Real-name verification (issue 3) adds the rest.
struct CreateEnterprise: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("enterprises")
            .id()
            .field("name", .string, .required)
            .field("credit_code", .string, .required)
            .field("division_code", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "credit_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("enterprises").delete()
    }
}
