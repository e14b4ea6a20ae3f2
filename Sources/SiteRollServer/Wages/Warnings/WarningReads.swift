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

    /// One project's warnings under one rule, opening to the warnings themselves.
    struct GroupRow: Sendable {
        var rule: String
        var title: String
        var project: String
        var severityName: String
        var isHigh: Bool
        var subjects: String
        var count: Int
        var open: Int
        var addressee: String
        var due: String
        var href: String
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
        var divisionPicker: DivisionPicker?
        var projectQuery: String
        /// One row per project and rule (the default) or one row per warning.
        var grouped: Bool
        var groups: [GroupRow]
        var groupsLink: String
        var listLink: String
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
        let offset = (query.page - 1) * Self.pageSize
        var rows: [WageWarningModel] = []
        var groups: [GroupRow] = []
        let found: Int
        if query.listsEach {
            (rows, found) = try await warnings.list(in: caller.scope, filter, limit: Self.pageSize, offset: offset)
        } else {
            let page = try await warnings.groups(in: caller.scope, filter, limit: Self.pageSize, offset: offset)
            found = page.total
            groups = try await groupRows(page.groups, base: base, query: query)
        }
        let shown = query.listsEach ? rows.count : groups.count
        let countRows = WarningRuleID.allCases.map { rule in
            let byStatus = counts[rule] ?? [:]
            return CountRow(
                rule: rule.rawValue, title: rule.rule.title, href: "\(base)?rule=\(rule.rawValue)",
                open: byStatus[.open] ?? 0, acknowledged: byStatus[.acknowledged] ?? 0,
                dismissed: byStatus[.dismissed] ?? 0, resolved: byStatus[.resolved] ?? 0)
        }
        let first = offset
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
            divisionPicker: divisionPicker(caller.scope, selected: query.divisionText), projectQuery: query.projectText,
            grouped: !query.listsEach, groups: groups, groupsLink: query.link(base: base, view: ""),
            listLink: query.link(base: base, view: "list"),
            rows: rows.map { Self.row($0, base: base, today: today) }, hasRows: shown > 0, found: found,
            range: shown == 0 ? "" : "第 \(first + 1)–\(first + shown) \(query.listsEach ? "条" : "组")",
            previous: query.page > 1 ? query.link(base: base, page: query.page - 1) : nil,
            next: first + shown < found ? query.link(base: base, page: query.page + 1) : nil)
    }

    /// The groups with their projects' names (one read of the projects on the page).
    private func groupRows(_ groups: [WarningQueries.Group], base: String, query: WarningBoardQuery) async throws
        -> [GroupRow]
    {
        let ids = Set(groups.compactMap(\.projectID))
        let names = try await projects.projects.names(of: Array(ids))
        let severities: [WarningSeverity] = [.high, .medium, .low]
        return groups.map { group in
            let project = group.projectID.flatMap { names[$0] }
            // A project-level rule's subject is the project itself: said once, in the project column.
            let sample = project.map { group.sample.replacingOccurrences(of: $0 + " · ", with: "") } ?? group.sample
            let severity = severities.indices.contains(group.severityRank) ? severities[group.severityRank] : .low
            var open = query
            open.viewText = "list"
            open.ruleText = group.ruleID
            open.projectText = group.projectID?.uuidString ?? ""
            return GroupRow(
                rule: group.ruleID, title: WarningRuleID(rawValue: group.ruleID)?.rule.title ?? group.ruleID,
                project: project ?? "（不属于具体项目）", severityName: severity.chineseName, isHigh: severity == .high,
                subjects: sample == project ? "项目本身" : group.count == 1 ? sample : "\(sample) 等 \(group.count) 项",
                count: group.count,
                open: group.open, addressee: group.addressee, due: group.firstDue ?? "",
                href: open.link(base: base, page: 1))
        }
    }

    /// A regulator's cascading division filter over its own reach; none for enterprises.
    private func divisionPicker(_ scope: AccessScope, selected: String) -> DivisionPicker? {
        guard case .division(let own) = scope else { return nil }
        let picker = DivisionPicker(
            name: "division", label: "区划", catalog: divisions, root: own, selected: selected,
            lead: [SelectOption(value: "", label: "全部（\(divisions.fullName(of: own))）")])
        return picker.groups.isEmpty ? nil : picker
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
