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
        createdAt = now
    }
}
