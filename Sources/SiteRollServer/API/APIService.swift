import FluentKit
import Foundation
import OpenAPIRuntime
import SiteRollAPI
import SiteRollCore
import SiteRollStore

/// `/api/v1`, implemented from the generated protocol (spec-first: `SiteRollAPI/openapi.yaml`).
/// Each operation translates to a call of the same service the consoles use, and back.
struct APIService: APIProtocol {
    let accounts: AccountService
    let audit: AuditSearch
    let divisions: DivisionCatalog
    let navigation: Navigation
    let appTokens: AppTokenService
    let workerVerification: WorkerVerificationService
    let enterpriseVerification: EnterpriseVerificationService
    let workerRegistry: WorkerRegistry
    let restrictions: RestrictionService
    let projects: ProjectServices
    let attendance: AttendanceService
    let wages: WageServices
    let warnings: WarningService
    let nationalApps: NationalApps
    let nationalWrites: NationalWrites

    func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        let signedIn = try await accounts.login(username: body.username, password: body.password, channel: .api)
        return .ok(
            .init(
                body: .json(
                    .init(
                        token: signedIn.session.token, tokenType: "Bearer", expiresAt: signedIn.session.expiresAt,
                        account: schema(signedIn.account)))))
    }

    func issueAppToken(_ input: Operations.IssueAppToken.Input) async throws -> Operations.IssueAppToken.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        let issued = try await appTokens.issue(appID: body.appId, secret: body.appSecret)
        return .ok(.init(body: .json(.init(token: issued.token, tokenType: "Bearer", expiresAt: issued.expiresAt))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try await accounts.logout(try APIIdentity.requireAny())
        return .noContent(.init())
    }

    func getCurrentAccount(_ input: Operations.GetCurrentAccount.Input) async throws
        -> Operations.GetCurrentAccount.Output
    {
        .ok(.init(body: .json(schema(try APIIdentity.requireAccount()))))
    }

    func listAccounts(_ input: Operations.ListAccounts.Input) async throws -> Operations.ListAccounts.Output {
        let found = try await accounts.list(in: try APIIdentity.requireScope(), search: input.query.q)
        return .ok(.init(body: .json(found.map(schema))))
    }

    func createAccount(_ input: Operations.CreateAccount.Input) async throws -> Operations.CreateAccount.Output {
        let creator = try APIIdentity.requireAccount()
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        guard let role = Role(rawValue: body.role.rawValue) else { throw AppError.badRequest("ROLE_INVALID", "角色无效") }
        let created = try await accounts.create(
            NewAccountRequest(
                username: body.username, displayName: body.displayName, role: role, password: body.password,
                divisionCode: body.divisionCode),
            by: creator)
        return .created(.init(body: .json(schema(created))))
    }

    func getAccount(_ input: Operations.GetAccount.Input) async throws -> Operations.GetAccount.Output {
        guard let id = UUID(uuidString: input.path.accountId) else {
            throw AppError.badRequest("ID_INVALID", "账号编号格式不正确")
        }
        guard let account = try await accounts.find(id, in: try APIIdentity.requireScope()) else {
            throw AppError.notFound
        }
        return .ok(.init(body: .json(schema(account))))
    }

    func listDivisions(_ input: Operations.ListDivisions.Input) async throws -> Operations.ListDivisions.Output {
        _ = try APIIdentity.requireAny()
        guard let parentText = input.query.parent else {
            return .ok(.init(body: .json(divisions.provinces.map(schema))))
        }
        guard let parent = DivisionCode(parentText) else { throw Self.malformedDivision(parentText) }
        guard divisions.division(parent) != nil else {
            throw AppError(.notFound, code: "DIVISION_NOT_FOUND", message: "行政区划代码 \(parentText) 不存在")
        }
        return .ok(.init(body: .json(divisions.children(of: parent).map(schema))))
    }

    func getDivision(_ input: Operations.GetDivision.Input) async throws -> Operations.GetDivision.Output {
        _ = try APIIdentity.requireAny()
        guard let code = DivisionCode(input.path.code) else { throw Self.malformedDivision(input.path.code) }
        guard let division = divisions.division(code) else {
            throw AppError(.notFound, code: "DIVISION_NOT_FOUND", message: "行政区划代码 \(input.path.code) 不存在")
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        division: schema(division), path: divisions.path(to: code).map(schema),
                        children: divisions.children(of: code).map(schema)))))
    }

    func listAuditEvents(_ input: Operations.ListAuditEvents.Input) async throws -> Operations.ListAuditEvents.Output {
        let scope = try APIIdentity.requireScope()
        guard case .division = scope else {
            throw AppError(.forbidden, code: "REGULATORS_ONLY", message: "审计日志检索仅对监管账号开放")
        }
        let events = try await audit.search(
            in: scope, .init(action: input.query.action, actor: input.query.actor, limit: input.query.limit ?? 50))
        return .ok(
            .init(
                body: .json(
                    events.map {
                        .init(
                            sequence: $0.sequence, occurredAt: $0.occurredAt, actor: $0.actorName,
                            actorRole: $0.actorRole,
                            action: $0.action, actionName: AuditSearch.actionName($0.action), entityType: $0.entityType,
                            entityId: $0.entityID, divisionCode: $0.divisionCode, summary: $0.summary,
                            digest: $0.changeDigest, hash: $0.hash)
                    })))
    }

    static func malformedDivision(_ text: String) -> AppError {
        AppError.badRequest("DIVISION_CODE_INVALID", "行政区划代码须为 6 位数字")
    }

    private func schema(_ account: AccountSnapshot) -> Components.Schemas.Account {
        let division = account.divisionCode ?? account.enterpriseDivision
        return .init(
            id: account.id.uuidString, username: account.username, displayName: account.displayName,
            kind: .init(rawValue: account.role.kind.rawValue) ?? .worker,
            role: .init(rawValue: account.role.rawValue) ?? .worker, roleName: account.role.chineseName, active: true,
            divisionCode: division?.rawValue, divisionName: division.map { divisions.fullName(of: $0) },
            enterpriseId: account.enterpriseID?.uuidString, enterpriseName: account.enterpriseName,
            workerId: account.workerID?.uuidString)
    }

    private func schema(_ division: Division) -> Components.Schemas.Division {
        .init(
            code: division.code.rawValue, name: division.name,
            level: .init(rawValue: division.level.rawValue) ?? .county,
            levelName: division.level.chineseName, parentCode: division.parentCode?.rawValue)
    }
}
