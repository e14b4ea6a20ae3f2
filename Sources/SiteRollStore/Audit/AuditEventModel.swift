import FluentKit
import Foundation
import SiteRollCore

public final class AuditEventModel: Model, @unchecked Sendable {
    public static let schema = "audit_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "sequence") public var sequence: Int64
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "actor_id") public var actorID: String
    @Field(key: "actor_name") public var actorName: String
    @Field(key: "actor_role") public var actorRole: String
    @Field(key: "action") public var action: String
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityID: String
    @Field(key: "division_code") public var divisionCode: String
    @Field(key: "enterprise_id") public var enterpriseID: String
    @Field(key: "summary") public var summary: String
    @Field(key: "change_digest") public var changeDigest: String
    @Field(key: "previous_hash") public var previousHash: String
    @Field(key: "hash") public var hash: String

    public init() {}

    public init(entry: AuditEntry, hash: String) {
        self.id = UUID()
        self.sequence = entry.sequence
        self.occurredAt = entry.occurredAt
        self.actorID = entry.actorID
        self.actorName = entry.actorName
        self.actorRole = entry.actorRole
        self.action = entry.action
        self.entityType = entry.entityType
        self.entityID = entry.entityID
        self.divisionCode = entry.divisionCode
        self.enterpriseID = entry.enterpriseID
        self.summary = entry.summary
        self.changeDigest = entry.changeDigest
        self.previousHash = entry.previousHash
        self.hash = hash
    }

    public var entry: AuditEntry {
        AuditEntry(
            sequence: sequence, occurredAt: occurredAt, actorID: actorID, actorName: actorName, actorRole: actorRole,
            action: action, entityType: entityType, entityID: entityID, divisionCode: divisionCode,
            enterpriseID: enterpriseID, summary: summary, changeDigest: changeDigest, previousHash: previousHash)
    }
}

final class AuditHeadModel: Model, @unchecked Sendable {
    static let schema = "audit_head"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "hash") var hash: String

    init() {}
}

/// A platform-wide fact shared by every process (see CreateSetting).
public final class SettingModel: Model, @unchecked Sendable {
    public static let schema = "settings"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}
