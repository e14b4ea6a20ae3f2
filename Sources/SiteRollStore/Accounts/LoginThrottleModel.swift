import FluentKit
import Foundation

/// Failed sign-ins under one key (`CreateLoginThrottle`).
public final class LoginThrottleModel: Model, @unchecked Sendable {
    public static let schema = "login_throttles"

    @ID(custom: "key_hash", generatedBy: .user) public var id: String?
    /// `account` (the typed username), `source` (the address), `device` (a known browser).
    @Field(key: "kind") public var kind: String
    @Field(key: "failures") public var failures: Int
    @Field(key: "first_failure_at") public var firstFailureAt: Date
    @Field(key: "last_failure_at") public var lastFailureAt: Date
    @OptionalField(key: "blocked_until") public var blockedUntil: Date?

    public init() {}

    public init(keyHash: String, kind: String, at now: Date) {
        self.id = keyHash
        self.kind = kind
        self.failures = 0
        self.firstFailureAt = now
        self.lastFailureAt = now
        self.blockedUntil = nil
    }
}

/// A browser an account signed in from (`CreateKnownDevice`).
public final class KnownDeviceModel: Model, @unchecked Sendable {
    public static let schema = "known_devices"

    @ID(key: .id) public var id: UUID?
    @Field(key: "account_id") public var accountID: UUID
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_used_at") public var lastUsedAt: Date

    public init() {}

    public init(accountID: UUID, tokenHash: String, at now: Date) {
        self.id = UUID()
        self.accountID = accountID
        self.tokenHash = tokenHash
        self.createdAt = now
        self.lastUsedAt = now
    }
}
