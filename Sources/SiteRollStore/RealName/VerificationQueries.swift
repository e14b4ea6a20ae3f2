import FluentKit
import FluentSQL
import Foundation

/// The claim of waiting identity checks (submissions the identity authority could not answer):
/// a background job in every process retries them, and no two processes may retry the same one
/// (DESIGN.md, Scale).
///
/// SQLite and PostgreSQL differ here. SQLite runs on one connection, so the caller's transaction
/// already excludes every other claim and a plain query does. PostgreSQL takes the due rows
/// `FOR UPDATE SKIP LOCKED`, so that a second process passes over rows the first is claiming.
public struct VerificationQueries: Sendable {
    public let database: any Database

    /// The transaction to claim in.
    public init(_ database: any Database) { self.database = database }

    /// Claims the waiting requests due at `now` (at most `limit`, the longest-waiting first) and
    /// pushes each one's next attempt to `now + hold`, so that another claim passes them by while
    /// this process asks the identity authority.
    public func claimDue(now: Date, limit: Int, hold: TimeInterval) async throws -> [VerificationRequestModel] {
        let sql = try database.sql()
        let due: [VerificationRequestModel]
        if sql.dialect.name == "postgresql" {
            let ids = try await sql.raw(
                """
                SELECT id FROM verification_requests WHERE status = 'waiting' AND next_attempt_at <= \(bind: now)
                ORDER BY next_attempt_at LIMIT \(literal: limit) FOR UPDATE SKIP LOCKED
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            due = try await VerificationRequestModel.query(on: database).filter(\.$id ~~ ids).all()
        } else {
            due = try await VerificationRequestModel.query(on: database)
                .filter(\.$status == "waiting").filter(\.$nextAttemptAt <= now).sort(\.$nextAttemptAt).limit(limit)
                .all()
        }
        for request in due {
            request.nextAttemptAt = now.addingTimeInterval(hold)
            try await request.update(on: database)
        }
        return due
    }
}
