import Foundation
import SiteRollCore
import SiteRollStore

/// The identity material of one worker (WorkerMaster fields, standards.md b.6; M1, E1), the same
/// whether a labour officer collects it, the worker registers on the phone, or a vendor system
/// submits it through `/api/v1`. Codable so that a submission waiting for the identity authority
/// can be sealed and kept.
struct WorkerSubmission: Codable, Sendable {
    var name: String
    var idCardType: String = CodeTable.residentIdentityCardType
    var idNumber: String
    /// National code: 0 男, 1 女 (c.22).
    var gender: String
    /// Code table c.26.
    var nation: String
    /// yyyy-MM-dd.
    var birthDate: String
    var address: String
    var issuingAuthority: String
    /// As printed: `2015.03.12-2035.03.12`, `…-长期`.
    var validity: String
    var portrait: Data?
    var idFront: Data?
    var idBack: Data?
    /// Self-registration only: the phone number (the login name) and a password.
    var mobile: String?
    var password: String?
}

/// Where a submission came from, and who is answerable for it.
enum WorkerSubmitter: Sendable {
    /// A labour officer (or enterprise admin) collecting for their enterprise.
    case enterprise(AccountSnapshot)
    /// The worker on the phone, not yet signed in.
    case selfRegistration
    /// A connected system.
    case app(AppSnapshot)
    /// A kept submission decided by a retry, on behalf of whoever first submitted it.
    case resumed(channel: String, by: String, enterpriseID: UUID?)

    var channel: String {
        switch self {
        case .enterprise: "corp"
        case .selfRegistration: "mobile"
        case .app: "api"
        case .resumed(let channel, _, _): channel
        }
    }

    var label: String {
        switch self {
        case .enterprise(let account): account.username
        case .selfRegistration: "self"
        case .app(let app): app.appID
        case .resumed(_, let by, _): by
        }
    }

    var enterpriseID: UUID? {
        switch self {
        case .enterprise(let account): account.enterpriseID
        case .selfRegistration: nil
        case .app(let app): app.enterpriseID
        case .resumed(_, _, let enterpriseID): enterpriseID
        }
    }

    var auditActor: AuditActor {
        switch self {
        case .enterprise(let account):
            .init(id: account.id.uuidString, name: account.username, role: account.role.rawValue)
        case .selfRegistration: .init(id: "self-registration", name: "工人自助注册", role: "worker")
        case .app(let app): .init(id: app.id.uuidString, name: app.appID, role: "app")
        case .resumed(_, let by, _): .init(id: "verification-retry", name: "核验重试（\(by)）", role: "system")
        }
    }
}
