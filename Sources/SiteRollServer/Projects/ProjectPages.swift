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

    /// A project page with a form's refusal in its head.
    func render<Context: ConsoleContext, View: ProjectView>(
        _ template: String, _ view: View, context: Context, path: String, error: AppError? = nil
    ) -> Response {
        var view = view
        view.head.error = error
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
        error: AppError? = nil
    ) async throws -> ProjectHead {
        var head = try await reads.head(project, standing: standing, caller: context.caller, tab: tab)
        head.error = error
        return head
    }

    /// A project tab's form: a success redirects to the tab with its notice; a refusal shows the
    /// tab with the reasons.
    func outcome<Context: ConsoleContext>(
        _ tab: ProjectTab, _ context: Context, path: String, _ change: () async throws -> Flash
    ) async throws -> Response {
        let location = ProjectPath(audience: Context.audience, project: try projectID(context)).tab(tab)
        return try await PageOutcome.respond(to: location, change) { error in
            try await show(tab, context, path: path, error: error)
        }
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
            try await show(.overview, context, path: request.uri.path)
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

    /// One project tab, with a form's refusal (after its POST).
    func show<Context: ConsoleContext>(
        _ tab: ProjectTab, _ context: Context, path: String, error: AppError? = nil, fenceInput: String? = nil
    ) async throws -> Response {
        let id = try projectID(context)
        let caller = context.caller
        switch tab {
        case .overview:
            var view = try await reads.overview(id, caller)
            if let fenceInput { view.fenceText = fenceInput }
            return render("project", view, context: context, path: path, error: error)
        case .units:
            return render(
                "project-units", try await reads.units(id, caller), context: context, path: path, error: error)
        case .managers:
            return render(
                "project-managers", try await reads.managers(id, caller), context: context, path: path, error: error)
        case .teams:
            return render(
                "project-teams", try await reads.teams(id, caller), context: context, path: path, error: error)
        case .workers:
            return render(
                "project-workers", try await reads.workers(id, caller), context: context, path: path, error: error)
        case .contracts:
            return render(
                "project-contracts", try await reads.contracts(id, caller), context: context, path: path, error: error)
        case .trainings:
            return render(
                "project-trainings", try await reads.trainings(id, caller), context: context, path: path, error: error)
        case .wages:
            return render(
                "project-wages", try await reads.wages(id, caller), context: context, path: path, error: error)
        case .board:
            return render(
                "project-board", try await reads.board(id, caller), context: context, path: path, error: error)
        case .ledger, .attendance, .review, .payrolls, .account:
            // Pages of other subsystems (attendance, wages) and the filtered ledger have routes of their own.
            throw AppError.notFound
        }
    }
}
