import Foundation
import SiteRollCore
import SiteRollStore

/// The warning pages' data (G4, M4): one read function per page, each taking the `Caller` and
/// typed arguments and returning the page's view model. Reach is `WarningService`'s predicate
/// (a regulator its division, an enterprise what is addressed to it or its projects and units, a
/// worker their own pay), applied inside every read; the pages only parse and render.
struct WarningReads: Sendable {
    let warnings: WarningService
    let projects: ProjectServices
    let divisions: DivisionCatalog

    static let pageSize = 100

    /// `/gov/warnings`, `/corp/warnings` or `/m/warnings`: the board and the detail pages below it.
    static func base(_ audience: Audience) -> String { audience.basePath + "/warnings" }

    // MARK: Board

    struct CountRow: Sendable {
        var rule: String
        var title: String
        var href: String
        var open: Int
        var acknowledged: Int
        var dismissed: Int
        var resolved: Int
    }

    struct BoardView: Sendable {
        var base: String
        var csrf: String
        var isRegulator: Bool
        var error: AppError?
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

    /// The board as `query` filters it: counts per rule and status, one page of warnings, the latest run.
    func board(_ caller: Caller, query: WarningBoardQuery) async throws -> BoardView {
        let base = Self.base(caller.audience)
        var filter = query.filter
        if !query.projectText.isEmpty {
            if let id = UUID(uuidString: query.projectText) {
                filter.projectIDs = [id]
            } else {
                filter.projectIDs = try await projects.projects.list(
                    in: caller.scope, search: query.projectText, limit: 500
                ).compactMap(\.id)
            }
        }
        let today = WarningService.today()
        let counts = try await warnings.counts(in: caller.scope, filter)
        let (rows, found) = try await warnings.list(
            in: caller.scope, filter, limit: Self.pageSize, offset: (query.page - 1) * Self.pageSize)
        let countRows = WarningRuleID.allCases.map { rule in
            let byStatus = counts[rule] ?? [:]
            return CountRow(
                rule: rule.rawValue, title: rule.rule.title, href: "\(base)?rule=\(rule.rawValue)",
                open: byStatus[.open] ?? 0, acknowledged: byStatus[.acknowledged] ?? 0,
                dismissed: byStatus[.dismissed] ?? 0, resolved: byStatus[.resolved] ?? 0)
        }
        let first = (query.page - 1) * Self.pageSize
        return BoardView(
            base: base, csrf: caller.csrf, isRegulator: caller.audience == .gov, error: nil,
            rulesVersion: WarningCatalogue.version, lastRun: try await lastRunText(), counts: countRows,
            total: CountRow(
                rule: "", title: "合计", href: base, open: countRows.reduce(0) { $0 + $1.open },
                acknowledged: countRows.reduce(0) { $0 + $1.acknowledged },
                dismissed: countRows.reduce(0) { $0 + $1.dismissed }, resolved: countRows.reduce(0) { $0 + $1.resolved }
            ),
            rules: [SelectOption(value: "", label: "全部规则")]
                + WarningRuleID.allCases.map {
                    SelectOption(
                        value: $0.rawValue, label: $0.rule.title, selected: $0 == filter.rule)
                },
            statuses: [("active", "未解决（待处理、已知悉）"), ("all", "全部状态")]
                .map { SelectOption(value: $0.0, label: $0.1, selected: query.statusText == $0.0) }
                + WarningStatus.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.chineseName, selected: query.statusText == $0.rawValue)
                },
            divisions: divisionOptions(caller.scope, selected: query.divisionText), projectQuery: query.projectText,
            rows: rows.map { Self.row($0, base: base, today: today) }, hasRows: !rows.isEmpty, found: found,
            range: rows.isEmpty ? "" : "第 \(first + 1)–\(first + rows.count) 条",
            previous: query.page > 1 ? query.link(base: base, page: query.page - 1) : nil,
            next: first + rows.count < found ? query.link(base: base, page: query.page + 1) : nil)
    }

    private func divisionOptions(_ scope: AccessScope, selected: String) -> [SelectOption] {
        guard case .division(let own) = scope else { return [] }
        let below = divisions.descendants(of: own)
        return [SelectOption(value: "", label: "全部（\(divisions.fullName(of: own))）")]
            + below.filter { $0.code != own }.map {
                SelectOption(
                    value: $0.code.rawValue, label: "\($0.code.rawValue) \(divisions.fullName(of: $0.code))",
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
