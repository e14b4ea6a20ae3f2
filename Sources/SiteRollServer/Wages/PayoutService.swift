import FluentKit
import Foundation
import Logging
import SiteRollCore
import SiteRollStore

/// Pay-on-behalf through the project's dedicated account (总包代发, E9; 条例 art. 31, W12): the
/// general contractor pays a submitted payroll straight into each worker's own card, and the bank's
/// per-line answers become the amounts actually paid (G4: wage lists fed back through the bank).
///
/// A batch row is written before anything is sent; its instruction id is the idempotency key the
/// bank sees. Timeouts and 5xx leave the batch `unsent` with its lines `paying`: a retry resends the
/// same instruction, which the bank answers from its record without paying twice. Each answer is
/// recorded in one transaction; a failed line stays unpaid (visibly, with the bank's reason) until
/// a later batch pays it.
struct PayoutService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let cipher: FieldCipher
    let gateway: any BankGateway
    /// The simulator SiteRoll started itself (its `/sim/…` controls); nil when a bank is configured.
    let simulator: HTTPBankGateway?
    /// False when neither `bank.url` nor the in-process simulator is there: nothing is sent.
    var isConfigured = true
    /// Whether unsettled batches are followed up in the background (`bank.follow-up-seconds` > 0):
    /// the payments page promises a next attempt only then.
    var followsUp = false
    let logger: Logger
    let audit = AuditTrail()

    /// Who pays: an account of the general contractor, or the platform (the demo's paid months).
    struct Payer: Sendable {
        var audit: AuditActor
        var accountID: UUID
        var enterpriseID: String

        init(_ account: AccountSnapshot) {
            audit = account.auditActor
            accountID = account.id
            enterpriseID = account.enterpriseID?.uuidString ?? ""
        }

        init(audit: AuditActor, accountID: UUID, enterpriseID: UUID) {
            self.audit = audit
            self.accountID = accountID
            self.enterpriseID = enterpriseID.uuidString
        }
    }

    /// What one pay or retry did, for the page's notice.
    struct Outcome: Sendable {
        var batchID: UUID
        var instructionID: String
        /// The batch's status: `completed`, `accepted`, `unsent` or `rejected`.
        var status: String
        var paidLines = 0
        var paidFen: Int64 = 0
        var failedLines = 0
        /// Workers left out because they have no active card.
        var skipped: [String] = []
        var simulated = false
        var duplicate = false
        var message: String
        /// A bank statement sync that failed after the payment (the payment itself stands).
        var syncProblem: String?

        var isSettled: Bool { status == "completed" || status == "accepted" }
    }

    static let openStatuses = ["sending", "accepted", "unsent"]
    static let simulatedNote = "（模拟银行应答，非真实付款）"

    // MARK: Paying

    /// Pays a submitted payroll's unpaid and failed lines; the project's general contractor only.
    func pay(payroll payrollID: UUID, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> Outcome
    {
        let project = try await contractorProject(projectID, in: scope)
        guard let payroll = try await PayrollModel.find(payrollID, on: database.database()),
            payroll.projectID == projectID
        else { throw AppError.notFound }
        return try await pay(payroll, project: project, as: Payer(account))
    }

    /// Resends an `unsent` batch with the same instruction id, or asks the bank again about an
    /// `accepted` one still processing.
    func retry(batch batchID: UUID, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> Outcome
    {
        let project = try await contractorProject(projectID, in: scope)
        guard let batch = try await WagePaymentBatchModel.find(batchID, on: database.database()),
            batch.projectID == projectID
        else { throw AppError.notFound }
        return try await retry(batch, project: project, as: Payer(account))
    }

    /// The same, without a scope (background work).
    func retry(_ batch: WagePaymentBatchModel, project: ProjectModel, as payer: Payer) async throws -> Outcome {
        let outcome: Outcome
        switch batch.status {
        case "unsent", "sending":
            outcome = try await deliver(batch.uuid, project: project, as: payer)
        case "accepted":
            outcome = try await ask(batch, project: project, as: payer)
        default:
            throw AppError(.conflict, code: "BATCH_ALREADY_ANSWERED", message: "该代发指令已有银行的最终应答，无需重发")
        }
        return await synced(outcome, project: project, as: payer)
    }

    /// The project, for its general contractor's staff only: they pay from the account they opened
    /// (条例 art. 31); subcontractors' staff and regulators read.
    func contractorProject(_ id: UUID, in scope: AccessScope) async throws -> ProjectModel {
        let (project, standing) = try await reach.projectForChange(id, in: scope)
        try standing.requireContractor()
        return project
    }

    /// The same, without a scope: for the demo's paid months and background work.
    func pay(_ payroll: PayrollModel, project: ProjectModel, as payer: Payer) async throws -> Outcome {
        guard
            let account = try await WageAccountModel.query(on: database.database())
                .filter(\.$projectID == project.uuid).first()
        else {
            throw AppError(
                .conflict, code: "NO_WAGE_ACCOUNT", message: "项目尚未登记农民工工资专用账户，不能通过专户代发（《保障农民工工资支付条例》第二十六条）")
        }
        guard isConfigured else { throw Self.appError(.notConfigured) }
        let (batchID, skipped) = try await prepare(payroll.uuid, project: project, as: payer)
        var outcome = try await deliver(batchID, project: project, as: payer)
        outcome.skipped = skipped
        if !skipped.isEmpty { outcome.message += "；\(skipped.joined(separator: "、")) 没有有效的工资卡，未发送" }
        return await synced(outcome, account: account, project: project, as: payer)
    }

    /// After the bank answered, the statement is synced so that its debits sit beside the lines
    /// they paid; a failed sync is reported and leaves the payment as recorded.
    private func synced(
        _ outcome: Outcome, account: WageAccountModel? = nil, project: ProjectModel, as payer: Payer
    ) async -> Outcome {
        guard outcome.isSettled else { return outcome }
        var outcome = outcome
        do {
            var target = account
            if target == nil { target = try await self.account(of: project.uuid) }
            if let target { _ = try await syncStatement(project, account: target, as: payer) }
        } catch {
            outcome.syncProblem = (error as? AppError)?.message ?? "专户流水同步失败"
        }
        return outcome
    }

    /// Writes the batch, its pending results and the lines' `paying` state, in one transaction
    /// that holds the payroll row: two clicks never put one line into two batches.
    private func prepare(_ payrollID: UUID, project: ProjectModel, as payer: Payer) async throws -> (UUID, [String]) {
        let simulated = simulator != nil
        return try await audit.write(on: database.database(), actor: payer.audit) { tx in
            try await PayoutQueries(tx).lockPayroll(payrollID)
            guard let payroll = try await PayrollModel.find(payrollID, on: tx) else { throw AppError.notFound }
            switch payroll.status {
            case "submitted", "partly_paid", "paying": break
            case "paid": throw AppError(.conflict, code: "PAYROLL_ALREADY_PAID", message: "该工资表已全部发放，无需再次代发")
            default: throw AppError(.conflict, code: "PAYROLL_NOT_SUBMITTED", message: "工资表尚未提交，提交后才能通过专户代发")
            }
            if let open = try await WagePaymentBatchModel.query(on: tx).filter(\.$payrollID == payrollID)
                .filter(\.$status ~~ Self.openStatuses).first()
            {
                throw AppError(
                    .conflict, code: "PAYMENT_IN_PROGRESS",
                    message: "代发指令 \(open.instructionID) 还没有银行的最终应答，请先对该指令点击“重新发送”（同一指令号，银行不会重复付款）")
            }
            let lines = try await PayrollLineModel.query(on: tx).filter(\.$payrollID == payrollID)
                .filter(\.$status ~~ ["unpaid", "failed"]).all().filter { $0.unpaidFen > 0 }
            guard !lines.isEmpty else {
                throw AppError(.conflict, code: "NOTHING_TO_PAY", message: "该工资表没有待发放或发放失败的明细")
            }
            let cards = try await WorkerBankCardModel.query(on: tx).filter(\.$id ~~ lines.compactMap(\.cardID)).all()
            let active = Set(cards.filter(\.isActive).compactMap(\.id))
            let sendable = lines.filter { $0.cardID.map(active.contains) == true }
            let names = try await Self.workerNames(lines.map(\.workerID), on: tx)
            let skipped = lines.filter { $0.cardID.map(active.contains) != true }.map { names[$0.workerID] ?? "" }
            guard !sendable.isEmpty else {
                throw AppError(
                    .unprocessableContent, code: "NO_PAYABLE_CARD",
                    message: "待发放的工人都没有有效的本人工资卡：\(skipped.joined(separator: "、"))，请先登记工资卡")
            }
            let attempt = try await WagePaymentBatchModel.query(on: tx).filter(\.$payrollID == payrollID).count() + 1
            let now = ServerClock.now()
            let batch = WagePaymentBatchModel()
            batch.id = UUID()
            batch.payrollID = payrollID
            batch.projectID = payroll.projectID
            batch.instructionID = Self.instructionID(code: payroll.code, attempt: attempt, payroll: payrollID)
            batch.status = "sending"
            batch.lineCount = sendable.count
            batch.totalFen = sendable.map(\.unpaidFen).moneySum
            batch.paidFen = 0
            batch.simulated = simulated
            batch.sentBy = payer.accountID
            batch.sentAt = now
            batch.attempts = 0
            try await batch.create(on: tx)
            for line in sendable {
                let result = WagePaymentResultModel()
                result.id = UUID()
                result.batchID = batch.uuid
                result.lineID = line.uuid
                result.amountFen = line.unpaidFen
                result.status = "pending"
                result.recordedAt = now
                try await result.create(on: tx)
                line.status = "paying"
                line.failureReason = nil
                line.updatedAt = now
                try await line.update(on: tx)
            }
            payroll.status = "paying"
            payroll.updatedAt = now
            try await payroll.update(on: tx)
            let month = PayMonth(payroll.payMonth)?.chinese ?? payroll.payMonth
            return (
                (batch.uuid, skipped),
                AuditDraft(
                    action: "wage-payment.sent", entityType: "wage_payment_batch", entityID: batch.uuid.uuidString,
                    divisionCode: project.divisionCode, enterpriseID: payer.enterpriseID,
                    summary:
                        "\(project.name)：\(month)工资表 \(payroll.code) 通过专户代发 \(sendable.count) 人，共 \(Money.yuan(batch.totalFen)) 元（指令号 \(batch.instructionID)）\(simulated ? "，发往银行模拟器" : "")",
                    change: [
                        "instruction": batch.instructionID, "lines": String(batch.lineCount),
                        "total": String(batch.totalFen),
                    ])
            )
        }
    }

    // MARK: Rules

    /// `<payroll code>-<attempt>-<six hex digits of the payroll id>`: readable at the bank, unique
    /// per attempt, and never the same for two databases that happen to number payrolls alike.
    static func instructionID(code: String, attempt: Int, payroll: UUID) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let cleaned = String(code.filter(allowed.contains).prefix(48))
        let suffix = String(payroll.uuidString.replacingOccurrences(of: "-", with: "").prefix(6))
        return "\(cleaned.isEmpty ? "PR" : cleaned)-\(attempt < 10 ? "0" : "")\(attempt)-\(suffix)"
    }

    /// The payroll's status from its lines: paid when nothing is owed, paying while a line waits
    /// for the bank, partly paid once anything was paid, else still submitted.
    static func status(of lines: [PayrollLineModel]) -> String {
        let owed = lines.filter { $0.unpaidFen > 0 }
        if owed.isEmpty { return "paid" }
        if owed.contains(where: { $0.status == "paying" }) { return "paying" }
        return lines.contains { $0.paidFen > 0 } ? "partly_paid" : "submitted"
    }

    @discardableResult
    static func settle(_ payrollID: UUID, on tx: any Database) async throws -> PayrollModel {
        guard let payroll = try await PayrollModel.find(payrollID, on: tx) else { throw AppError.notFound }
        let lines = try await PayrollLineModel.query(on: tx).filter(\.$payrollID == payrollID).all()
        payroll.status = status(of: lines)
        payroll.updatedAt = ServerClock.now()
        try await payroll.update(on: tx)
        return payroll
    }

    static func workerNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(\.$id ~~ Array(Set(ids))).all()
                .map { ($0.uuid, $0.name) })
    }
}
