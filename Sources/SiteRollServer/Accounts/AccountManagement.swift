import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// What a new account is to be.
struct NewAccountRequest: Sendable {
    var username: String
    var displayName: String
    var role: Role
    var password: String
    /// For regulator accounts: the division, the creator's own or one beneath it.
    var divisionCode: String?
}

extension AccountService {
    /// Creates an account within the creator's reach: a regulator admin creates regulator
    /// accounts for its own division or below, never above; an enterprise admin creates
    /// accounts of its own enterprise. Everything wrong is reported at once.
    func create(_ request: NewAccountRequest, by creator: AccountSnapshot) async throws -> AccountSnapshot {
        guard let scope = creator.scope, creator.role.mayCreate(request.role) else { throw AppError.forbidden }
        var problems: [String] = []
        let username = request.username.trimmingCharacters(in: .whitespaces)
        if username.count < 3 || username.count > 32
            || !username.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0))
            })
        {
            problems.append("用户名须为 3～32 位字母、数字、下划线、点或横线")
        }
        let displayName = request.displayName.trimmingCharacters(in: .whitespaces)
        if displayName.isEmpty || displayName.count > 32 { problems.append("请填写姓名（不超过 32 个字）") }
        problems += passwordPolicy.violations(of: request.password).map(\.chineseMessage)
        var divisionCode: DivisionCode?
        var enterpriseID: UUID?
        switch scope {
        case .division(let own):
            guard let text = request.divisionCode, !text.isEmpty else {
                problems.append("请选择所属行政区划")
                break
            }
            if let code = DivisionCode(text), divisions.division(code) != nil {
                if own.reaches(code) { divisionCode = code } else { problems.append("只能为本行政区划或下级区划创建账号") }
            } else {
                problems.append("行政区划代码 \(text) 不存在")
            }
        case .enterprise(let id, _):
            enterpriseID = id
        case .worker:
            throw AppError.forbidden
        }
        if !problems.isEmpty {
            throw AppError.badRequest("ACCOUNT_INVALID", problems.joined(separator: "；"))
        }
        let db = database.database()
        if try await AccountModel.query(on: db).filter(\.$username == username).count() > 0 {
            throw AppError(.conflict, code: "USERNAME_TAKEN", message: "用户名 \(username) 已被使用，请换一个")
        }
        let hash = try await hasher.hash(request.password)
        let account = AccountModel(
            username: username, displayName: displayName, role: request.role, passwordHash: hash,
            divisionCode: divisionCode?.rawValue, enterpriseID: enterpriseID, mustChangePassword: true,
            createdBy: creator.id)
        let auditDivision = divisionCode?.rawValue ?? scope.auditDivision
        let ownerEnterprise = enterpriseID
        try await audit.write(on: db, actor: creator.auditActor) { tx in
            try await account.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "account.created", entityType: "account", entityID: account.uuid.uuidString,
                    divisionCode: auditDivision, enterpriseID: ownerEnterprise?.uuidString ?? "",
                    summary: "创建\(request.role.chineseName)账号 \(username)",
                    change: ["username": username, "role": request.role.rawValue, "division": auditDivision])
            )
        }
        guard let loaded = try await loadAccount(account.uuid, on: db) else { throw AppError.notFound }
        return AccountSnapshot(loaded)
    }

    /// Accounts within reach, newest first. A regulator sees the regulator accounts of its
    /// divisions and the accounts of enterprises registered there; an enterprise its own staff;
    /// a worker only themselves.
    func list(in scope: AccessScope, search: String? = nil, limit: Int = 200) async throws -> [AccountSnapshot] {
        let db = database.database()
        var query = AccountModel.query(on: db).with(\.$enterprise)
        switch scope {
        case .division(let division):
            let enterpriseIDs = try await EnterpriseModel.query(on: db)
                .filter(\.$divisionCode =~ division.scopePrefix).all(\.$id)
            query = query.group(.or) { group in
                group.filter(\.$divisionCode =~ division.scopePrefix)
                if !enterpriseIDs.isEmpty { group.filter(\.$enterprise.$id ~~ enterpriseIDs) }
            }
        case .enterprise(let id, _):
            query = query.filter(\.$enterprise.$id == id)
        case .worker(_, let accountID):
            query = query.filter(\.$id == accountID)
        }
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let needle = String(search.prefix(64))
            query = query.group(.or) { group in
                group.filter(\.$username ~~ needle)
                group.filter(\.$displayName ~~ needle)
            }
        }
        return try await query.sort(\.$createdAt, .descending).limit(limit).all().map(AccountSnapshot.init)
    }

    /// One account, if it is within reach; otherwise nil, exactly as if it did not exist.
    func find(_ id: UUID, in scope: AccessScope) async throws -> AccountSnapshot? {
        let db = database.database()
        guard let account = try await loadAccount(id, on: db) else { return nil }
        let snapshot = AccountSnapshot(account)
        switch scope {
        case .division(let division):
            if let own = snapshot.divisionCode { return division.reaches(own) ? snapshot : nil }
            if let enterpriseDivision = snapshot.enterpriseDivision {
                return division.reaches(enterpriseDivision) ? snapshot : nil
            }
            return nil
        case .enterprise(let enterpriseID, _):
            return snapshot.enterpriseID == enterpriseID ? snapshot : nil
        case .worker(_, let accountID):
            return snapshot.id == accountID ? snapshot : nil
        }
    }

    /// Changes the signed-in account's own password; other sessions of the account end.
    func changePassword(
        of identity: SessionIdentity, current: String, new: String, confirmation: String
    ) async throws {
        guard let snapshot = identity.account else { throw AppError.forbidden }
        var problems = passwordPolicy.violations(of: new).map(\.chineseMessage)
        if new != confirmation { problems.append("两次输入的新密码不一致") }
        if new == current { problems.append("新密码不能与当前密码相同") }
        let db = database.database()
        guard let account = try await AccountModel.find(snapshot.id, on: db) else { throw AppError.notFound }
        guard try await hasher.verify(current, against: account.passwordHash) else {
            throw AppError.badRequest("CURRENT_PASSWORD_WRONG", "当前密码不正确")
        }
        if !problems.isEmpty { throw AppError.badRequest("PASSWORD_INVALID", problems.joined(separator: "；")) }
        let hash = try await hasher.hash(new)
        try await audit.write(on: db, actor: snapshot.auditActor) { tx in
            account.passwordHash = hash
            account.mustChangePassword = false
            try await account.update(on: tx)
            try await sessions.revokeAll(accountID: snapshot.id, except: identity.sessionID, on: tx)
            return (
                (),
                AuditDraft(
                    action: "account.password-changed", entityType: "account", entityID: snapshot.id.uuidString,
                    divisionCode: snapshot.scope?.auditDivision ?? "",
                    enterpriseID: snapshot.enterpriseID?.uuidString ?? "",
                    summary: "修改本人密码", change: ["account": snapshot.id.uuidString])
            )
        }
    }
}
