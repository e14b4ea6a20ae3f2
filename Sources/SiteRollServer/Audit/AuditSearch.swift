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
        /// The exact username (the API's filter).
        var actor: String?
        /// Part of a username or of an account's name (the console's search box).
        var person: String?
        var entityID: String?
        var from: Date?
        var to: Date?
        var limit = 200
        var offset = 0
    }

    func search(in scope: AccessScope, _ filter: Filter = Filter()) async throws -> [AuditEventModel] {
        try await query(in: scope, filter).sort(\.$sequence, .descending)
            .range(max(0, filter.offset)..<(max(0, filter.offset) + max(1, min(filter.limit, 5_000)))).all()
    }

    /// How many events the filter matches (for paging).
    func count(in scope: AccessScope, _ filter: Filter = Filter()) async throws -> Int {
        try await query(in: scope, filter).count()
    }

    private func query(in scope: AccessScope, _ filter: Filter) async throws -> QueryBuilder<AuditEventModel> {
        let db = database.database()
        var query = AuditEventModel.query(on: db)
        switch scope {
        case .division(let division): query = query.filter(\.$divisionCode =~ division.scopePrefix)
        case .enterprise(let id, _): query = query.filter(\.$enterpriseID == id.uuidString)
        case .worker(_, let account): query = query.filter(\.$actorID == account.uuidString)
        }
        if let action = filter.action, !action.isEmpty { query = query.filter(\.$action == action) }
        if let actor = filter.actor, !actor.isEmpty { query = query.filter(\.$actorName == actor) }
        if let person = filter.person?.trimmingCharacters(in: .whitespaces), !person.isEmpty {
            // Part of a username, or part of an account's name (events keep the username only).
            let needle = String(person.prefix(64))
            let named = try await AccountModel.query(on: db).group(.or) {
                $0.filter(\.$displayName ~~ needle).filter(\.$username ~~ needle.lowercased())
            }.limit(500).all(\.$username)
            query = query.group(.or) { group in
                group.filter(\.$actorName ~~ needle.lowercased())
                if !named.isEmpty { group.filter(\.$actorName ~~ named) }
            }
        }
        if let entity = filter.entityID, !entity.isEmpty { query = query.filter(\.$entityID == entity) }
        if let from = filter.from { query = query.filter(\.$occurredAt >= from) }
        if let to = filter.to { query = query.filter(\.$occurredAt < to) }
        return query
    }

    /// The action filter's choices grouped by subsystem (a flat list of ~90 is hard to scan).
    static func actionGroups(selected: String) -> [(label: String, options: [SelectOption])] {
        let groups: [(String, [String])] = [
            ("账号与登录", ["login.", "logout", "account.", "app.", "demo."]),
            (
                "实名",
                [
                    "enterprise.", "verification.", "worker.verified", "worker.found-existing",
                    "worker.id-number-viewed",
                    "restriction.",
                ]
            ),
            (
                "项目与用工",
                ["project.", "team.", "contract.", "training.", "worker.entered", "worker.exited", "worker.imported"]
            ),
            ("考勤", ["attendance."]),
            (
                "工资",
                [
                    "payroll.", "wage-card.", "wage-agreement.", "wage.", "wage-account.", "wage-guarantee.",
                    "wage-payment.", "bank-simulator.",
                ]
            ),
            ("工资预警", ["warning."]),
            ("系统接入", ["national-access."]),
        ]
        var taken = Set<String>()
        var result: [(label: String, options: [SelectOption])] = []
        for (label, prefixes) in groups {
            let actions = actionNames.keys.filter { key in
                !taken.contains(key) && prefixes.contains { $0.hasSuffix(".") ? key.hasPrefix($0) : key == $0 }
            }.sorted()
            taken.formUnion(actions)
            result.append(
                (label, actions.map { SelectOption(value: $0, label: actionNames[$0] ?? $0, selected: $0 == selected) })
            )
        }
        let rest = actionNames.keys.filter { !taken.contains($0) }.sorted()
        if !rest.isEmpty {
            result.append(
                ("其他", rest.map { SelectOption(value: $0, label: actionNames[$0] ?? $0, selected: $0 == selected) }))
        }
        return result
    }

    /// Chinese names of every action SiteRoll records (a test checks that none is missing).
    static let actionNames: [String: String] = [
        "login.succeeded": "登录成功", "login.failed": "登录失败", "account.locked": "账号锁定", "login.throttled": "登录频率受限（安全提醒）",
        "logout": "退出登录",
        "account.created": "创建账号", "account.password-changed": "修改密码", "demo.seeded": "装入演示数据",
        "app.registered": "登记接入系统", "app.token-issued": "接入系统换取令牌",
        "enterprise.verified": "企业实名核验通过", "enterprise.suspended": "暂停企业", "enterprise.reinstated": "恢复企业",
        "verification.refused": "实名核验未通过", "verification.waiting": "实名核验等待权威核验",
        "worker.verified": "工人实名核验通过", "worker.found-existing": "关联已登记工人",
        "worker.id-number-viewed": "查看完整身份证号", "restriction.added": "登记限制名单", "restriction.lifted": "解除限制",
        "project.registered": "登记项目", "project.geofence-set": "设置考勤围栏", "project.board-set": "更新维权告示牌",
        "project.unit-added": "参建单位进场", "project.unit-exited": "参建单位退场", "project.manager-appointed": "登记管理人员任职",
        "team.created": "新建班组", "team.exited": "班组退场", "team.founded": "工人创建班组", "team.invited": "邀请加入班组",
        "team.invitation-accepted": "接受班组邀请", "team.invitation-declined": "拒绝班组邀请", "team.engaged": "承接工人自建班组",
        "payroll.generated": "生成工资表", "payroll.imported": "导入工资表", "payroll.line-changed": "修改工资明细",
        "payroll.line-added": "工资表增加工人", "payroll.line-removed": "工资表删除工人", "payroll.scan-attached": "上传签字工资表",
        "payroll.scan-viewed": "查看签字工资表", "payroll.submitted": "提交工资表", "wage-card.registered": "登记工资卡",
        "wage-agreement.registered": "登记工资代发协议", "wage-agreement.scan-viewed": "查看工资代发协议",
        "wage.confirmed": "工人确认工资", "wage.objected": "工人对工资提出异议",
        "contract.signed": "登记劳动合同", "contract.file-viewed": "查看劳动合同文件", "training.registered": "登记培训",
        "worker.entered": "工人进场", "worker.exited": "工人退场", "worker.imported": "花名册导入进场",
        "wage-account.recorded": "登记工资专用账户", "wage-account.changed": "变更工资专用账户",
        "wage-guarantee.recorded": "登记工资保证金", "attendance.device-registered": "登记考勤设备",
        "attendance.device-batch": "设备上传考勤", "attendance.phone-punch": "手机打卡",
        "attendance.phone-suspicious": "手机打卡（待核实）", "attendance.review-accepted": "认可可疑打卡",
        "attendance.review-rejected": "不认可可疑打卡", "attendance.phone-rebound": "同意更换考勤手机",
        "attendance.manual-requested": "申请补登考勤", "attendance.manual-confirmed": "确认补登",
        "attendance.manual-rejected": "驳回补登", "attendance.punch-corrected": "更正打卡", "attendance.policy-set": "修改手机考勤规则",
        "warning.run": "运行工资预警", "warning.reopened": "预警再次出现", "warning.acknowledged": "预警已知悉",
        "warning.dismissed": "驳回预警",
        "wage-payment.sent": "发出工资代发指令", "wage-payment.settled": "记录银行代发结果", "wage-payment.accepted": "银行受理代发指令",
        "wage-payment.unsent": "代发指令未得到银行应答", "wage-payment.rejected": "银行拒绝代发指令", "wage-account.synced": "同步专户银行流水",
        "bank-simulator.account-opened": "在银行模拟器开立专户", "bank-simulator.labour-cost": "银行模拟器记入人工费拨付",
        "national-access.applied": "申请系统接入", "national-access.withdrawn": "撤回系统接入申请",
        "national-access.approved": "批准系统接入", "national-access.rejected": "驳回系统接入申请",
        "national-access.secret-shown": "查看接入密钥（仅一次）", "national-access.rotated": "重置接入密钥",
        "national-access.revoked": "注销接入应用",
    ]

    /// Chinese names of the kinds of record an event is about.
    static let entityNames: [String: String] = [
        "account": "账号", "session": "会话", "app": "接入系统", "enterprise": "企业", "worker": "工人", "platform": "平台",
        "verification": "实名核验", "restriction": "限制名单", "project": "项目", "project_unit": "参建单位",
        "project_manager": "管理人员任职", "team": "班组", "labour_contract": "劳动合同", "payroll": "工资表", "payroll_line": "工资明细",
        "wage_agreement": "工资代发协议", "training": "培训",
        "project_worker": "项目工人", "wage_account": "工资专用账户", "wage_guarantee": "工资保证金",
        "attendance_device": "考勤设备", "attendance_punch": "考勤记录", "manual_punch_request": "补登申请",
        "warning_run": "预警运行", "wage_warning": "工资预警",
        "wage_payment_batch": "工资代发批次",
        "national_access_application": "系统接入申请", "app_credential": "接入应用",
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
        entity = AuditSearch.entityNames[event.entityType] ?? event.entityType
        summary = event.summary
        division = DivisionCode(event.divisionCode).flatMap { divisions.division($0)?.name } ?? event.divisionCode
    }
}
