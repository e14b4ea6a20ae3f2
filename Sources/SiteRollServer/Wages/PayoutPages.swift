import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The dedicated account's balance and statement, and a payroll's pay-on-behalf batches (E9, W12),
/// in the consoles: the general contractor pays and syncs; regulators read the same pages. Each
/// page is one read of `PayoutReads` and a template.
struct PayoutPages: Sendable {
    let payouts: PayoutService
    let projects: ProjectPages
    let reads: PayoutReads

    init(payouts: PayoutService, projects: ProjectPages) {
        self.payouts = payouts
        self.projects = projects
        self.reads = PayoutReads(projects: projects.reads, payouts: payouts)
    }

    func addReadRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// The dedicated account: balance from the bank and the synced statement.
        group.get(ProjectTab.account.route) { request, context in
            try await account(context, path: request.uri.path)
        }
        /// A payroll's pay-on-behalf batches with each line's outcome.
        group.get(WagePath.payments.route) { request, context in
            try await payments(context, path: request.uri.path)
        }
    }

    func addContractorRoutes(to group: RouterGroup<CorpContext>) {
        /// 同步银行流水.
        group.post(WagePath.accountSync.route) { request, context in
            let id = try projects.projectID(context)
            return try await PageOutcome.respond(to: ProjectPath(audience: .corp, project: id).tab(.account)) {
                Flash(try await payouts.syncStatement(project: id, scope: context.scope, by: context.account).message)
            } refused: { error in
                try await account(context, path: request.uri.path, error: error)
            }
        }
        /// Simulator only: open the dedicated account at the bank simulator.
        group.post(WagePath.simulatorOpen.route) { request, context in
            let id = try projects.projectID(context)
            return try await PageOutcome.respond(to: ProjectPath(audience: .corp, project: id).tab(.account)) {
                try await payouts.openInSimulator(project: id, scope: context.scope, by: context.account)
                return "已在银行模拟器中开立该专户（模拟，非真实开户）"
            } refused: { error in
                try await account(context, path: request.uri.path, error: error)
            }
        }
        /// Simulator only: the builder's labour-cost transfer in, then a statement sync.
        group.post(WagePath.simulatorLabourCost.route) { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            return try await PageOutcome.respond(to: ProjectPath(audience: .corp, project: id).tab(.account)) {
                let synced = try await payouts.simulateLabourCost(
                    amount: form.text("amount"), payerName: form.text("payerName"), project: id,
                    scope: context.scope, by: context.account)
                return "银行模拟器已记入建设单位拨付的人工费（模拟，非真实到账）；\(synced.message)"
            } refused: { error in
                try await account(context, path: request.uri.path, error: error)
            }
        }
        /// 通过专户代发 / 重新代发失败项: sends every unpaid or failed line.
        group.post(WagePath.payments.route) { request, context in
            let id = try projects.projectID(context)
            guard let payrollID = context.parameters.get("payroll", as: UUID.self) else { throw AppError.notFound }
            return try await paid(context, path: request.uri.path) {
                try await payouts.pay(payroll: payrollID, project: id, scope: context.scope, by: context.account)
            }
        }
        /// 重新发送 (an unsent batch, same instruction id) or 查询银行结果 (a batch the bank is processing).
        group.post(WagePath.batchRetry.route) { request, context in
            let id = try projects.projectID(context)
            guard let batchID = context.parameters.get("batch", as: UUID.self) else { throw AppError.notFound }
            return try await paid(context, path: request.uri.path) {
                try await payouts.retry(batch: batchID, project: id, scope: context.scope, by: context.account)
            }
        }
    }

    /// Runs a payment and goes on to the payments page with what the bank said: a settled batch
    /// as a notice, anything else as a warning.
    private func paid(
        _ context: CorpContext, path: String, _ pay: () async throws -> PayoutService.Outcome
    ) async throws -> Response {
        let id = try projects.projectID(context)
        guard let payrollID = context.parameters.get("payroll", as: UUID.self) else { throw AppError.notFound }
        return try await PageOutcome.respond(to: ProjectPath(audience: .corp, project: id).wage(.payments, payrollID)) {
            let result = try await pay()
            var notice = result.message
            if let problem = result.syncProblem { notice += "；专户流水未能同步：\(problem)" }
            return Flash(notice, warning: !result.isSettled, code: result.isSettled ? nil : "BANK_NO_ANSWER")
        } refused: { error in
            try await payments(context, path: path, error: error)
        }
    }

    /// The dedicated account, with a form's refusal.
    func account<Context: ConsoleContext>(_ context: Context, path: String, error: AppError? = nil) async throws
        -> Response
    {
        let view = try await reads.account(try projects.projectID(context), context.caller)
        return projects.render("wage-account", view, context: context, path: path, error: error)
    }

    /// A payroll's payments, with a form's refusal.
    func payments<Context: ConsoleContext>(_ context: Context, path: String, error: AppError? = nil) async throws
        -> Response
    {
        guard let payrollID = context.parameters.get("payroll", as: UUID.self) else { throw AppError.notFound }
        let view = try await reads.payments(try projects.projectID(context), context.caller, payroll: payrollID)
        return projects.render("payroll-payments", view, context: context, path: path, error: error)
    }
}
