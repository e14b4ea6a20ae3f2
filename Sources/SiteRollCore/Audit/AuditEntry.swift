import Foundation

/// The content of one audit event (S5). Its hash covers `previousHash`, so altering or removing
/// an event breaks every hash after it; `canonicalText` is the exact byte string that is hashed.
public struct AuditEntry: Sendable, Equatable {
    public var sequence: Int64
    public var occurredAt: Date
    public var actorID: String
    public var actorName: String
    public var actorRole: String
    public var action: String
    public var entityType: String
    public var entityID: String
    /// The division whose regulators may read this event; empty for platform-wide events.
    public var divisionCode: String
    public var enterpriseID: String
    public var summary: String
    /// SHA-256 (hex) of the change itself, so the event proves what was written without holding it.
    public var changeDigest: String
    public var previousHash: String

    public init(
        sequence: Int64, occurredAt: Date, actorID: String, actorName: String, actorRole: String,
        action: String, entityType: String, entityID: String, divisionCode: String, enterpriseID: String,
        summary: String, changeDigest: String, previousHash: String
    ) {
        self.sequence = sequence
        self.occurredAt = occurredAt
        self.actorID = actorID
        self.actorName = actorName
        self.actorRole = actorRole
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.divisionCode = divisionCode
        self.enterpriseID = enterpriseID
        self.summary = summary
        self.changeDigest = changeDigest
        self.previousHash = previousHash
    }

    /// The hash of the event before the first one.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Fields joined by a unit separator, each with its length, so that no two different events
    /// share a text. Time in whole milliseconds: both databases keep that precision.
    public var canonicalText: String {
        let millis = Int64((occurredAt.timeIntervalSince1970 * 1000).rounded())
        let fields = [
            "v1", String(sequence), String(millis), actorID, actorName, actorRole, action, entityType, entityID,
            divisionCode, enterpriseID, summary, changeDigest, previousHash,
        ]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "\u{1F}")
    }
}

/// What `audit verify` found wrong first.
public enum AuditChainBreak: Sendable, Equatable {
    /// The event's own fields no longer produce its stored hash: it was altered.
    case altered(sequence: Int64)
    /// The event does not point at the hash of the event before it: something in between changed.
    case brokenLink(sequence: Int64)
    /// Sequence numbers jump: events were removed.
    case missing(afterSequence: Int64, nextSequence: Int64)
    /// The recorded chain head says more events existed than are present: the newest were removed.
    case truncated(lastSequence: Int64, headSequence: Int64)

    public var chineseDescription: String {
        switch self {
        case .altered(let sequence): "第 \(sequence) 号审计事件的内容被修改"
        case .brokenLink(let sequence): "第 \(sequence) 号审计事件与前一事件的哈希不相连"
        case .missing(let after, let next): "第 \(after) 号与第 \(next) 号审计事件之间有事件被删除"
        case .truncated(let last, let head): "审计链最后应为第 \(head) 号事件，实际只到第 \(last) 号，末尾事件被删除"
        }
    }
}
