import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The wage console of a project (G4 for regulators, read-only; E4 for enterprises): payrolls and
/// their lines, validation before submission, import, the wage ledger, reconciliation and the
/// wage agency agreement. Each page is one read of `WageReads` and a template.
struct WagePages: Sendable {
    let wages: WageServices
    let projects: ProjectPages
    let reads: WageReads

    init(wages: WageServices, projects: ProjectPages) {
        self.wages = wages
        self.projects = projects
        self.reads = WageReads(projects: projects.reads, wages: wages)
    }

    /// Read routes for regulators and enterprises.
    func addReadRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// The payrolls the caller sees.
        group.get(ProjectTab.payrolls.route) { request, context in
            try await list(context, path: request.uri.path)
        }
        /// The wage ledger over a range of months, or its export (`?format=xlsx|csv`).
        group.get(WagePath.ledger.route) { request, context in
            let query = RequestQuery(request)
            let today = PayMonth(containing: ProjectService.today())
            let from = try query.month("from", label: "起始月份") ?? today.nearAdding(months: -11)
            let to = try query.month("to", label: "截止月份") ?? today
            let format = try ExportFormat.requested(by: query)
            let view = try await reads.ledger(try projects.projectID(context), context.caller, from: from, to: to)
            if let format { return Download.export(view.export, as: format) }
            return projects.render("project-wage-ledger", view, context: context, path: request.uri.path)
        }
        /// The import template.
        group.get(WagePath.template.route) { _, _ in
            let example: [[SheetCell]] = [
                [
                    "张三", "510104199001011234", "22", "7700.00", "0", "", "", "6222020402001234567", "102", "张三",
                    "",
                ]
            ]
            return Download.response(
                SpreadsheetWriter.xlsx(sheetName: "工资表", header: PayrollImport.columns, rows: example),
                fileName: "工资表导入模板.xlsx", type: Download.xlsxType)
        }
        /// One payroll with its findings.
        group.get(WagePath.payroll.route) { request, context in
            try await payroll(context, path: request.uri.path)
        }
        /// The signed payroll scan, opened within reach and audited.
        group.get(WagePath.payrollScan.route) { _, context in
            let file = try await wages.payrolls.scan(
                payroll: try payrollID(context), project: try projects.projectID(context), scope: context.scope,
                by: context.account)
            return Download.inline(file)
        }
        /// One month's reconciliation (`?month=YYYY-MM`, last month by default).
        group.get(WagePath.reconciliation.route) { request, context in
            let month =
                try RequestQuery(request).month("month")
                ?? PayMonth(containing: ProjectService.today()).nearAdding(months: -1)
            let view = try await reads.reconciliation(try projects.projectID(context), context.caller, month: month)
            return projects.render("project-reconciliation", view, context: context, path: request.uri.path)
        }
        /// The wage agency agreements.
        group.get(WagePath.agreements.route) { request, context in
            try await agreements(context, path: request.uri.path)
        }
        /// An agreement's scan, opened within reach and audited.
        group.get(WagePath.agreementScan.route) { _, context in
            guard let agreementID = context.parameters.get("agreement", as: UUID.self) else { throw AppError.notFound }
            return Download.inline(
                try await wages.agreements.scan(
                    agreementID, project: try projects.projectID(context), scope: context.scope, by: context.account))
        }
    }

    func payrollID<Context: ConsoleContext>(_ context: Context) throws -> UUID {
        guard let id = context.parameters.get("payroll", as: UUID.self) else { throw AppError.notFound }
        return id
    }

    /// The payroll list, with a form's refusal.
    func list<Context: ConsoleContext>(_ context: Context, path: String, error: AppError? = nil) async throws
        -> Response
    {
        let view = try await reads.list(try projects.projectID(context), context.caller)
        return projects.render("project-payrolls", view, context: context, path: path, error: error)
    }

    /// One payroll, with a form's refusal.
    func payroll<Context: ConsoleContext>(_ context: Context, path: String, error: AppError? = nil) async throws
        -> Response
    {
        let view = try await reads.payroll(
            try projects.projectID(context), context.caller, payroll: try payrollID(context))
        return projects.render("project-payroll", view, context: context, path: path, error: error)
    }

    /// The agreements, with a form's refusal.
    func agreements<Context: ConsoleContext>(_ context: Context, path: String, error: AppError? = nil) async throws
        -> Response
    {
        let view = try await reads.agreements(try projects.projectID(context), context.caller)
        return projects.render("project-wage-agreements", view, context: context, path: path, error: error)
    }
}
