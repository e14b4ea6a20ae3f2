import Crypto
import FluentKit
import FluentSQL
import Foundation
import SiteRollCore

/// Who did a write: an account, a connected system, or SiteRoll itself.
public struct AuditActor: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: String

    public init(id: String, name: String, role: String) {
        self.id = id
        self.name = name
        self.role = role
    }

    /// Start-up work, migrations, demo data: done by the platform, not by a person.
    public static let system = AuditActor(id: "system", name: "系统", role: "system")
}

/// What a write was, before it gets its place in the chain.
public struct AuditDraft: Sendable {
    public var action: String
    public var entityType: String
    public var entityID: String
    public var divisionCode: String
    public var enterpriseID: String
    public var summary: String
    public var changeDigest: String

    public init(
        action: String, entityType: String, entityID: String, divisionCode: String, enterpriseID: String = "",
        summary: String, change: some Encodable
    ) {
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.divisionCode = divisionCode
        self.enterpriseID = enterpriseID
        self.summary = summary
        self.changeDigest = Digest.of(change)
    }
}

/// Appends to the hash chain (S5). Every write goes through `write(_:actor:draft:_:)`, which runs
/// the change and its audit event in one transaction: either both land or neither does.
public struct AuditTrail: Sendable {
    public init() {}

    /// Runs `change` in a transaction and appends the audit event it returns.
    public func write<T: Sendable>(
        on db: any Database, actor: AuditActor,
        _ change: @escaping @Sendable (any Database) async throws -> (T, AuditDraft)
    ) async throws -> T {
        try await db.inTransaction { tx in
            let (result, draft) = try await change(tx)
            try await append(on: tx, actor: actor, draft: draft)
            return result
        }
    }

    /// Appends one event; must be called inside a transaction.
    ///
    /// The chain is strictly ordered. On PostgreSQL a transaction-scoped advisory lock serialises
    /// appenders across every process; on SQLite the single connection already does. The lock
    /// is held only to the end of the surrounding transaction, so writes stay short.
    @discardableResult
    public func append(on tx: any Database, actor: AuditActor, draft: AuditDraft, at now: Date = ServerClock.now())
        async throws
        -> AuditEntry
    {
        if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.chainLockKey))").run()
        }
        let head = try await AuditHeadModel.find(1, on: tx)
        let entry = AuditEntry(
            sequence: (head?.sequence ?? 0) + 1, occurredAt: Self.truncatedToMillis(now), actorID: actor.id,
            actorName: actor.name, actorRole: actor.role, action: draft.action, entityType: draft.entityType,
            entityID: draft.entityID, divisionCode: draft.divisionCode, enterpriseID: draft.enterpriseID,
            summary: draft.summary, changeDigest: draft.changeDigest,
            previousHash: head?.hash ?? AuditEntry.genesisHash)
        let hash = Self.hash(of: entry)
        try await AuditEventModel(entry: entry, hash: hash).create(on: tx)
        if let head {
            head.sequence = entry.sequence
            head.hash = hash
            try await head.update(on: tx)
        } else {
            let newHead = AuditHeadModel()
            newHead.id = 1
            newHead.sequence = entry.sequence
            newHead.hash = hash
            try await newHead.create(on: tx)
        }
        return entry
    }

    public static func hash(of entry: AuditEntry) -> String {
        Digest.sha256Hex(entry.canonicalText)
    }

    /// Both databases keep milliseconds; hashing a finer time would not survive the round trip.
    static func truncatedToMillis(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    static let chainLockKey: Int64 = 5_101_040_002
}
