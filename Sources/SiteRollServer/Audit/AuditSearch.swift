import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Reads the audit trail within a scope (S5): regulators their divisions, enterprises their
/// own events, workers their own actions.
struct AuditSearch: Sendable {
    let database: DatabaseService

    struct Filter: Sendable {
        var action: String?
        var actor: String?
        var entityID: String?
        var from: Date?
        var to: Date?
        var limit = 200
    }

    func search(in scope: AccessScope, _ filter: Filter = Filter()) async throws -> [AuditEventModel] {
        var query = AuditEventModel.query(on: database.database())
        switch scope {
        case .division(let division): query = query.filter(\.$divisionCode =~ division.scopePrefix)
        case .enterprise(let id, _): query = query.filter(\.$enterpriseID == id.uuidString)
        case .worker(_, let account): query = query.filter(\.$actorID == account.uuidString)
        }
        if let action = filter.action, !action.isEmpty { query = query.filter(\.$action == action) }
        if let actor = filter.actor, !actor.isEmpty { query = query.filter(\.$actorName == actor) }
        if let entity = filter.entityID, !entity.isEmpty { query = query.filter(\.$entityID == entity) }
        if let from = filter.from { query = query.filter(\.$occurredAt >= from) }
        if let to = filter.to { query = query.filter(\.$occurredAt < to) }
        return try await query.sort(\.$sequence, .descending).limit(max(1, min(filter.limit, 500))).all()
    }

    /// Chinese names of the actions recorded so far; unknown actions show their code.
    static let actionNames: [String: String] = [
        "login.succeeded": "登录成功",
        "login.failed": "登录失败",
        "account.locked": "账号锁定",
        "logout": "退出登录",
        "account.created": "创建账号",
        "account.password-changed": "修改密码",
        "demo.seeded": "装入演示数据",
        "app.token-issued": "接入系统换取令牌",
    ]

    static func actionName(_ action: String) -> String { actionNames[action] ?? action }
}

/// One row of an audit table on a page.
struct AuditRow: Sendable {
    var sequence: Int64
    var time: String
    var actor: String
    var action: String
    var actionName: String
    var entity: String
    var summary: String
    var division: String

    init(_ event: AuditEventModel, divisions: DivisionCatalog) {
        sequence = event.sequence
        time = ChineseFormat.dateTime(event.occurredAt)
        actor = event.actorName
        action = event.action
        actionName = AuditSearch.actionName(event.action)
        entity = event.entityType == "account" ? "账号" : event.entityType == "session" ? "会话" : event.entityType
        summary = event.summary
        division = DivisionCode(event.divisionCode).flatMap { divisions.division($0)?.name } ?? event.divisionCode
    }
}
