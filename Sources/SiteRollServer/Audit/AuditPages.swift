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
            let query = request.uri.queryParameters
            let action = query["action"].map(String.init) ?? ""
            let actor = String((query["actor"].map(String.init) ?? "").prefix(64))
            let fromText = query["from"].map(String.init) ?? ""
            let toText = query["to"].map(String.init) ?? ""
            let from = Self.day(fromText)
            let to = Self.day(toText).map { $0.addingTimeInterval(86_400) }
            if (!fromText.isEmpty && from == nil) || (!toText.isEmpty && to == nil) {
                throw AppError.badRequest("DATE_INVALID", "日期格式应为 年-月-日，例如 2026-11-25")
            }
            let events = try await audit.search(
                in: context.scope, .init(action: action, actor: actor, from: from, to: to, limit: 200)
            ).map { AuditRow($0, divisions: navigation.divisions) }
            let model = SearchModel(
                base: Context.audience.basePath,
                actions: AuditSearch.actionNames.sorted { $0.key < $1.key }.map {
                    Option(value: $0.key, label: $0.value, selected: $0.key == action)
                },
                actor: actor, from: from == nil ? "" : fromText, to: to == nil ? "" : toText,
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
    static func day(_ text: String) -> Date? {
        guard !text.isEmpty else { return nil }
        let formatter = DateFormatter()
        formatter.timeZone = ChineseFormat.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        return formatter.date(from: text)
    }
}
