import FluentKit
import FluentSQL
import Foundation

/// The claim of waiting national writes: any process may process any job, and no two the same
/// one. SQLite runs one connection, so the caller's transaction already excludes other claims;
/// PostgreSQL takes the oldest due row `FOR UPDATE SKIP LOCKED`. The claim holds the job for
/// `hold`; a process that stops mid-job lets it go when the hold passes.
public struct NationalJobQueries: Sendable {
    public let database: any Database

    public init(_ database: any Database) { self.database = database }

    public func claimNext(now: Date, hold: TimeInterval) async throws -> NationalJobModel? {
        try await database.transaction { db in
            let sql = try db.sql()
            let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            guard
                let row = try await sql.raw(
                    """
                    SELECT id FROM national_jobs WHERE status = 0
                    AND (claimed_until IS NULL OR claimed_until < \(bind: now))
                    ORDER BY created_at LIMIT 1\(unsafeRaw: lock)
                    """
                ).first()
            else { return nil }
            let id = try row.decode(column: "id", as: UUID.self)
            guard let job = try await NationalJobModel.find(id, on: db) else { return nil }
            job.claimedUntil = now.addingTimeInterval(hold)
            try await job.update(on: db)
            return job
        }
    }
}
