import FluentKit

/// Pay-on-behalf batches the bank has not settled (`unsent` after a timeout, `accepted` while the
/// bank is still processing) are followed up in the background (E9, W12): `next_attempt_at` is
/// when to ask again, `attempts` how often it was tried, for the back-off and the page.
struct UpdateWagePaymentBatchAddFollowUp: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema("wage_payment_batches").field("next_attempt_at", .datetime).update()
        try await database.schema("wage_payment_batches").field("attempts", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("wage_payment_batches").deleteField("attempts").update()
        try await database.schema("wage_payment_batches").deleteField("next_attempt_at").update()
    }
}
