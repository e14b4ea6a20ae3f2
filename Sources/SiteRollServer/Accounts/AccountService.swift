import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Accounts and sign-in (S1): password check behind the sign-in throttle, account creation within
/// reach, and reads that never leave the caller's scope. Every write is audited (S5).
struct AccountService: Sendable {
    let database: DatabaseService
    let sessions: SessionService
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let passwordPolicy = PasswordPolicy()
    let divisions: DivisionCatalog
    /// Where sign-in alerts about unknown usernames are filed (the platform's division).
    let platformDivision: String
    let audit = AuditTrail()

    struct SignedIn: Sendable {
        var session: SessionService.Issued
        var account: AccountSnapshot
        /// The known-device cookie's token for this browser (console sign-ins).
        var deviceToken: String?
    }

    static func throttled(until: Date) -> AppError {
        AppError(
            .tooManyRequests, code: "LOGIN_THROTTLED",
            message: "登录尝试过于频繁，为保护账号安全，请于 \(ChineseFormat.dateTime(until)) 后再试；在本人常用的浏览器上输入正确密码不受此限制")
    }

    /// Checks the password and opens a session.
    ///
    /// Wrong passwords are counted under the typed username and the source address (or under the
    /// browser when it signed in to that account before); a key past its free failures must wait.
    /// A known username and an unknown one get the same answers — 401 for a wrong password, 429
    /// while waiting — so nothing tells which names exist. The first wait on an existing account
    /// is audited as `login.throttled`, which the regulators' home page counts as an alert.
    func login(
        username: String, password: String, channel: SessionModel.Channel, expectedKind: AccountKind? = nil,
        deviceToken: String? = nil, now: Date = ServerClock.now()
    ) async throws -> SignedIn {
        let db = database.database()
        let name = String(username.trimmingCharacters(in: .whitespaces).prefix(100))
        guard !name.isEmpty, !password.isEmpty else {
            throw AppError.badRequest("CREDENTIALS_REQUIRED", "请输入用户名和密码")
        }
        let account = try await AccountModel.query(on: db).filter(\.$username == name).first()
        var keys: [LoginThrottle.Key] = [.account(name), .source(RequestOrigin.address)]
        if let accountID = account?.id, let deviceToken,
            try await throttle.isKnownDevice(token: deviceToken, account: accountID)
        {
            // The owner's own browser: counted apart from whatever strangers ran up on the name.
            keys = [.device(LoginThrottle.tokenHash(deviceToken), account: accountID)]
        }
        if let until = try await throttle.blockedUntil(keys, at: now) { throw Self.throttled(until: until) }
        guard let account, let accountID = account.id else {
            _ = try await hasher.verify(password, against: hasher.decoyHash)
            let states = try await throttle.recordFailure(keys, at: now)
            if let state = states[.account], throttle.policy.startsThrottling(state, kind: .account) {
                try await alert(name: name, account: nil, failures: state.failures, until: state.blockedUntil)
            }
            throw AppError.invalidCredentials
        }
        let actor = AuditActor(id: accountID.uuidString, name: account.username, role: account.roleRaw)
        let division = try await auditDivision(of: account, on: db)
        guard try await hasher.verify(password, against: account.passwordHash) else {
            let states = try await throttle.recordFailure(keys, at: now)
            let counted = states[.account] ?? states[.device]
            try await audit.write(on: db, actor: actor) { _ in
                (
                    (),
                    AuditDraft(
                        action: "login.failed", entityType: "account", entityID: accountID.uuidString,
                        divisionCode: division, enterpriseID: account.$enterprise.id?.uuidString ?? "",
                        summary: "登录失败（连续第 \(counted?.failures ?? 1) 次）",
                        change: ["failures": String(counted?.failures ?? 1), "source": RequestOrigin.address])
                )
            }
            if let state = states[.account], throttle.policy.startsThrottling(state, kind: .account) {
                try await alert(name: name, account: account, failures: state.failures, until: state.blockedUntil)
            }
            throw AppError.invalidCredentials
        }
        try await throttle.clear(keys + [.account(name)])
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
        let device =
            channel == .console
            ? try await throttle.rememberDevice(token: deviceToken, account: accountID, at: now) : nil
        guard let loaded = try await loadAccount(accountID, on: db) else { throw AppError.invalidCredentials }
        return SignedIn(session: issued, account: AccountSnapshot(loaded), deviceToken: device)
    }

    /// The alert for administrators: someone keeps trying a password. Filed under the account's
    /// division (or the platform's, for a name that is no account), so the regulators who reach
    /// it see it on their home page and in the audit search.
    private func alert(name: String, account: AccountModel?, failures: Int, until: Date?) async throws {
        let db = database.database()
        let division: String
        if let account { division = try await auditDivision(of: account, on: db) } else { division = platformDivision }
        let actor = AuditActor(id: "system", name: "系统", role: "system")
        try await audit.write(on: db, actor: actor) { _ in
            (
                (),
                AuditDraft(
                    action: "login.throttled", entityType: "account", entityID: account?.id?.uuidString ?? "",
                    divisionCode: division, enterpriseID: account?.$enterprise.id?.uuidString ?? "",
                    summary: account == nil
                        ? "不存在的用户名连续登录失败 \(failures) 次，已限制该用户名的登录频率（来源 \(RequestOrigin.address)）"
                        : "账号 \(account?.username ?? "") 连续登录失败 \(failures) 次，已限制登录频率至 \(until.map(ChineseFormat.dateTime) ?? "")（来源 \(RequestOrigin.address)）",
                    change: ["failures": String(failures), "source": RequestOrigin.address])
            )
        }
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
