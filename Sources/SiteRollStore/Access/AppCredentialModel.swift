import FluentKit
import Foundation
import SiteRollCore

public final class AppCredentialModel: Model, @unchecked Sendable {
    public static let schema = "app_credentials"

    @ID(key: .id) public var id: UUID?
    @Field(key: "app_id") public var appID: String
    @Field(key: "name") public var name: String
    @Field(key: "secret_hash") public var secretHash: String
    @OptionalParent(key: "enterprise_id") public var enterprise: EnterpriseModel?
    @OptionalField(key: "division_code") public var divisionCode: String?
    @Field(key: "status") public var status: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    /// `api` (a connected system's bearer token), `device` (a gate device) or `national` (the
    /// national open interface, signed per request).
    @Field(key: "kind") public var kind: String
    /// The project of an "一项目一密钥" national app (its appid is the project code).
    @OptionalField(key: "project_id") public var projectID: UUID?
    /// The national app's secret, sealed with the data key (the signature needs the secret).
    @OptionalField(key: "secret_sealed") public var secretSealed: String?
    /// National methods the app may call, comma-separated; nil: every method of its kind.
    @OptionalField(key: "methods") public var methods: String?
    /// Source addresses the app may call from, comma-separated; nil: any.
    @OptionalField(key: "allowed_ips") public var allowedIPs: String?
    /// Calls per minute; nil: the platform's default.
    @OptionalField(key: "rate_per_minute") public var ratePerMinute: Int?
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    /// After a rotation: the secret before it (sealed), which still verifies until `previousSecretUntil`.
    @OptionalField(key: "previous_secret_sealed") public var previousSecretSealed: String?
    @OptionalField(key: "previous_secret_until") public var previousSecretUntil: Date?
    /// A secret issued by someone other than its holder (an approval, a regulator's rotation) that
    /// the holder has not yet been shown; shown once, then false.
    @Field(key: "secret_reveal_pending") public var secretRevealPending: Bool
    @OptionalField(key: "revoke_reason") public var revokeReason: String?

    public init() {}
}

extension AppCredentialModel {
    /// A new, active credential; the one place connected systems and gate devices are made.
    public convenience init(
        appID: String, name: String, secretHash: String, enterpriseID: UUID?, divisionCode: String?,
        now: Date = ServerClock.now()
    ) {
        self.init()
        id = UUID()
        self.appID = appID
        self.name = name
        self.secretHash = secretHash
        $enterprise.id = enterpriseID
        self.divisionCode = divisionCode
        status = "active"
        kind = "api"
        createdAt = now
        secretRevealPending = false
    }
}
