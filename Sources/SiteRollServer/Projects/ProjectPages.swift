import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The project console (G2 for regulators, read-only; E2 for enterprises): the list, and one page
/// per tab of a project (`ProjectTab`). Each page is one read of `ProjectReads` and a template.
struct ProjectPages: Sendable {
    let services: ProjectServices
    let reads: ProjectReads
    let pages: PageRenderer
    let navigation: Navigation

    init(services: ProjectServices, pages: PageRenderer, navigation: Navigation) {
        self.services = services
        self.reads = ProjectReads(services: services, divisions: navigation.divisions)
        self.pages = pages
        self.navigation = navigation
    }

    func render<Context: ConsoleContext>(
        _ template: String, _ model: Any, title: String, context: Context, path: String,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.html(
            template, model,
            layout: navigation.layout(Context.audience, title: title, identity: context.identity, current: path),
            status: status)
    }

    /// A project page with an outcome's notice or refusal in its head.
    func render<Context: ConsoleContext, View: ProjectView>(
        _ template: String, _ view: View, context: Context, path: String, error: AppError? = nil,
        notice: String? = nil
    ) -> Response {
        var view = view
        view.head.error = error
        view.head.notice = notice
        return render(template, view, title: view.title, context: context, path: path, status: error?.status ?? .ok)
    }

    func projectID<Context: ConsoleContext>(_ context: Context) throws -> UUID {
        guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
        return id
    }

    /// The project of the path as the caller reaches it; 404 outside reach.
    func load<Context: ConsoleContext>(_ context: Context) async throws -> (ProjectModel, ProjectReach.Standing) {
        guard let found = try await services.reach.project(try projectID(context), in: context.scope) else {
            throw AppError.notFound
        }
        return found
    }

    /// The head for a project another subsystem's page has already reached.
    func head<Context: ConsoleContext>(
        _ project: ProjectModel, standing: ProjectReach.Standing, context: Context, tab: ProjectTab,
        error: AppError? = nil, notice: String? = nil
    ) async throws -> ProjectHead {
        var head = try await reads.head(project, standing: standing, caller: context.caller, tab: tab)
        head.error = error
        head.notice = notice
        return head
    }

    func outcome(
        _ change: () async throws -> String, page: (AppError?, String?) async throws -> Response
    ) async throws -> Response {
        try await PageOutcome.respond(change, page: page)
    }

    // MARK: Routes

    /// Read routes for every console that reaches projects (regulators and enterprises).
    func addReadRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// Projects within reach.
        group.get("projects") { request, context in
            let view = try await reads.list(context.caller, search: RequestQuery(request).text("q", max: 40))
            return render("projects", view, title: "项目", context: context, path: request.uri.path)
        }
        /// The overview; `?registered=1` right after registration.
        group.get(ProjectTab.overview.route) { request, context in
            let registered = RequestQuery(request).has("registered")
            return try await show(
                .overview, context, path: request.uri.path,
                notice: registered ? "项目已登记。请继续登记参建单位、管理人员和班组。" : nil)
        }
        for tab in [ProjectTab.units, .managers, .teams, .workers, .contracts, .trainings, .wages, .board] {
            group.get(tab.route) { request, context in try await show(tab, context, path: request.uri.path) }
        }
        /// The entry/exit ledger, filtered, or exported.
        group.get(ProjectTab.ledger.route) { request, context in
            let query = RequestQuery(request)
            var filter = WorkforceRecords.LedgerFilter()
            filter.subject = query.text("subject") == "team" ? "team" : "worker"
            filter.teamID = try query.uuid("team")
            filter.from = try query.date("from", label: "起始日期")?.description
            filter.to = try query.date("to", label: "截止日期")?.description
            filter.name = query.text("q", max: 40)
            let format = try ExportFormat.requested(by: query)
            let view = try await reads.ledger(try projectID(context), context.caller, filter: filter)
            if let format { return Download.export(view.export, as: format) }
            return render("project-ledger", view, context: context, path: request.uri.path)
        }
        /// The contract scan, opened within reach and audited.
        group.get(ProjectPath.route("/contracts/:contract/file")) { request, context in
            guard let contractID = context.parameters.get("contract", as: UUID.self) else { throw AppError.notFound }
            return Download.inline(
                try await services.workforce.contractFile(
                    contractID, project: try projectID(context), scope: context.scope, by: context.account))
        }
    }

    /// One project tab, with an outcome's notice or refusal (after a form's POST).
    func show<Context: ConsoleContext>(
        _ tab: ProjectTab, _ context: Context, path: String, error: AppError? = nil, notice: String? = nil,
        fenceInput: String? = nil, report: RosterImport.Report? = nil
    ) async throws -> Response {
        let id = try projectID(context)
        let caller = context.caller
        switch tab {
        case .overview:
            var view = try await reads.overview(id, caller)
            if let fenceInput { view.fenceText = fenceInput }
            return render("project", view, context: context, path: path, error: error, notice: notice)
        case .units:
            return render(
                "project-units", try await reads.units(id, caller), context: context, path: path, error: error,
                notice: notice)
        case .managers:
            return render(
                "project-managers", try await reads.managers(id, caller), context: context, path: path, error: error,
                notice: notice)
        case .teams:
            return render(
                "project-teams", try await reads.teams(id, caller), context: context, path: path, error: error,
                notice: notice)
        case .workers:
            var view = try await reads.workers(id, caller)
            view.report = report.map {
                ProjectReads.ImportReportView(
                    kind: $0.kind, accepted: $0.accepted, refused: $0.refused, rows: $0.results)
            }
            return render("project-workers", view, context: context, path: path, error: error, notice: notice)
        case .contracts:
            return render(
                "project-contracts", try await reads.contracts(id, caller), context: context, path: path, error: error,
                notice: notice)
        case .trainings:
            return render(
                "project-trainings", try await reads.trainings(id, caller), context: context, path: path, error: error,
                notice: notice)
        case .wages:
            return render(
                "project-wages", try await reads.wages(id, caller), context: context, path: path, error: error,
                notice: notice)
        case .board:
            return render(
                "project-board", try await reads.board(id, caller), context: context, path: path, error: error,
                notice: notice)
        case .ledger, .attendance, .review, .payrolls, .account:
            // Pages of other subsystems (attendance, wages) and the filtered ledger have routes of their own.
            throw AppError.notFound
        }
    }
}
