import FluentKit
import Foundation
import SiteRollCore

public final class AccountModel: Model, @unchecked Sendable {
    public static let schema = "accounts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "role") public var roleRaw: String
    @OptionalField(key: "division_code") public var divisionCode: String?
    @OptionalParent(key: "enterprise_id") public var enterprise: EnterpriseModel?
    @OptionalParent(key: "worker_id") public var worker: WorkerModel?
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "active") public var active: Bool
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    @Field(key: "failed_attempts") public var failedAttempts: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    @OptionalField(key: "last_login_at") public var lastLoginAt: Date?
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    /// Unknown role strings never grant anything: they read as a worker with no worker record.
    public var role: Role { Role(rawValue: roleRaw) ?? .worker }
}

extension AccountModel {
    /// A new, active account; the one place every kind of account is made.
    public convenience init(
        username: String, displayName: String, role: Role, passwordHash: String, divisionCode: String? = nil,
        enterpriseID: UUID? = nil, workerID: UUID? = nil, mustChangePassword: Bool, createdBy: UUID? = nil,
        now: Date = ServerClock.now()
    ) {
        self.init()
        id = UUID()
        self.username = username
        self.displayName = displayName
        roleRaw = role.rawValue
        self.divisionCode = divisionCode
        $enterprise.id = enterpriseID
        $worker.id = workerID
        self.passwordHash = passwordHash
        active = true
        self.mustChangePassword = mustChangePassword
        failedAttempts = 0
        self.createdBy = createdBy
        createdAt = now
    }
}
