import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The dedicated account's balance and statement, and a payroll's pay-on-behalf batches (E9, W12),
/// in the consoles: the general contractor pays and syncs; regulators read the same pages.
struct PayoutPages: Sendable {
    let payouts: PayoutService
    let projects: ProjectPages

    func addReadRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>, base: String) {
        /// The dedicated account: balance from the bank and the synced statement.
        group.get("projects/:id/wages/account") { request, context in
            try await account(context, path: request.uri.path, base: base)
        }
        /// A payroll's pay-on-behalf batches with each line's outcome.
        group.get("projects/:id/payrolls/:payroll/payments") { request, context in
            try await payments(context, path: request.uri.path, base: base)
        }
    }

    func addContractorRoutes(to group: RouterGroup<CorpContext>) {
        let base = Paths.Corp.home
        /// 同步银行流水.
        group.post("projects/:id/wages/account/sync") { request, context in
            let id = try projects.projectID(context)
            return try await outcome {
                try await payouts.syncStatement(project: id, scope: context.scope, by: context.account).message
            } page: { error, notice in
                try await account(context, path: request.uri.path, base: base, error: error, notice: notice)
            }
        }
        /// Simulator only: open the dedicated account at the bank simulator.
        group.post("projects/:id/wages/account/simulator/open") { request, context in
            let id = try projects.projectID(context)
            return try await outcome {
                try await payouts.openInSimulator(project: id, scope: context.scope, by: context.account)
                return "已在银行模拟器中开立该专户（模拟，非真实开户）"
            } page: { error, notice in
                try await account(context, path: request.uri.path, base: base, error: error, notice: notice)
            }
        }
        /// Simulator only: the builder's labour-cost transfer in, then a statement sync.
        group.post("projects/:id/wages/account/simulator/labour-cost") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            return try await outcome {
                let synced = try await payouts.simulateLabourCost(
                    amount: form.text("amount"), payerName: form.text("payerName"), project: id,
                    scope: context.scope, by: context.account)
                return "银行模拟器已记入建设单位拨付的人工费（模拟，非真实到账）；\(synced.message)"
            } page: { error, notice in
                try await account(context, path: request.uri.path, base: base, error: error, notice: notice)
            }
        }
        /// 通过专户代发 / 重新代发失败项: sends every unpaid or failed line.
        group.post("projects/:id/payrolls/:payroll/payments") { request, context in
            let id = try projects.projectID(context)
            guard let payrollID = context.parameters.get("payroll", as: UUID.self) else { throw AppError.notFound }
            return try await paid(context, path: request.uri.path) {
                try await payouts.pay(payroll: payrollID, project: id, scope: context.scope, by: context.account)
            }
        }
        /// 重新发送 (an unsent batch, same instruction id) or 查询银行结果 (a batch the bank is processing).
        group.post("projects/:id/payrolls/:payroll/payments/:batch/retry") { request, context in
            let id = try projects.projectID(context)
            guard let batchID = context.parameters.get("batch", as: UUID.self) else { throw AppError.notFound }
            return try await paid(context, path: request.uri.path) {
                try await payouts.retry(batch: batchID, project: id, scope: context.scope, by: context.account)
            }
        }
    }

    private func outcome(
        _ change: () async throws -> String, page: (AppError?, String?) async throws -> Response
    ) async throws -> Response {
        try await projects.outcome(change, page: page)
    }

    /// Runs a payment and renders the payments page with what the bank said.
    private func paid(
        _ context: CorpContext, path: String, _ pay: () async throws -> PayoutService.Outcome
    ) async throws -> Response {
        do {
            let result = try await pay()
            var notice = result.message
            if let problem = result.syncProblem { notice += "；专户流水未能同步：\(problem)" }
            return try await payments(
                context, path: path, base: Paths.Corp.home, notice: result.isSettled ? notice : nil,
                warning: result.isSettled ? nil : notice)
        } catch let error as AppError where error.status != .notFound {
            return try await payments(context, path: path, base: Paths.Corp.home, error: error)
        }
    }

    // MARK: Account

    struct StatementRow {
        var date: String
        var time: String
        var isIn: Bool
        var direction: String
        var kind: String
        var counterparty: String
        var amount: String
        var balanceAfter: String
        var memo: String
        var payments: String?
        var transactionID: String
    }

    struct AccountModel {
        var head: ProjectHead
        var hasAccount: Bool
        var bank: String
        var branch: String
        var accountName: String
        var masked: String
        var openedOn: String
        var balance: String?
        var available: String?
        var asOf: String
        var bankLabel: String
        var balanceError: String?
        var balanceErrorCode: String?
        var notAtSimulator: Bool
        var simulated: Bool
        var rows: [StatementRow]
        var hasRows: Bool
        var labourIn: String
        var wagesOut: String
        var canSync: Bool
        var simulatorControls: Bool
        var builderName: String
        var wagesLink: String
    }

    static let kinds = ["labour_cost": "人工费拨付", "wage": "代发工资", "refund": "退汇", "other": "其他"]

    func account<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    ) async throws -> Response {
        let (project, standing) = try await projects.load(context)
        try standing.requireProjectAccount()
        let root = "\(base)/projects/\(project.uuid.uuidString)"
        let wageAccount = try await payouts.account(of: project.uuid)
        var balance: BankAccountBalance?
        var balanceError: BankGatewayError?
        if let wageAccount {
            switch await payouts.balance(of: wageAccount) {
            case .success(let value): balance = value
            case .failure(let problem): balanceError = problem
            }
        }
        let transactions = try await payouts.transactions(of: project.uuid)
        let batchIDs = Array(Set(transactions.compactMap(\.batchID)))
        let payrolls =
            batchIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await WagePaymentBatchModel.query(on: payouts.database.database())
                    .filter(\.$id ~~ batchIDs).all().map { ($0.uuid, $0.payrollID) })
        let rows = transactions.map { movement in
            StatementRow(
                date: movement.occurredOn, time: ChineseFormat.dateTime(movement.occurredAt),
                isIn: movement.direction == "in", direction: movement.direction == "in" ? "收入" : "支出",
                kind: Self.kinds[movement.kind] ?? movement.kind,
                counterparty: [movement.counterpartyName, movement.counterpartyMasked].compactMap { $0 }
                    .joined(separator: " "),
                amount: Money.yuan(movement.amountFen), balanceAfter: movement.balanceAfterFen.map(Money.yuan) ?? "",
                memo: movement.memo ?? "",
                payments: movement.batchID.flatMap { payrolls[$0] }.map {
                    "\(root)/payrolls/\($0.uuidString)/payments"
                }, transactionID: movement.bankTransactionID)
        }
        let sum = { (kind: String) in Money.sum(transactions.filter { $0.kind == kind }.map(\.amountFen)) }
        let simulatorRuns = payouts.simulator != nil
        let model = AccountModel(
            head: try await projects.head(
                project, standing: standing, context: context, tab: .account, error: error,
                notice: notice),
            hasAccount: wageAccount != nil,
            bank: wageAccount.flatMap { CodeTable.banks.name(of: $0.bankCode) } ?? "",
            branch: wageAccount?.bankName ?? "", accountName: wageAccount?.accountName ?? "",
            masked: wageAccount?.numberMasked ?? "", openedOn: wageAccount?.openedOn ?? "",
            balance: balance.map { Money.yuan($0.balanceFen) }, available: balance.map { Money.yuan($0.availableFen) },
            asOf: balance.flatMap { try? Date($0.asOf, strategy: .iso8601) }.map(ChineseFormat.dateTime) ?? "",
            bankLabel: balance?.bank ?? "",
            balanceError: balanceError.map(\.chineseMessage), balanceErrorCode: balanceError?.code,
            notAtSimulator: simulatorRuns && balanceError?.code == "ACCOUNT_NOT_FOUND",
            simulated: balance?.simulated == true || simulatorRuns || transactions.contains(where: \.simulated),
            rows: rows, hasRows: !rows.isEmpty, labourIn: Money.yuan(sum("labour_cost")),
            wagesOut: Money.yuan(sum("wage")),
            canSync: standing.isContractor && wageAccount != nil,
            simulatorControls: standing.isContractor && wageAccount != nil && simulatorRuns,
            builderName: project.builderName ?? "", wagesLink: "\(root)/wages")
        return projects.render(
            "wage-account", model, title: "\(project.name)：专户收支", context: context, path: path,
            status: error?.status ?? .ok)
    }
}
