import FluentKit
import FluentSQL
import Foundation

/// The locks and claims of pay-on-behalf (E9, W12) that FluentKit's builder cannot express. Each
/// is meant for the caller's transaction and holds until it ends.
///
/// SQLite and PostgreSQL differ here. SQLite runs on one connection, so a transaction already
/// excludes every other writer: the lock is a no-op and the claim a plain query. PostgreSQL
/// serves many processes: the lock is `SELECT … FOR UPDATE` on the row, and the claim takes the
/// due batches `FOR UPDATE SKIP LOCKED`, so that two processes never follow up the same batch.
public struct PayoutQueries: Sendable {
    public let database: any Database

    /// The transaction to lock or claim in.
    public init(_ database: any Database) { self.database = database }

    /// Holds the payroll row until the transaction ends: two clicks never put one line into two batches.
    public func lockPayroll(_ id: UUID) async throws {
        try await lockRow(PayrollModel.schema, id)
    }

    /// Holds the wage account row until the transaction ends: two statement syncs never book one
    /// bank transaction twice.
    public func lockWageAccount(_ id: UUID) async throws {
        try await lockRow(WageAccountModel.schema, id)
    }

    private func lockRow(_ table: String, _ id: UUID) async throws {
        let sql = try database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }

    /// Claims the batches due for a follow-up: in `statuses`, sent at or before `sentBefore`, with
    /// no next attempt or one at or before `now`, oldest first, at most `limit`. Each claimed batch
    /// has its attempts raised by one and its next attempt set to `now` plus `delay(attempts)`, so
    /// that a later claim passes it by.
    public func claimDueBatches(
        statuses: [String], sentBefore: Date, now: Date, limit: Int,
        delay: (_ attempts: Int) -> TimeInterval
    ) async throws -> [WagePaymentBatchModel] {
        let sql = try database.sql()
        let batches: [WagePaymentBatchModel]
        if sql.dialect.name == "postgresql" {
            let ids = try await sql.raw(
                """
                SELECT id FROM wage_payment_batches
                WHERE status IN (\(binds: statuses)) AND sent_at <= \(bind: sentBefore)
                AND (next_attempt_at IS NULL OR next_attempt_at <= \(bind: now))
                ORDER BY sent_at LIMIT \(literal: limit) FOR UPDATE SKIP LOCKED
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            batches = try await WagePaymentBatchModel.query(on: database).filter(\.$id ~~ ids).sort(\.$sentAt).all()
        } else {
            // SQLite's single connection already serialises this transaction.
            batches = try await WagePaymentBatchModel.query(on: database).filter(\.$status ~~ statuses)
                .filter(\.$sentAt <= sentBefore)
                .group(.or) { $0.filter(\.$nextAttemptAt == nil).filter(\.$nextAttemptAt <= now) }
                .sort(\.$sentAt).limit(limit).all()
        }
        for batch in batches {
            batch.attempts += 1
            batch.nextAttemptAt = now.addingTimeInterval(delay(batch.attempts))
            try await batch.update(on: database)
        }
        return batches
    }
}
