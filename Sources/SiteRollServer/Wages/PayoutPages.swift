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
        var head: ProjectPages.Head
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
        let root = "\(base)/projects/\(project.id!.uuidString)"
        let wageAccount = try await payouts.account(of: project.id!)
        var balance: BankAccountBalance?
        var balanceError: BankGatewayError?
        if let wageAccount {
            switch await payouts.balance(of: wageAccount) {
            case .success(let value): balance = value
            case .failure(let problem): balanceError = problem
            }
        }
        let transactions = try await payouts.transactions(of: project.id!)
        let batchIDs = Array(Set(transactions.compactMap(\.batchID)))
        let payrolls =
            batchIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await WagePaymentBatchModel.query(on: payouts.database.database())
                    .filter(\.$id ~~ batchIDs).all().map { ($0.id!, $0.payrollID) })
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
        let sum = { (kind: String) in transactions.filter { $0.kind == kind }.reduce(Int64(0)) { $0 + $1.amountFen } }
        let simulatorRuns = payouts.simulator != nil
        let model = AccountModel(
            head: try await projects.head(
                project, standing: standing, context: context, base: base, tab: "/wages/account", error: error,
                notice: notice),
            hasAccount: wageAccount != nil,
            bank: wageAccount.flatMap { CodeTable.banks.name(of: $0.bankCode) } ?? "",
            branch: wageAccount?.bankName ?? "", accountName: wageAccount?.accountName ?? "",
            masked: wageAccount?.numberMasked ?? "", openedOn: wageAccount?.openedOn ?? "",
            balance: balance.map { Money.yuan($0.balanceFen) }, available: balance.map { Money.yuan($0.availableFen) },
            asOf: balance.flatMap { try? Date($0.asOf, strategy: .iso8601) }.map(ChineseFormat.dateTime) ?? "",
            bankLabel: balance?.bank ?? "",
            balanceError: balanceError.map { "\($0.chineseMessage)（\($0.code)）" },
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

    // MARK: Payments

    struct LineRow {
        var worker: String
        var card: String
        var due: String
        var paid: String
        var owed: String
        var status: String
        var statusClass: String
        var paidOn: String
        var reason: String
        var failed: Bool
    }

    struct ResultRow {
        var worker: String
        var card: String
        var amount: String
        var status: String
        var failed: Bool
        var reason: String
        var reference: String?
        var settledOn: String
    }

    struct BatchRow {
        var id: String
        var instruction: String
        var sentAt: String
        var status: String
        var statusCode: String
        var canResend: Bool
        var canQuery: Bool
        var lineCount: Int
        var total: String
        var paid: String
        var message: String?
        var simulated: Bool
        var results: [ResultRow]
    }

    struct PaymentsModel {
        var head: ProjectPages.Head
        var payrollID: String
        var code: String
        var month: String
        var unit: String
        var team: String
        var status: String
        var statusCode: String
        var due: String
        var paid: String
        var owed: String
        var lines: [LineRow]
        var batches: [BatchRow]
        var hasBatches: Bool
        var canPay: Bool
        var payLabel: String
        var payHint: String
        var blocked: String?
        var noAccount: Bool
        var accountLink: String
        var warning: String?
        var simulated: Bool
    }

    static let payrollStatuses = [
        "draft": "草稿", "submitted": "已提交，待发放", "paying": "代发中", "paid": "已全部发放", "partly_paid": "部分发放",
    ]
    static let lineStatuses = ["unpaid": "未发放", "paying": "代发中", "paid": "已发放", "failed": "发放失败"]
    static let batchStatuses = [
        "sending": "发送中", "accepted": "银行处理中", "completed": "银行已应答", "unsent": "未得到银行应答，待重新发送",
        "rejected": "银行拒绝",
    ]
    static let resultStatuses = ["pending": "待银行应答", "paid": "成功", "failed": "失败"]

    func payments<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil,
        warning: String? = nil
    ) async throws -> Response {
        let (project, standing) = try await projects.load(context)
        let db = payouts.database.database()
        guard let payrollID = context.parameters.get("payroll", as: UUID.self),
            let payroll = try await PayrollModel.find(payrollID, on: db), payroll.projectID == project.id!
        else { throw AppError.notFound }
        let root = "\(base)/projects/\(project.id!.uuidString)"
        let lines = try await PayrollLineModel.query(on: db).filter(\.$payrollID == payrollID).all()
        let names = try await PayoutService.workerNames(lines.map(\.workerID), on: db)
        let cards = Dictionary(
            uniqueKeysWithValues: try await WorkerBankCardModel.query(on: db).filter(
                \.$id ~~ lines.compactMap(\.cardID)
            )
            .all().map { ($0.id!, $0) })
        let cardText = { (line: PayrollLineModel) -> String in
            guard let card = line.cardID.flatMap({ cards[$0] }) else { return "未登记工资卡" }
            return "\(card.bankName) \(card.numberMasked)\(card.isActive ? "" : "（已停用）")"
        }
        let batches = try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payrollID)
            .sort(\.$sentAt, .descending).all()
        let results = try await WagePaymentResultModel.query(on: db).filter(\.$batchID ~~ batches.compactMap(\.id))
            .all()
        let byLine = Dictionary(uniqueKeysWithValues: lines.map { ($0.id!, $0) })
        let unit = try await ProjectUnitModel.find(payroll.unitID, on: db)
        var team: TeamModel?
        if let teamID = payroll.teamID { team = try await TeamModel.find(teamID, on: db) }
        let wageAccount = try await payouts.account(of: project.id!)
        let sortedLines = lines.sorted {
            (names[$0.workerID] ?? "", $0.id!.uuidString) < (names[$1.workerID] ?? "", $1.id!.uuidString)
        }
        let owed = lines.filter { ["unpaid", "failed"].contains($0.status) && $0.unpaidFen > 0 }
        let open = batches.first { PayoutService.openStatuses.contains($0.status) }
        var blocked: String?
        if payroll.status == "draft" {
            blocked = "工资表尚未提交，提交后才能代发"
        } else if let open {
            blocked = "代发指令 \(open.instructionID) 还没有银行的最终应答，请先处理该指令"
        } else if owed.isEmpty {
            blocked = lines.contains { $0.unpaidFen > 0 } ? nil : "本工资表已全部发放"
        }
        let retrying = batches.contains { $0.status == "completed" || $0.status == "rejected" }
        let model = PaymentsModel(
            head: try await projects.head(
                project, standing: standing, context: context, base: base, tab: "/payrolls", error: error,
                notice: notice),
            payrollID: payrollID.uuidString, code: payroll.code,
            month: PayMonth(payroll.payMonth)?.chinese ?? payroll.payMonth, unit: unit?.name ?? "",
            team: team?.name ?? "全部班组", status: Self.payrollStatuses[payroll.status] ?? payroll.status,
            statusCode: payroll.status, due: Money.yuan(lines.reduce(0) { $0 + $1.dueFen }),
            paid: Money.yuan(lines.reduce(0) { $0 + $1.paidFen }),
            owed: Money.yuan(lines.reduce(0) { $0 + $1.unpaidFen }),
            lines: sortedLines.map { line in
                LineRow(
                    worker: names[line.workerID] ?? "", card: cardText(line), due: Money.yuan(line.dueFen),
                    paid: Money.yuan(line.paidFen), owed: Money.yuan(line.unpaidFen),
                    status: Self.lineStatuses[line.status] ?? line.status, statusClass: line.status,
                    paidOn: line.paidOn ?? "", reason: line.failureReason ?? "",
                    failed: line.status == "failed")
            },
            batches: batches.map { batch in
                BatchRow(
                    id: batch.id!.uuidString, instruction: batch.instructionID,
                    sentAt: ChineseFormat.dateTime(batch.sentAt),
                    status: Self.batchStatuses[batch.status] ?? batch.status, statusCode: batch.status,
                    canResend: standing.isContractor && ["unsent", "sending"].contains(batch.status),
                    canQuery: standing.isContractor && batch.status == "accepted", lineCount: batch.lineCount,
                    total: Money.yuan(batch.totalFen), paid: Money.yuan(batch.paidFen), message: batch.message,
                    simulated: batch.simulated,
                    results: results.filter { $0.batchID == batch.id }
                        .sorted {
                            (names[byLine[$0.lineID]?.workerID ?? UUID()] ?? "")
                                < (names[byLine[$1.lineID]?.workerID ?? UUID()] ?? "")
                        }
                        .map { result in
                            ResultRow(
                                worker: byLine[result.lineID].flatMap { names[$0.workerID] } ?? "",
                                card: byLine[result.lineID].map(cardText) ?? "", amount: Money.yuan(result.amountFen),
                                status: Self.resultStatuses[result.status] ?? result.status,
                                failed: result.status == "failed",
                                reason: [result.reason, result.reasonCode].compactMap { $0 }.joined(separator: " "),
                                reference: result.bankReference, settledOn: result.settledOn ?? "")
                        })
            }, hasBatches: !batches.isEmpty,
            canPay: standing.isContractor && blocked == nil && wageAccount != nil && !owed.isEmpty,
            payLabel: retrying ? "重新代发失败项" : "通过专户代发",
            payHint: "将向 \(owed.count) 名工人的本人工资卡代发，共 \(Money.yuan(owed.reduce(0) { $0 + $1.unpaidFen })) 元",
            blocked: blocked, noAccount: wageAccount == nil, accountLink: "\(root)/wages/account", warning: warning,
            simulated: payouts.simulator != nil || batches.contains(where: \.simulated))
        return projects.render(
            "payroll-payments", model, title: "\(project.name)：\(model.month)工资代发", context: context, path: path,
            status: error?.status ?? .ok)
    }
}
