import FluentKit

/// When a project's attendance day begins, in minutes after midnight (`AttendanceDayStart`):
/// a night shift across midnight is then one attendance day (issue 12 item 7). 0 = midnight.
struct UpdateProjectAddAttendanceDayStart: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("projects").field("attendance_day_start", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("projects").deleteField("attendance_day_start").update()
    }
}
