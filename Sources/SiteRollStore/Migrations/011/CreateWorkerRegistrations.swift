import FluentKit
import FluentSQL

/// A worker registered to a project's team before entering (national `ProjectWorker.Add`, issue
/// 15): the work type, role and card that the entry will use, kept until the entry and after it
/// for a re-entry. One registration per worker and project.
struct CreateWorkerRegistrations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_worker_registrations")
            .id()
            .field("project_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("team_id", .uuid, .required)
            .field("worker_id", .uuid, .required)
            .field("work_type", .string, .required)
            .field("work_role", .string, .required)
            .field("is_team_leader", .bool, .required)
            .field("card_number", .string)
            .field("has_insurance", .bool, .required)
            .field("cell_phone", .string)
            .field("wage_card_sealed", .string)
            .field("wage_bank_code", .string)
            .field("wage_bank_name", .string)
            .field("registered_by", .string, .required)
            .field("registered_at", .datetime, .required)
            .unique(on: "project_id", "worker_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("project_worker_registrations").delete()
    }
}

/// What a national training upload carries beyond the console's form: each attendee's pass and
/// score (a worker who did not pass does not count as trained for entry), the organisation and
/// the place. One column per statement: SQLite adds columns one at a time.
struct UpdateTrainingForNational: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("training_attendees").field("passed", .bool).update()
        try await database.schema("training_attendees").field("score", .double).update()
        try await database.schema("trainings").field("organisation", .string).update()
        try await database.schema("trainings").field("address", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("training_attendees").deleteField("passed").update()
        try await database.schema("training_attendees").deleteField("score").update()
        try await database.schema("trainings").deleteField("organisation").update()
        try await database.schema("trainings").deleteField("address").update()
    }
}

/// A write sent again with the same appid, nonce and data under a new timestamp (a vendor's retry
/// after a timeout) is the same write: the gateway finds the first by this digest of method and
/// data, and answers with the first `requestSerialCode`.
struct UpdateNationalRequestsAddDigest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("national_requests").field("data_digest", .string).update()
        try await database.sql().raw(
            "CREATE INDEX national_requests_digest ON national_requests (app_id, nonce, data_digest)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().raw("DROP INDEX national_requests_digest").run()
        try await database.schema("national_requests").deleteField("data_digest").update()
    }
}
