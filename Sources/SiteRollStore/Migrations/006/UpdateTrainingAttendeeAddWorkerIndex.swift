import FluentKit
import SQLKit

/// Training attendance by worker. The unique key (training, worker) leads with the training, so
/// "which safety trainings has this worker had" (entry rules R2, warnings WW-08/WW-09) had no
/// index to use and scanned the table, which grows with every worker trained in the province.
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
