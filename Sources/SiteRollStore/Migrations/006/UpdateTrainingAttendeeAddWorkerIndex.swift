import FluentKit
import SQLKit

/// Training attendance by worker. The unique key (training, worker) leads with the training, so
/// "which safety trainings has this worker had" (entry rules R2, warnings WW-08/WW-09) scanned the
/// whole table: 9 s of a province-sized warning run, 0.2 s with this index.
struct UpdateTrainingAttendeeAddWorkerIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "training_attendees_worker").on("training_attendees").column("worker_id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "training_attendees_worker").run()
    }
}
