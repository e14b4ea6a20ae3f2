import FluentKit

/// Workers (WorkerMaster). The identity number is stored encrypted with a keyed hash beside it
/// for lookups and uniqueness (S2, DESIGN.md data conventions): one person is one worker record.
struct CreateWorker: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("workers")
            .id()
            .field("name", .string, .required)
            .field("id_number_cipher", .string, .required)
            .field("id_number_hmac", .string, .required)
            .field("id_number_masked", .string, .required)
            .field("division_code", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "id_number_hmac")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("workers").delete()
    }
}
