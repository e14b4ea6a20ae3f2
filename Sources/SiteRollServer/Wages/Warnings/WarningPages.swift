import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The warning boards (G4): regulators' board for their division with the on-demand run, the
/// enterprises' board of warnings addressed to them or their projects, a detail page with every
/// evidence row, and the worker's phone page about their own pay. Each page is one read of
/// `WarningReads` and a template; one service behind all of them.
struct WarningPages: Sendable {
    let warnings: WarningService
    let reads: WarningReads
    let pages: PageRenderer
    let navigation: Navigation

    init(warnings: WarningService, projects: ProjectServices, pages: PageRenderer, navigation: Navigation) {
        self.warnings = warnings
        self.reads = WarningReads(warnings: warnings, projects: projects, divisions: navigation.divisions)
        self.pages = pages
        self.navigation = navigation
    }

    func addRoutes(gov: RouterGroup<GovContext>, corp: RouterGroup<CorpContext>, mobile: RouterGroup<WorkerContext>) {
        addConsoleRoutes(to: gov)
        addConsoleRoutes(to: corp)
        /// Runs every rule now (立即运行预警).
        gov.post(Paths.relative(Paths.Gov.warnings + "/run", to: .gov)) { request, context in
            try await PageOutcome.respond(to: Paths.Gov.warnings) {
                Flash(try await warnings.run(trigger: .manual, by: context.account).notice)
            } refused: { error in
                try await board(request, context, error: error)
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
            let view = try await reads.phone(context.caller)
            return pages.html(
                "m-warnings", view,
                layout: navigation.layout(
                    .mobile, title: "工资提醒", identity: context.identity, current: request.uri.path))
        }
    }

    private func addConsoleRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        let root = WarningReads.base(Context.audience)
        /// The board: counts per rule and status, filters, the warnings.
        group.get(Paths.relative(root, to: Context.audience)) { request, context in
            try await board(request, context)
        }
        /// One warning: evidence, due date, history and actions.
        group.get(Paths.relative(root + "/:id", to: Context.audience)) { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
            return try await detail(id, context)
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

    /// The board; a refused filter shows the unfiltered board with the refusal above it.
    func board<Context: ConsoleContext>(_ request: Request, _ context: Context, error: AppError? = nil) async throws
        -> Response
    {
        var problem = error
        var query: WarningBoardQuery
        do {
            query = try WarningBoardQuery(request, scope: context.scope)
        } catch let refusal as AppError {
            problem = refusal
            query = WarningBoardQuery()
        }
        var view = try await reads.board(context.caller, query: query)
        view.error = problem
        return render(
            "warning-board", view, title: "工资支付预警", context: context, path: view.base,
            status: problem?.status ?? .ok)
    }

    /// One warning, with a handling action's refusal.
    func detail<Context: ConsoleContext>(_ id: UUID, _ context: Context, error: AppError? = nil) async throws
        -> Response
    {
        var view = try await reads.warning(id, context.caller)
        view.error = error
        return render(
            "warning-detail", view, title: view.pageTitle, context: context, path: view.base,
            status: error?.status ?? .ok)
    }

    /// Runs a handling action; the warning's page shows its notice, or its refusal (a 403 stays
    /// a 403).
    private func act<Context: ConsoleContext>(
        _ request: Request, _ context: Context, _ change: (UUID) async throws -> Flash
    ) async throws -> Response {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
        return try await PageOutcome.respond(to: WarningReads.base(Context.audience) + "/\(id.uuidString)") {
            try await change(id)
        } refused: { error in
            guard error.status != .forbidden else { throw error }
            return try await detail(id, context, error: error)
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

/// The board's query as asked, validated: every bad value is refused with its own code, in
/// Chinese; a division outside the caller's reach is refused like an unknown one.
struct WarningBoardQuery: Sendable {
    var filter = WarningService.Filter()
    var ruleText = ""
    var statusText = ""
    var divisionText = ""
    var projectText = ""
    /// "list": one row per warning; otherwise one row per project and rule.
    var viewText = ""
    var page = 1

    var listsEach: Bool { viewText == "list" }

    init() {}

    init(_ request: Request, scope: AccessScope) throws {
        let query = RequestQuery(request)
        ruleText = query.text("rule", max: 40).uppercased()
        statusText = query.text("status", max: 40)
        divisionText = query.text("division", max: 40)
        projectText = query.text("project", max: 40)
        viewText = try query.choice("view", in: ["groups", "list"], label: "显示方式") ?? ""
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

    /// The same query shown another way (grouped or one row per warning), from its first page.
    func link(base: String, view: String) -> String {
        var other = self
        other.viewText = view
        return other.link(base: base, page: 1)
    }

    /// The board's link for another page of the same query.
    func link(base: String, page: Int) -> String {
        let pairs = [
            ("rule", ruleText), ("status", statusText), ("division", divisionText), ("project", projectText),
            ("view", viewText), ("page", page > 1 ? String(page) : ""),
        ].filter { !$0.1.isEmpty }
        return base
            + (pairs.isEmpty ? "" : "?" + pairs.map { "\($0.0)=\($0.1.formQueryEncoded)" }.joined(separator: "&"))
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
