import Foundation
import SiteRollCore
import SiteRollStore

/// The signed-in account as a plain value, read once per request from the session row.
public struct AccountSnapshot: Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var role: Role
    public var divisionCode: DivisionCode?
    public var enterpriseID: UUID?
    public var enterpriseName: String?
    public var enterpriseDivision: DivisionCode?
    public var workerID: UUID?
    public var mustChangePassword: Bool
    /// Set when a connected system acts through the consoles' services (the national gateway):
    /// its appid, so that the audit trail names the system, not a person.
    public var appID: String? = nil

    package init(_ model: AccountModel) {
        id = model.uuid
        username = model.username
        displayName = model.displayName
        role = model.role
        divisionCode = model.divisionCode.flatMap { DivisionCode($0) }
        enterpriseID = model.$enterprise.id
        let enterprise = model.$enterprise.value ?? nil
        enterpriseName = enterprise?.name
        enterpriseDivision = enterprise.flatMap { DivisionCode($0.divisionCode) }
        workerID = model.$worker.id
        mustChangePassword = model.mustChangePassword
    }

    /// What this account may reach, derived once here and nowhere else (S1).
    public var scope: AccessScope? {
        switch role.kind {
        case .regulator: divisionCode.map { .division($0) }
        case .enterprise: enterpriseID.map { .enterprise($0, division: enterpriseDivision) }
        case .worker: workerID.map { .worker($0, account: id) }
        }
    }

    var auditActor: AuditActor {
        AuditActor(id: id.uuidString, name: appID ?? username, role: appID == nil ? role.rawValue : "app")
    }
}

/// The reach of an identity. Every service that reads or writes tenant data takes one of these.
public enum AccessScope: Sendable, Equatable {
    /// A regulator: this division and every division beneath it.
    case division(DivisionCode)
    /// An enterprise's staff: that enterprise (and, later, the projects it takes part in).
    case enterprise(UUID, division: DivisionCode?)
    /// A worker: themselves.
    case worker(UUID, account: UUID)

    /// The division an audit event of this actor is filed under.
    var auditDivision: String {
        switch self {
        case .division(let code): code.rawValue
        case .enterprise(_, let division): division?.rawValue ?? ""
        case .worker: ""
        }
    }
}

/// A resolved session: who, through which channel, with which CSRF token.
public struct SessionIdentity: Sendable {
    public var sessionID: UUID
    public var channel: SessionModel.Channel
    public var csrfToken: String
    public var account: AccountSnapshot?
    public var app: AppSnapshot?
    /// The one-time message a form's redirect left for this page (`Flash`).
    var flash: Flash? = nil
}

public struct AppSnapshot: Sendable, Equatable {
    public var id: UUID
    public var appID: String
    public var name: String
    public var enterpriseID: UUID?
    public var divisionCode: DivisionCode?
}
