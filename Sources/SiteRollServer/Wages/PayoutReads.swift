import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The pay-on-behalf pages' data (E9, W12): the dedicated account with its balance and statement,
/// and a payroll's batches. Each read takes the `Caller`, reaches the project through
/// `ProjectReads.shell` — the account belongs to the whole project, so a participating unit's
/// staff do not see it (`Standing.seesProjectAccount`), and see their own units' payrolls only —
/// and reads each table once.
struct PayoutReads: Sendable {
    let projects: ProjectReads
    let payouts: PayoutService

    var database: DatabaseService { projects.services.database }

    // MARK: Account

    struct StatementRow: Sendable {
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

    struct AccountView: ProjectView {
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
        var title: String
    }

    static let kinds = ["labour_cost": "人工费拨付", "wage": "代发工资", "refund": "退汇", "other": "其他"]

    /// The dedicated account of project `id`: what the bank says now, and the synced statement.
    func account(_ id: UUID, _ caller: Caller) async throws -> AccountView {
        let shell = try await projects.shell(id, caller, tab: .account)
        try shell.standing.requireProjectAccount()
        let project = shell.project
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
                uniqueKeysWithValues: try await WagePaymentBatchModel.query(on: database.database())
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
                payments: movement.batchID.flatMap { payrolls[$0] }.map { shell.path.wage(.payments, $0) },
                transactionID: movement.bankTransactionID)
        }
        let sum = { (kind: String) in Money.sum(transactions.filter { $0.kind == kind }.map(\.amountFen)) }
        let simulatorRuns = payouts.simulator != nil
        return AccountView(
            head: shell.head, hasAccount: wageAccount != nil,
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
            wagesOut: Money.yuan(sum("wage")), canSync: shell.standing.isContractor && wageAccount != nil,
            simulatorControls: shell.standing.isContractor && wageAccount != nil && simulatorRuns,
            builderName: project.builderName ?? "", wagesLink: shell.path.tab(.wages), title: "\(project.name)：专户收支")
    }
}
