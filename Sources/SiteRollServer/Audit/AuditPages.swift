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

    struct SearchModel {
        var base: String
        var actions: [Option]
        var actor: String
        var from: String
        var to: String
        var reachName: String
        var events: [AuditRow]
        var hasEvents: Bool
        var eventCount: Int
    }

    func addRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// Searches the audit trail within the context's reach.
        group.get("audit") { request, context in
            let query = RequestQuery(request)
            let action = query.text("action", max: 64)
            let actor = query.text("actor", max: 64)
            let fromDay = try query.date("from", label: "起始日期")
            let toDay = try query.date("to", label: "截止日期")
            let from = fromDay.flatMap(Self.start(of:))
            let to = toDay.flatMap(Self.start(of:)).map { $0.addingTimeInterval(86_400) }
            let events = try await audit.search(
                in: context.scope, .init(action: action, actor: actor, from: from, to: to, limit: 200)
            ).map { AuditRow($0, divisions: navigation.divisions) }
            let model = SearchModel(
                base: Context.audience.basePath,
                actions: AuditSearch.actionNames.sorted { $0.key < $1.key }.map {
                    Option(value: $0.key, label: $0.value, selected: $0.key == action)
                },
                actor: actor, from: fromDay?.description ?? "", to: toDay?.description ?? "",
                reachName: navigation.reachName(of: context.account), events: events, hasEvents: !events.isEmpty,
                eventCount: events.count)
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
