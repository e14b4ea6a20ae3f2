import FluentKit
import FluentSQL
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
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
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
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
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
            outcome = try await deliver(batch.id!, project: project, as: payer)
        case "accepted":
            outcome = try await ask(batch, project: project, as: payer)
        default:
            throw AppError(.conflict, code: "BATCH_ALREADY_ANSWERED", message: "该代发指令已有银行的最终应答，无需重发")
        }
        return await synced(outcome, project: project, as: payer)
    }

    /// The same, without a scope: for the demo's paid months and background work.
    func pay(_ payroll: PayrollModel, project: ProjectModel, as payer: Payer) async throws -> Outcome {
        guard
            let account = try await WageAccountModel.query(on: database.database())
                .filter(\.$projectID == project.id!).first()
        else {
            throw AppError(
                .conflict, code: "NO_WAGE_ACCOUNT", message: "项目尚未登记农民工工资专用账户，不能通过专户代发（《保障农民工工资支付条例》第二十六条）")
        }
        let (batchID, skipped) = try await prepare(payroll.id!, project: project, as: payer)
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
            if target == nil { target = try await self.account(of: project.id!) }
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
            try await Self.lock("payrolls", payrollID, on: tx)
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
            let now = Date()
            let batch = WagePaymentBatchModel()
            batch.id = UUID()
            batch.payrollID = payrollID
            batch.projectID = payroll.projectID
            batch.instructionID = Self.instructionID(code: payroll.code, attempt: attempt, payroll: payrollID)
            batch.status = "sending"
            batch.lineCount = sendable.count
            batch.totalFen = sendable.reduce(0) { $0 + $1.unpaidFen }
            batch.paidFen = 0
            batch.simulated = simulated
            batch.sentBy = payer.accountID
            batch.sentAt = now
            try await batch.create(on: tx)
            for line in sendable {
                let result = WagePaymentResultModel()
                result.id = UUID()
                result.batchID = batch.id!
                result.lineID = line.id!
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
                (batch.id!, skipped),
                AuditDraft(
                    action: "wage-payment.sent", entityType: "wage_payment_batch", entityID: batch.id!.uuidString,
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

    /// Sends the batch's instruction (first time or again, always the same content) and records the answer.
    private func deliver(_ batchID: UUID, project: ProjectModel, as payer: Payer) async throws -> Outcome {
        let instruction = try await instruction(for: batchID)
        let answer: PayoutAnswer
        do {
            answer = try await gateway.submitPayout(instruction)
        } catch .refused(409, _, _) {
            // The bank already holds this instruction id: its own record is the truth.
            guard let batch = try await WagePaymentBatchModel.find(batchID, on: database.database()) else {
                throw AppError.notFound
            }
            return try await ask(batch, project: project, as: payer, mayResend: false)
        } catch let error {
            return error.isTryLater
                ? try await markUnsent(batchID, error, project: project, as: payer)
                : try await markRejected(batchID, error, project: project, as: payer)
        }
        return try await apply(answer, batch: batchID, project: project, as: payer)
    }

    /// Asks the bank for its answer to an instruction (processing, or sent once with a lost answer).
    /// An instruction the bank never received is sent now, unless the bank just said it holds it.
    private func ask(_ batch: WagePaymentBatchModel, project: ProjectModel, as payer: Payer, mayResend: Bool = true)
        async throws -> Outcome
    {
        let answer: PayoutAnswer
        do {
            answer = try await gateway.queryPayout(PayoutQuery(instructionId: batch.instructionID))
        } catch .refused(404, _, _) where mayResend {
            return try await deliver(batch.id!, project: project, as: payer)
        } catch let error {
            return error.isTryLater
                ? try await markUnsent(batch.id!, error, project: project, as: payer)
                : try await markRejected(batch.id!, error, project: project, as: payer)
        }
        return try await apply(answer, batch: batch.id!, project: project, as: payer)
    }

    /// The instruction a batch stands for, rebuilt from its rows: a resend is byte-for-byte the same request.
    private func instruction(for batchID: UUID) async throws -> PayoutInstruction {
        let db = database.database()
        guard let batch = try await WagePaymentBatchModel.find(batchID, on: db),
            let payroll = try await PayrollModel.find(batch.payrollID, on: db),
            let account = try await WageAccountModel.query(on: db).filter(\.$projectID == batch.projectID).first()
        else { throw AppError.notFound }
        let unordered = try await WagePaymentResultModel.query(on: db).filter(\.$batchID == batchID).all()
        let lines = Dictionary(
            uniqueKeysWithValues: try await PayrollLineModel.query(on: db).filter(\.$id ~~ unordered.map(\.lineID))
                .all().map { ($0.id!, $0) })
        // The payroll's order (by worker name, then line): the bank pays in the order it reads, which
        // decides who is short when the balance runs out, so a person can tell why.
        let names = try await Self.workerNames(lines.values.map(\.workerID), on: db)
        let name = { (result: WagePaymentResultModel) in lines[result.lineID].flatMap { names[$0.workerID] } ?? "" }
        let results = unordered.sorted { (name($0), $0.lineID.uuidString) < (name($1), $1.lineID.uuidString) }
        let cards = Dictionary(
            uniqueKeysWithValues: try await WorkerBankCardModel.query(on: db)
                .filter(\.$id ~~ lines.values.compactMap(\.cardID)).all().map { ($0.id!, $0) })
        let payouts = try results.map { result in
            guard let card = lines[result.lineID]?.cardID.flatMap({ cards[$0] }) else {
                throw AppError(.conflict, code: "CARD_MISSING", message: "代发明细的工资卡已不存在，无法重新发送该指令")
            }
            return PayoutLine(
                lineRef: result.lineID.uuidString, payeeName: card.holderName,
                payeeCardNumber: try cipher.open(card.numberCipher), payeeBankCode: card.bankCode,
                amountFen: result.amountFen)
        }
        return PayoutInstruction(
            instructionId: batch.instructionID, payerAccountNumber: try cipher.open(account.numberCipher),
            payerAccountName: account.accountName,
            memo: "\(PayMonth(payroll.payMonth)?.chinese ?? payroll.payMonth)工资 \(payroll.code)", lines: payouts)
    }

    /// Records the bank's answer in one transaction. Only results still pending change, so an
    /// answer seen twice (a duplicate, a query after a lost answer) is counted once.
    private func apply(_ answer: PayoutAnswer, batch batchID: UUID, project: ProjectModel, as payer: Payer)
        async throws -> Outcome
    {
        let outcome = try await database.database().transaction { tx -> Outcome in
            guard let batch = try await WagePaymentBatchModel.find(batchID, on: tx) else { throw AppError.notFound }
            try await Self.lock("payrolls", batch.payrollID, on: tx)
            let results = try await WagePaymentResultModel.query(on: tx).filter(\.$batchID == batchID).all()
            let lines = Dictionary(
                uniqueKeysWithValues: try await PayrollLineModel.query(on: tx).filter(\.$id ~~ results.map(\.lineID))
                    .all().map { ($0.id!, $0) })
            let answered = Dictionary(answer.lines.map { ($0.lineRef, $0) }, uniquingKeysWith: { first, _ in first })
            let now = Date()
            var changed = false
            for result in results where result.status == "pending" {
                guard let line = lines[result.lineID] else { continue }
                var reply = answered[result.lineID.uuidString]
                if reply == nil, answer.status == "completed" {
                    reply = PayoutLineResult(
                        lineRef: result.lineID.uuidString, status: "failed", amountFen: result.amountFen,
                        reasonCode: "NO_RESULT", reason: "银行应答中没有该行的结果", bankReference: nil, settledOn: nil)
                }
                guard let reply, reply.status == "paid" || reply.status == "failed" else { continue }
                changed = true
                result.status = reply.status
                result.reasonCode = reply.reasonCode
                result.bankReference = reply.bankReference
                result.settledOn = reply.settledOn
                result.recordedAt = now
                if reply.status == "paid" {
                    line.paidFen += result.amountFen
                    line.paidOn = reply.settledOn ?? LocalDate(now, in: ChineseFormat.timeZone).description
                    line.status = line.unpaidFen == 0 ? "paid" : "unpaid"
                    line.failureReason = nil
                } else {
                    let reason =
                        reply.reason ?? reply.reasonCode.flatMap { PayoutFailure(rawValue: $0)?.chinese } ?? "银行未说明原因"
                    result.reason = reason
                    line.status = "failed"
                    line.failureReason = "\(reason)（\(reply.reasonCode ?? "FAILED")）"
                }
                line.updatedAt = now
                try await result.update(on: tx)
                try await line.update(on: tx)
            }
            let paidResults = results.filter { $0.status == "paid" }
            batch.paidFen = paidResults.reduce(0) { $0 + $1.amountFen }
            batch.bankBatchID = answer.batchId
            batch.simulated = answer.simulated
            let finished = !results.contains { $0.status == "pending" }
            let newStatus = finished ? "completed" : "accepted"
            changed = changed || batch.status != newStatus
            batch.status = newStatus
            batch.message = finished ? nil : "银行处理中，稍后请点击“查询银行结果”"
            if finished, batch.completedAt == nil { batch.completedAt = now }
            try await batch.update(on: tx)
            let payroll = try await Self.settle(batch.payrollID, on: tx)
            var outcome = Outcome(
                batchID: batchID, instructionID: batch.instructionID, status: batch.status,
                paidLines: paidResults.count,
                paidFen: batch.paidFen, failedLines: results.filter { $0.status == "failed" }.count,
                simulated: answer.simulated, duplicate: answer.duplicate, message: "")
            outcome.message =
                "银行已应答代发指令 \(batch.instructionID)：成功 \(outcome.paidLines) 人，共 \(Money.yuan(outcome.paidFen)) 元"
                + (outcome.failedLines > 0 ? "；失败 \(outcome.failedLines) 人，请核对后重新代发失败项" : "")
                + (finished ? "" : "；其余明细银行仍在处理")
                + (answer.duplicate ? "（银行按原指令应答，未重复付款）" : "") + (answer.simulated ? Self.simulatedNote : "")
            if changed {
                try await audit.append(
                    on: tx, actor: payer.audit,
                    draft: AuditDraft(
                        action: finished ? "wage-payment.settled" : "wage-payment.accepted",
                        entityType: "wage_payment_batch", entityID: batchID.uuidString,
                        divisionCode: project.divisionCode, enterpriseID: payer.enterpriseID,
                        summary: "\(project.name)：工资表 \(payroll.code) \(outcome.message)",
                        change: [
                            "instruction": batch.instructionID, "bankBatch": answer.batchId,
                            "paid": String(batch.paidFen), "failed": String(outcome.failedLines),
                        ]))
            }
            return outcome
        }
        logger.info(
            "\(outcome.simulated ? "bank SIMULATOR" : "bank") answered a pay-on-behalf instruction",
            metadata: [
                "instructionId": "\(outcome.instructionID)", "paid": "\(outcome.paidLines)",
                "failed": "\(outcome.failedLines)", "duplicate": "\(outcome.duplicate)",
            ])
        return outcome
    }

    /// No answer: everything stays as sent (lines `paying`), to be resent with the same instruction id.
    private func markUnsent(_ batchID: UUID, _ error: BankGatewayError, project: ProjectModel, as payer: Payer)
        async throws -> Outcome
    {
        logger.warning(
            "\(simulator != nil ? "bank SIMULATOR" : "bank") gave no answer to a pay-on-behalf instruction; kept for a retry",
            metadata: ["batch": "\(batchID)", "error": "\(error.code)"])
        return try await audit.write(on: database.database(), actor: payer.audit) { tx in
            guard let batch = try await WagePaymentBatchModel.find(batchID, on: tx) else { throw AppError.notFound }
            batch.status = "unsent"
            batch.message = error.chineseMessage
            try await batch.update(on: tx)
            let outcome = Outcome(
                batchID: batchID, instructionID: batch.instructionID, status: "unsent", simulated: batch.simulated,
                message:
                    "\(error.chineseMessage)。代发指令 \(batch.instructionID) 已保存，明细保持“代发中”；请稍后点击“重新发送”，将以同一指令号发送，银行不会重复付款"
            )
            return (
                outcome,
                AuditDraft(
                    action: "wage-payment.unsent", entityType: "wage_payment_batch", entityID: batchID.uuidString,
                    divisionCode: project.divisionCode, enterpriseID: payer.enterpriseID,
                    summary: "\(project.name)：代发指令 \(batch.instructionID) 未得到银行应答（\(error.chineseMessage)），待重新发送",
                    change: ["instruction": batch.instructionID, "error": error.code])
            )
        }
    }

    /// The bank refused the whole instruction (nothing was paid): its lines fail with the bank's reason.
    private func markRejected(_ batchID: UUID, _ error: BankGatewayError, project: ProjectModel, as payer: Payer)
        async throws -> Outcome
    {
        logger.warning(
            "\(simulator != nil ? "bank SIMULATOR" : "bank") refused a pay-on-behalf instruction",
            metadata: ["batch": "\(batchID)", "error": "\(error.code)"])
        return try await audit.write(on: database.database(), actor: payer.audit) { tx in
            guard let batch = try await WagePaymentBatchModel.find(batchID, on: tx) else { throw AppError.notFound }
            try await Self.lock("payrolls", batch.payrollID, on: tx)
            let now = Date()
            let results = try await WagePaymentResultModel.query(on: tx).filter(\.$batchID == batchID)
                .filter(\.$status == "pending").all()
            let lines = try await PayrollLineModel.query(on: tx).filter(\.$id ~~ results.map(\.lineID)).all()
            for result in results {
                result.status = "failed"
                result.reasonCode = error.code
                result.reason = error.chineseMessage
                result.recordedAt = now
                try await result.update(on: tx)
            }
            for line in lines where line.status == "paying" {
                line.status = "failed"
                line.failureReason = "\(error.chineseMessage)（\(error.code)）"
                line.updatedAt = now
                try await line.update(on: tx)
            }
            batch.status = "rejected"
            batch.message = error.chineseMessage
            batch.completedAt = now
            try await batch.update(on: tx)
            let payroll = try await Self.settle(batch.payrollID, on: tx)
            let outcome = Outcome(
                batchID: batchID, instructionID: batch.instructionID, status: "rejected", failedLines: results.count,
                simulated: batch.simulated, message: "\(error.chineseMessage)。本批未付款，明细已标为发放失败，可修正后重新代发")
            return (
                outcome,
                AuditDraft(
                    action: "wage-payment.rejected", entityType: "wage_payment_batch", entityID: batchID.uuidString,
                    divisionCode: project.divisionCode, enterpriseID: payer.enterpriseID,
                    summary: "\(project.name)：工资表 \(payroll.code) 的代发指令 \(batch.instructionID) 被银行拒绝（\(error.code)）",
                    change: ["instruction": batch.instructionID, "error": error.code])
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
        payroll.updatedAt = Date()
        try await payroll.update(on: tx)
        return payroll
    }

    /// Holds a row until the transaction ends (PostgreSQL); SQLite's single connection already serialises writers.
    static func lock(_ table: String, _ id: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }

    static func workerNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(\.$id ~~ Array(Set(ids))).all()
                .map { ($0.id!, $0.name) })
    }
}
