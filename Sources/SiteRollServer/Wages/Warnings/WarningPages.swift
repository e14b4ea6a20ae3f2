import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The warning boards (G4): regulators' board for their division with the on-demand run, the
/// enterprises' board of warnings addressed to them or their projects, a detail page with every
/// evidence row, and the worker's phone page about their own pay. One service behind all three.
struct WarningPages: Sendable {
    let warnings: WarningService
    let projects: ProjectServices
    let pages: PageRenderer
    let navigation: Navigation

    func addRoutes(gov: RouterGroup<GovContext>, corp: RouterGroup<CorpContext>, mobile: RouterGroup<WorkerContext>) {
        addConsoleRoutes(to: gov)
        addConsoleRoutes(to: corp)
        /// Runs every rule now (立即运行预警).
        gov.post(Paths.relative(Paths.Gov.warnings + "/run", to: .gov)) { request, context in
            do {
                let outcome = try await warnings.run(trigger: .manual, by: context.account)
                return try await board(request, context, notice: outcome.notice)
            } catch let error as AppError {
                return try await board(request, context, error: error)
            }
        }
        /// Dismisses a warning with a reason (regulators only).
        gov.post(Paths.relative(Paths.Gov.warnings + "/:id/dismiss", to: .gov)) { request, context in
            let form = try await FormFields.read(request)
            return try await act(request, context) {
                try await warnings.dismiss($0, reason: form.text("reason"), scope: context.scope, by: context.account)
                return "预警已驳回，理由已记入审计日志"
            }
        }
        /// The worker's own pay warnings, on the phone.
        mobile.get(Paths.relative(Paths.Mobile.warnings, to: .mobile)) { request, context in
            try await phone(request, context)
        }
    }

    private func addConsoleRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        let root = Context.audience.basePath + "/warnings"
        /// The board: counts per rule and status, filters, the warnings.
        group.get(Paths.relative(root, to: Context.audience)) { request, context in
            try await board(request, context)
        }
        /// One warning: evidence, due date, history and actions.
        group.get(Paths.relative(root + "/:id", to: Context.audience)) { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
            return try await detail(id, request, context)
        }
        /// Acknowledges a warning with an optional note on what is being done.
        group.post(Paths.relative(root + "/:id/acknowledge", to: Context.audience)) { request, context in
            let form = try await FormFields.read(request)
            return try await act(request, context) {
                try await warnings.acknowledge($0, note: form.text("note"), scope: context.scope, by: context.account)
                return "已标记为已知悉"
            }
        }
    }

    private func act<Context: ConsoleContext>(
        _ request: Request, _ context: Context, _ change: (UUID) async throws -> String
    ) async throws -> Response {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
        do {
            let notice = try await change(id)
            return try await detail(id, request, context, notice: notice)
        } catch let error as AppError where error.status != .notFound && error.status != .forbidden {
            return try await detail(id, request, context, error: error)
        }
    }

    func render<Context: ConsoleContext>(
        _ template: String, _ model: Any, title: String, context: Context, path: String, status: HTTPResponse.Status
    ) -> Response {
        pages.html(
            template, model,
            layout: navigation.layout(Context.audience, title: title, identity: context.identity, current: path),
            status: status)
    }
}

/// Warning rows and facts as pages show them.
extension WarningPages {
    struct Row: Sendable {
        var href: String
        var rule: String
        var title: String
        var severity: String
        var severityName: String
        var isHigh: Bool
        var subject: String
        var addressee: String
        var summary: String
        var due: String
        var overdue: String
        var status: String
        var statusName: String
        var lastSeen: String
    }

    static func overdue(_ dueOn: String?, status: String, today: LocalDate) -> String {
        guard let due = dueOn.flatMap(LocalDate.init), WarningStatus(rawValue: status)?.isActive == true else {
            return ""
        }
        let days = due.days(until: today)
        return days > 0 ? "已逾期 \(days) 天" : days == 0 ? "今日到期" : ""
    }

    static func row(_ warning: WageWarningModel, base: String, today: LocalDate) -> Row {
        let rule = WarningRuleID(rawValue: warning.ruleID)
        let status = WarningStatus(rawValue: warning.status)
        return Row(
            href: "\(base)/\(warning.uuid.uuidString)", rule: warning.ruleID, title: rule?.rule.title ?? warning.ruleID,
            severity: warning.severity, severityName: WarningSeverity(rawValue: warning.severity)?.chineseName ?? "",
            isHigh: warning.severity == WarningSeverity.high.rawValue, subject: warning.subjectLabel,
            addressee: warning.addressee, summary: warning.summary,
            due: warning.dueOn ?? "", overdue: overdue(warning.dueOn, status: warning.status, today: today),
            status: warning.status, statusName: status?.chineseName ?? warning.status,
            lastSeen: ChineseFormat.dateTime(warning.lastSeenAt))
    }
}
