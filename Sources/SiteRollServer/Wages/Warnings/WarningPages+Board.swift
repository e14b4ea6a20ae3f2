import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The board: a table of counts per rule and status, the filters (rule, status, project, and for
/// regulators a division within reach), the run button and the latest run, and the warnings.
extension WarningPages {
    struct CountRow: Sendable {
        var rule: String
        var title: String
        var href: String
        var open: Int
        var acknowledged: Int
        var dismissed: Int
        var resolved: Int
    }

    struct BoardModel: Sendable {
        var base: String
        var csrf: String
        var isRegulator: Bool
        var error: AppError?
        var notice: String?
        var rulesVersion: String
        var lastRun: String?
        var counts: [CountRow]
        var total: CountRow
        var rules: [SelectOption]
        var statuses: [SelectOption]
        var divisions: [SelectOption]
        var projectQuery: String
        var rows: [Row]
        var hasRows: Bool
        var found: Int
        var range: String
        var previous: String?
        var next: String?
    }

    static let pageSize = 100

    /// The query as asked, validated: every bad value is refused with its own code, in Chinese.
    struct BoardQuery: Sendable {
        var filter = WarningService.Filter()
        var ruleText = ""
        var statusText = ""
        var divisionText = ""
        var projectText = ""
        var page = 1

        init() {}

        init(_ request: Request, scope: AccessScope) throws {
            let query = RequestQuery(request)
            ruleText = query.text("rule", max: 40).uppercased()
            statusText = query.text("status", max: 40)
            divisionText = query.text("division", max: 40)
            projectText = query.text("project", max: 40)
            if !ruleText.isEmpty {
                guard let rule = WarningRuleID(rawValue: ruleText) else {
                    throw AppError(
                        .badRequest, code: "WARNING_FILTER_RULE", message: "所选的预警规则不存在，请在规则列表中选择")
                }
                filter.rule = rule
            }
            switch statusText {
            case "", "active": filter.statuses = [.open, .acknowledged]
            case "all": filter.statuses = nil
            default:
                guard let status = WarningStatus(rawValue: statusText) else {
                    throw AppError(
                        .badRequest, code: "WARNING_FILTER_STATUS",
                        message: "所选的预警状态不存在，请在状态列表中选择")
                }
                filter.statuses = [status]
            }
            if !divisionText.isEmpty {
                guard case .division(let own) = scope, let division = DivisionCode(divisionText), own.reaches(division)
                else {
                    throw AppError(
                        .badRequest, code: "WARNING_FILTER_DIVISION", message: "区划代码“\(divisionText)”不在您的监管范围内")
                }
                filter.divisionPrefix = division.scopePrefix
            }
            page = try query.page()
        }

        func link(base: String, page: Int) -> String {
            let pairs = [
                ("rule", ruleText), ("status", statusText), ("division", divisionText), ("project", projectText),
                ("page", page > 1 ? String(page) : ""),
            ].filter { !$0.1.isEmpty }
            return base
                + (pairs.isEmpty ? "" : "?" + pairs.map { "\($0.0)=\($0.1.formQueryEncoded)" }.joined(separator: "&"))
        }
    }

    func board<Context: ConsoleContext>(
        _ request: Request, _ context: Context, error: AppError? = nil, notice: String? = nil
    ) async throws -> Response {
        let base = Context.audience.basePath + "/warnings"
        var problem = error
        var query: BoardQuery
        do {
            query = try BoardQuery(request, scope: context.scope)
        } catch let refusal as AppError {
            problem = refusal
            query = BoardQuery()
        }
        if !query.projectText.isEmpty {
            if let id = UUID(uuidString: query.projectText) {
                query.filter.projectIDs = [id]
            } else {
                query.filter.projectIDs = try await projects.projects.list(
                    in: context.scope, search: query.projectText, limit: 500
                ).compactMap(\.id)
            }
        }
        let today = WarningService.today()
        let counts = try await warnings.counts(in: context.scope, query.filter)
        let (rows, found) = try await warnings.list(
            in: context.scope, query.filter, limit: Self.pageSize, offset: (query.page - 1) * Self.pageSize)
        let countRows = WarningRuleID.allCases.map { rule in
            let byStatus = counts[rule] ?? [:]
            return CountRow(
                rule: rule.rawValue, title: rule.rule.title, href: "\(base)?rule=\(rule.rawValue)",
                open: byStatus[.open] ?? 0, acknowledged: byStatus[.acknowledged] ?? 0,
                dismissed: byStatus[.dismissed] ?? 0, resolved: byStatus[.resolved] ?? 0)
        }
        let first = (query.page - 1) * Self.pageSize
        let model = BoardModel(
            base: base, csrf: context.identity.csrfToken, isRegulator: Context.audience == .gov, error: problem,
            notice: notice, rulesVersion: WarningCatalogue.version, lastRun: try await lastRunText(),
            counts: countRows,
            total: CountRow(
                rule: "", title: "合计", href: base, open: countRows.reduce(0) { $0 + $1.open },
                acknowledged: countRows.reduce(0) { $0 + $1.acknowledged },
                dismissed: countRows.reduce(0) { $0 + $1.dismissed }, resolved: countRows.reduce(0) { $0 + $1.resolved }
            ),
            rules: [SelectOption(value: "", label: "全部规则")]
                + WarningRuleID.allCases.map {
                    SelectOption(
                        value: $0.rawValue, label: $0.rule.title, selected: $0 == query.filter.rule)
                },
            statuses: [("active", "未解决（待处理、已知悉）"), ("all", "全部状态")]
                .map { SelectOption(value: $0.0, label: $0.1, selected: query.statusText == $0.0) }
                + WarningStatus.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.chineseName, selected: query.statusText == $0.rawValue)
                },
            divisions: divisionOptions(context.scope, selected: query.divisionText), projectQuery: query.projectText,
            rows: rows.map { Self.row($0, base: base, today: today) }, hasRows: !rows.isEmpty, found: found,
            range: rows.isEmpty ? "" : "第 \(first + 1)–\(first + rows.count) 条",
            previous: query.page > 1 ? query.link(base: base, page: query.page - 1) : nil,
            next: first + rows.count < found ? query.link(base: base, page: query.page + 1) : nil)
        return render(
            "warning-board", model, title: "工资支付预警", context: context, path: base,
            status: problem?.status ?? .ok)
    }

    private func divisionOptions(_ scope: AccessScope, selected: String) -> [SelectOption] {
        guard case .division(let own) = scope else { return [] }
        let below = navigation.divisions.descendants(of: own)
        return [SelectOption(value: "", label: "全部（\(navigation.divisions.fullName(of: own))）")]
            + below.filter { $0.code != own }.map {
                SelectOption(
                    value: $0.code.rawValue, label: "\($0.code.rawValue) \(navigation.divisions.fullName(of: $0.code))",
                    selected: $0.code.rawValue == selected)
            }
    }

    private func lastRunText() async throws -> String? {
        guard let run = try await warnings.recentRuns(limit: 1).first else { return nil }
        let trigger = WarningService.Trigger(rawValue: run.trigger)?.chineseName ?? run.trigger
        let state =
            switch run.status {
            case "running": "运行中"
            case "finished": "已完成"
            default: "失败"
            }
        return "\(ChineseFormat.dateTime(run.startedAt))（\(trigger)，\(state)）\(run.message.map { "：\($0)" } ?? "")"
    }
}

extension String {
    /// A query-string value: everything but unreserved characters percent-encoded.
    var formQueryEncoded: String {
        let allowed = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
