import FluentKit

/// Platform-wide facts that must survive restarts and be shared by processes, such as whether
/// the demo data has been loaded.
struct CreateSetting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("settings").delete()
    }
}
