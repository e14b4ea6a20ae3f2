import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Accounts and sign-in (S1): password check with lock-out, account creation within reach, and
/// reads that never leave the caller's scope. Every write is audited (S5).
struct AccountService: Sendable {
    let database: DatabaseService
    let sessions: SessionService
    let hasher: PasswordHasher
    let lockout: LockoutPolicy
    let passwordPolicy = PasswordPolicy()
    let divisions: DivisionCatalog
    let audit = AuditTrail()

    struct SignedIn: Sendable {
        var session: SessionService.Issued
        var account: AccountSnapshot
    }

    /// Checks the password and opens a session. Failures are counted in the account row, so that
    /// the lock holds across every process; the count and each outcome are audited.
    func login(
        username: String, password: String, channel: SessionModel.Channel, expectedKind: AccountKind? = nil,
        now: Date = Date()
    ) async throws -> SignedIn {
        let db = database.database()
        let name = username.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !password.isEmpty else {
            throw AppError.badRequest("CREDENTIALS_REQUIRED", "请输入用户名和密码")
        }
        guard let account = try await AccountModel.query(on: db).filter(\.$username == name).first() else {
            _ = try await hasher.verify(password, against: hasher.decoyHash)
            throw AppError.invalidCredentials
        }
        let state = LockoutPolicy.State(failedAttempts: account.failedAttempts, lockedUntil: account.lockedUntil)
        if lockout.isLocked(state, at: now), let until = account.lockedUntil {
            throw AppError.accountLocked(until: until)
        }
        let accountID = account.id!
        let actor = AuditActor(id: accountID.uuidString, name: account.username, role: account.roleRaw)
        let division = try await auditDivision(of: account, on: db)
        guard try await hasher.verify(password, against: account.passwordHash) else {
            let after = try await audit.write(on: db, actor: actor) { tx in
                // Re-read inside the transaction: another process may have counted a failure too.
                guard let fresh = try await AccountModel.find(accountID, on: tx) else {
                    throw AppError.invalidCredentials
                }
                let next = lockout.afterFailure(
                    .init(failedAttempts: fresh.failedAttempts, lockedUntil: fresh.lockedUntil), at: now)
                fresh.failedAttempts = next.failedAttempts
                fresh.lockedUntil = next.lockedUntil
                try await fresh.update(on: tx)
                let locked = next.lockedUntil != nil
                return (
                    next,
                    AuditDraft(
                        action: locked ? "account.locked" : "login.failed", entityType: "account",
                        entityID: accountID.uuidString, divisionCode: division,
                        enterpriseID: fresh.$enterprise.id?.uuidString ?? "",
                        summary: locked ? "连续登录失败 \(next.failedAttempts) 次，账号锁定" : "登录失败（第 \(next.failedAttempts) 次）",
                        change: ["failedAttempts": String(next.failedAttempts)])
                )
            }
            if let until = after.lockedUntil { throw AppError.accountLocked(until: until) }
            throw AppError.invalidCredentials
        }
        guard account.active else { throw AppError.accountDisabled }
        if let enterpriseID = account.$enterprise.id,
            try await EnterpriseModel.find(enterpriseID, on: db)?.status == "suspended"
        {
            throw AppError(.forbidden, code: "ENTERPRISE_SUSPENDED", message: "所属企业已被主管部门暂停，暂不能登录；请联系主管部门")
        }
        if let expectedKind, account.role.kind != expectedKind {
            throw AppError(
                .forbidden, code: "WRONG_CONSOLE",
                message: "该账号是\(account.role.kind.chineseName)账号，请从\(Self.consoleName(for: account.role.kind))登录")
        }
        let issued = try await audit.write(on: db, actor: actor) { tx in
            account.failedAttempts = 0
            account.lockedUntil = nil
            account.lastLoginAt = now
            try await account.update(on: tx)
            let issued = try await sessions.issue(on: tx, channel: channel, accountID: accountID, now: now)
            return (
                issued,
                AuditDraft(
                    action: "login.succeeded", entityType: "account", entityID: accountID.uuidString,
                    divisionCode: division, enterpriseID: account.$enterprise.id?.uuidString ?? "",
                    summary: channel == .console ? "登录控制台" : "登录接口，签发访问令牌",
                    change: ["channel": channel.rawValue])
            )
        }
        guard let loaded = try await loadAccount(accountID, on: db) else { throw AppError.invalidCredentials }
        return SignedIn(session: issued, account: AccountSnapshot(loaded))
    }

    /// The division an account's events are filed under: its own, or its enterprise's.
    private func auditDivision(of account: AccountModel, on db: any Database) async throws -> String {
        if let division = account.divisionCode { return division }
        if let enterpriseID = account.$enterprise.id {
            return try await EnterpriseModel.find(enterpriseID, on: db)?.divisionCode ?? ""
        }
        return ""
    }

    func loadAccount(_ id: UUID, on db: any Database) async throws -> AccountModel? {
        try await AccountModel.query(on: db).filter(\.$id == id).with(\.$enterprise).first()
    }

    func logout(_ identity: SessionIdentity) async throws {
        let db = database.database()
        let actor =
            identity.account?.auditActor
            ?? AuditActor(id: identity.app?.appID ?? "", name: identity.app?.name ?? "", role: "app")
        try await audit.write(on: db, actor: actor) { tx in
            try await sessions.revoke(sessionID: identity.sessionID, on: tx)
            return (
                (),
                AuditDraft(
                    action: "logout", entityType: "session", entityID: identity.sessionID.uuidString,
                    divisionCode: identity.account?.scope?.auditDivision ?? "",
                    enterpriseID: identity.account?.enterpriseID?.uuidString ?? "", summary: "退出登录",
                    change: ["session": identity.sessionID.uuidString])
            )
        }
    }

    static func consoleName(for kind: AccountKind) -> String {
        switch kind {
        case .regulator: "监管平台（/gov）"
        case .enterprise: "企业实名制管理系统（/corp）"
        case .worker: "工人手机端（/m）"
        }
    }
}
