import Foundation
import Hummingbird
import SiteRollCore

/// The audit trail search page (S5): `/gov/audit` for a regulator's divisions, `/corp/audit`
/// for an enterprise's own events.
struct AuditPages: Sendable {
    let audit: AuditSearch
    let pages: PageRenderer
    let navigation: Navigation

    typealias Option = SelectOption

    struct ActionGroup {
        var label: String
        var options: [Option]
    }

    struct SearchModel {
        var base: String
        var groups: [ActionGroup]
        var actor: String
        var from: String
        var to: String
        var reachName: String
        var events: [AuditRow]
        var hasEvents: Bool
        var total: Int
        var first: Int
        var last: Int
        var previous: String?
        var next: String?
        var exportXLSX: String
        var exportCSV: String
    }

    static let pageSize = 100

    func addRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// Searches the audit trail within the context's reach, a page at a time, or exports it.
        group.get("audit") { request, context in
            let query = RequestQuery(request)
            let action = query.text("action", max: 64)
            let actor = query.text("actor", max: 64)
            let fromDay = try query.date("from", label: "起始日期")
            let toDay = try query.date("to", label: "截止日期")
            let page = try query.page()
            let format = try ExportFormat.requested(by: query)
            let from = fromDay.flatMap(Self.start(of:))
            let to = toDay.flatMap(Self.start(of:)).map { $0.addingTimeInterval(86_400) }
            var filter = AuditSearch.Filter(action: action, person: actor, from: from, to: to)
            if let format {
                filter.limit = 5_000
                let rows = try await audit.search(in: context.scope, filter).map {
                    AuditRow($0, divisions: navigation.divisions)
                }
                return Download.export(
                    ExportTable(
                        fileName: Context.audience == .gov ? "审计日志" : "操作记录", sheetName: "审计日志",
                        header: ["序号", "时间", "操作人", "操作", "对象", "说明", "区划"],
                        rows: rows.map {
                            [
                                .integer($0.sequence), .text($0.time), .text($0.actor), .text($0.actionName),
                                .text($0.entity), .text($0.summary), .text($0.division),
                            ]
                        }), as: format)
            }
            filter.limit = Self.pageSize
            filter.offset = (page - 1) * Self.pageSize
            let total = try await audit.count(in: context.scope, filter)
            let events = try await audit.search(in: context.scope, filter).map {
                AuditRow($0, divisions: navigation.divisions)
            }
            var items: [String] = []
            if !action.isEmpty { items.append("action=\(action)") }
            if !actor.isEmpty {
                items.append("actor=\(actor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            }
            if let fromDay { items.append("from=\(fromDay)") }
            if let toDay { items.append("to=\(toDay)") }
            let base = "\(Context.audience.basePath)/audit?" + (items.isEmpty ? "" : items.joined(separator: "&") + "&")
            let model = SearchModel(
                base: Context.audience.basePath,
                groups: AuditSearch.actionGroups(selected: action).map {
                    ActionGroup(label: $0.label, options: $0.options)
                },
                actor: actor, from: fromDay?.description ?? "", to: toDay?.description ?? "",
                reachName: navigation.reachName(of: context.account) + (Context.audience == .gov ? " 及下级区划" : ""),
                events: events, hasEvents: !events.isEmpty,
                total: total, first: events.isEmpty ? 0 : filter.offset + 1, last: filter.offset + events.count,
                previous: page > 1 ? base + "page=\(page - 1)" : nil,
                next: filter.offset + events.count < total ? base + "page=\(page + 1)" : nil,
                exportXLSX: "\(Context.audience.basePath)/audit?" + (items + ["format=xlsx"]).joined(separator: "&"),
                exportCSV: "\(Context.audience.basePath)/audit?" + (items + ["format=csv"]).joined(separator: "&"))
            return pages.html(
                "audit", model,
                layout: navigation.layout(
                    Context.audience, title: Context.audience == .gov ? "审计日志" : "操作记录", identity: context.identity,
                    current: request.uri.path))
        }
    }

    /// A local date (Asia/Shanghai) as the instant its day starts.
    /// Midnight of `day` in Asia/Shanghai.
    static func start(of day: LocalDate) -> Date? { AttendanceService.instant(day, time: "00:00") }
}
