import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// Who may act on an application or an app, what an application may ask for, and the decision
/// step every outcome shares.
extension NationalAccessService {
    static let alreadyShown = AppError(
        .conflict, code: "ACCESS_SECRET_SHOWN",
        message: "该密钥已显示过一次，不能再次查看；如未保存，请重置密钥（原密钥在重叠期内仍可使用）")

    /// The caller's enterprise, for a change only its administrators make.
    static func enterpriseAdmin(_ scope: AccessScope, _ account: AccountSnapshot) throws -> UUID {
        guard case .enterprise(let id, _) = scope else { throw AppError.forbidden }
        guard account.role == .enterpriseAdmin else {
            throw AppError(.forbidden, code: "ACCESS_ADMIN_ONLY", message: "系统接入的申请、密钥重置和注销须由企业管理员办理")
        }
        return id
    }

    /// The methods asked for, each one of b.5; at least one.
    static func methods(_ names: [String], problems: inout FieldProblems) throws -> [String] {
        let always = Set(NationalMethodCatalog.always.map(\.name))
        var chosen: [String] = []
        var unknown = false
        for name in names where !always.contains(name) && !chosen.contains(name) {
            guard NationalMethodCatalog.method(named: name) != nil else {
                problems.add("接口方法“\(name.prefix(60))”不在国家接口方法清单中")
                unknown = true
                continue
            }
            chosen.append(name)
        }
        if chosen.isEmpty && !unknown { problems.add("请至少选择一个接口方法") }
        // In the catalogue's order, whatever order the browser sent.
        let order = NationalMethodCatalog.all.map(\.name)
        return chosen.sorted { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) }
    }

    /// What an approved application grants: its methods and the ones every app gets; nil (every
    /// method) when it asks for the whole of b.5.
    static func granted(_ methods: String) -> String? {
        let asked = methods.split(separator: ",").map(String.init)
        let everything = Set(NationalMethodCatalog.groups.flatMap(\.methods).map(\.name))
        guard !everything.isSubset(of: Set(asked)) else { return nil }
        return (asked + NationalMethodCatalog.always.map(\.name)).joined(separator: ",")
    }

    /// The projects chosen, each within the enterprise's reach (general contractor or participating unit).
    func chosenProjects(_ ids: [String], scope: AccessScope, problems: inout FieldProblems) async throws
        -> [ProjectModel]
    {
        let wanted = Set(ids.prefix(200).compactMap { UUID(uuidString: $0) })
        guard !wanted.isEmpty else {
            problems.add("请至少选择一个项目")
            return []
        }
        let reachable = Set(try await reach.projectIDs(for: scope) ?? [])
        guard wanted.isSubset(of: reachable) else {
            problems.add("所选项目中有本单位未参建的项目")
            return []
        }
        return try await ProjectModel.query(on: database.database()).filter(\.$id ~~ Array(wanted)).sort(\.$code)
            .all()
    }

    /// The smallest division covering every code (county, prefecture or province); nil when the
    /// codes lie in different provinces.
    static func coveringDivision(_ codes: [String]) -> DivisionCode? {
        let divisions = codes.compactMap { DivisionCode($0) }
        guard let first = divisions.first, divisions.count == codes.count else { return nil }
        for length in [6, 4, 2] {
            let prefix = first.rawValue.prefix(length)
            if divisions.allSatisfy({ $0.rawValue.hasPrefix(prefix) }) {
                return DivisionCode(String(prefix) + String(repeating: "0", count: 6 - length))
            }
        }
        return nil
    }

    /// An application of the caller's enterprise.
    func own(_ id: UUID, enterpriseID: UUID) async throws -> Application {
        guard let application = try await Application.find(id, on: database.database()),
            application.enterpriseID == enterpriseID
        else { throw AppError.notFound }
        return application
    }

    /// An application the regulator decides: within the division (else not found), still pending.
    func reviewable(_ id: UUID, scope: AccessScope) async throws -> Application {
        guard case .division(let division) = scope else { throw AppError.forbidden }
        guard let application = try await Application.find(id, on: database.database()),
            DivisionCode(application.divisionCode).map(division.reaches) == true
        else { throw AppError.notFound }
        return application
    }

    /// Moves a pending application to `status` once (a second decision, however close, is refused)
    /// with the change and the audit event in one transaction.
    func decide(
        _ application: Application, to status: String, reason: String?, by account: AccountSnapshot,
        _ change: @escaping @Sendable (any Database) async throws -> String
    ) async throws {
        guard application.status == Application.pending else { throw Self.decided(application) }
        let id = application.uuid
        let now = ServerClock.now()
        let action =
            switch status {
            case Application.approved: "national-access.approved"
            case Application.rejected: "national-access.rejected"
            default: "national-access.withdrawn"
            }
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            let moved = try await NationalAccessQueries(tx).decide(
                id, to: status, at: now, by: account.id, name: account.displayName, reason: reason)
            guard moved else { throw Self.decided(application) }
            application.status = status
            let summary = try await change(tx)
            return ((), Self.draft(action, application, summary))
        }
    }

    static func decided(_ application: Application) -> AppError {
        AppError(
            .conflict, code: "ACCESS_ALREADY_DECIDED", message: "该申请已处理（\(statusName(application.status))），不能再次审核或撤回")
    }

    /// A national app within the scope's reach: the holder enterprise, or a regulator of its division.
    func credential(_ id: UUID, scope: AccessScope) async throws -> AppCredentialModel {
        guard let app = try await AppCredentialModel.find(id, on: database.database()),
            app.kind == NationalApps.kind, Self.reaches(scope, app)
        else { throw AppError.notFound }
        return app
    }

    /// The same, still active.
    func active(_ id: UUID, scope: AccessScope) async throws -> AppCredentialModel {
        let app = try await credential(id, scope: scope)
        guard app.status == "active", app.revokedAt == nil else {
            throw AppError(.conflict, code: "ACCESS_APP_REVOKED", message: "应用 \(app.appID) 已注销；需要重新接入时请提交新的接入申请")
        }
        return app
    }

    static func reaches(_ scope: AccessScope, _ app: AppCredentialModel) -> Bool {
        switch scope {
        case .division(let division):
            guard let code = app.divisionCode.flatMap({ DivisionCode($0) }) else { return false }
            return division.reaches(code)
        case .enterprise(let id, _): return app.$enterprise.id == id
        case .worker: return false
        }
    }

    static func draft(_ action: String, _ application: Application, _ summary: String) -> AuditDraft {
        AuditDraft(
            action: action, entityType: "national_access_application", entityID: application.uuid.uuidString,
            divisionCode: application.divisionCode, enterpriseID: application.enterpriseID.uuidString,
            summary: summary,
            change: [
                "status": application.status, "methods": application.methods, "sourceIPs": application.sourceIPs,
            ])
    }

    static func draft(_ action: String, _ app: AppCredentialModel, _ summary: String) -> AuditDraft {
        AuditDraft(
            action: action, entityType: "app_credential", entityID: app.uuid.uuidString,
            divisionCode: app.divisionCode ?? "", enterpriseID: app.$enterprise.id?.uuidString ?? "",
            summary: summary, change: ["appID": app.appID, "status": app.status])
    }

    static func statusName(_ status: String) -> String {
        switch status {
        case Application.pending: "待审核"
        case Application.approved: "已批准"
        case Application.rejected: "已驳回"
        case Application.withdrawn: "已撤回"
        default: status
        }
    }

    static func outcomeName(_ outcome: NationalApps.Configured) -> String {
        switch outcome {
        case .created: "新建"
        case .updated: "更新设置"
        case .reissued: "重新签发密钥"
        }
    }
}
