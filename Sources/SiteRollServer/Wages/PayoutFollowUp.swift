import FluentKit
import Foundation
import Logging
import SiteRollCore
import SiteRollStore

/// Batches the bank has not settled are asked about again without anyone pressing a button (E9,
/// W12): `unsent` (no answer: resent under the same instruction id, which the bank never pays
/// twice), `accepted` (still processing: queried), `sending` (the process stopped mid-call).
/// Each attempt waits twice as long as the last, from a minute up to an hour. On PostgreSQL the
/// due batches are claimed with SKIP LOCKED so that two processes never follow up the same one.
extension PayoutService {
    /// A batch younger than this is left to the request that sent it.
    static let followUpGrace: TimeInterval = 120

    static func followUpDelay(afterAttempt attempt: Int) -> TimeInterval {
        min(3600, 60 * pow(2, Double(min(max(attempt, 0), 6))))
    }

    /// Follows up every due batch; returns how many were asked about.
    @discardableResult
    func followUpDue(now: Date = ServerClock.now(), limit: Int = 20) async throws -> Int {
        guard followsUp else { return 0 }
        let due = try await claimDue(now: now, limit: limit)
        for batch in due {
            guard let project = try await ProjectModel.find(batch.projectID, on: database.database()) else { continue }
            let payer = Payer(audit: .system, accountID: batch.sentBy, enterpriseID: project.contractorEnterpriseID)
            do {
                let outcome = try await retry(batch, project: project, as: payer)
                logger.info(
                    "followed up a pay-on-behalf batch",
                    metadata: [
                        "instruction": "\(batch.instructionID)", "status": "\(outcome.status)",
                        "attempt": "\(batch.attempts)",
                    ])
            } catch {
                logger.error(
                    "follow-up of a pay-on-behalf batch failed",
                    metadata: ["instruction": "\(batch.instructionID)", "error": "\(error)"])
            }
        }
        return due.count
    }

    /// The due batches, each with its next attempt pushed out and its count raised, in one transaction.
    private func claimDue(now: Date, limit: Int) async throws -> [WagePaymentBatchModel] {
        let sentBefore = now.addingTimeInterval(-Self.followUpGrace)
        return try await database.database().inTransaction { tx in
            try await PayoutQueries(tx).claimDueBatches(
                statuses: Self.openStatuses, sentBefore: sentBefore, now: now, limit: limit,
                delay: Self.followUpDelay(afterAttempt:))
        }
    }
}
