import FluentKit
import Foundation
import Logging
import SiteRollCore
import SiteRollStore

/// Talking to the bank about one batch and recording what it said (E9, G4). The instruction is
/// rebuilt from the batch's rows every time, so a resend is the same request; each answer is
/// recorded in one transaction holding the payroll row.
extension PayoutService {
    /// Sends the batch's instruction (first time or again, always the same content) and records the answer.
    func deliver(_ batchID: UUID, project: ProjectModel, as payer: Payer) async throws -> Outcome {
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
    func ask(_ batch: WagePaymentBatchModel, project: ProjectModel, as payer: Payer, mayResend: Bool = true)
        async throws -> Outcome
    {
        let answer: PayoutAnswer
        do {
            answer = try await gateway.queryPayout(PayoutQuery(instructionId: batch.instructionID))
        } catch .refused(404, _, _) where mayResend {
            return try await deliver(batch.uuid, project: project, as: payer)
        } catch let error {
            return error.isTryLater
                ? try await markUnsent(batch.uuid, error, project: project, as: payer)
                : try await markRejected(batch.uuid, error, project: project, as: payer)
        }
        return try await apply(answer, batch: batch.uuid, project: project, as: payer)
    }

    /// The instruction a batch stands for, rebuilt from its rows: a resend is byte-for-byte the same request.
    func instruction(for batchID: UUID) async throws -> PayoutInstruction {
        let db = database.database()
        guard let batch = try await WagePaymentBatchModel.find(batchID, on: db),
            let payroll = try await PayrollModel.find(batch.payrollID, on: db),
            let account = try await WageAccountModel.query(on: db).filter(\.$projectID == batch.projectID).first()
        else { throw AppError.notFound }
        let unordered = try await WagePaymentResultModel.query(on: db).filter(\.$batchID == batchID).all()
        let lines = Dictionary(
            uniqueKeysWithValues: try await PayrollLineModel.query(on: db).filter(\.$id ~~ unordered.map(\.lineID))
                .all().map { ($0.uuid, $0) })
        // The payroll's order (by worker name, then line): the bank pays in the order it reads, which
        // decides who is short when the balance runs out, so a person can tell why.
        let names = try await Self.workerNames(lines.values.map(\.workerID), on: db)
        let name = { (result: WagePaymentResultModel) in lines[result.lineID].flatMap { names[$0.workerID] } ?? "" }
        let results = unordered.sorted { (name($0), $0.lineID.uuidString) < (name($1), $1.lineID.uuidString) }
        let cards = Dictionary(
            uniqueKeysWithValues: try await WorkerBankCardModel.query(on: db)
                .filter(\.$id ~~ lines.values.compactMap(\.cardID)).all().map { ($0.uuid, $0) })
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
    func apply(_ answer: PayoutAnswer, batch batchID: UUID, project: ProjectModel, as payer: Payer)
        async throws -> Outcome
    {
        let outcome = try await database.database().inTransaction { tx -> Outcome in
            guard let batch = try await WagePaymentBatchModel.find(batchID, on: tx) else { throw AppError.notFound }
            try await PayoutQueries(tx).lockPayroll(batch.payrollID)
            let results = try await WagePaymentResultModel.query(on: tx).filter(\.$batchID == batchID).all()
            let lines = Dictionary(
                uniqueKeysWithValues: try await PayrollLineModel.query(on: tx).filter(\.$id ~~ results.map(\.lineID))
                    .all().map { ($0.uuid, $0) })
            let answered = Dictionary(answer.lines.map { ($0.lineRef, $0) }, uniquingKeysWith: { first, _ in first })
            let now = ServerClock.now()
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
                    line.paidFen = Money.sum([line.paidFen, result.amountFen])  // the amount is the bank's
                    line.paidOn = reply.settledOn ?? LocalDate.today(in: ChineseFormat.timeZone, now: now).description
                    line.status = line.unpaidFen == 0 ? "paid" : "unpaid"
                    line.failureReason = nil
                } else {
                    let reason =
                        reply.reason ?? reply.reasonCode.flatMap { PayoutFailure(rawValue: $0)?.chinese } ?? "银行未说明原因"
                    result.reason = reason
                    line.status = "failed"
                    line.failureReason = reason
                }
                line.updatedAt = now
                try await result.update(on: tx)
                try await line.update(on: tx)
            }
            let paidResults = results.filter { $0.status == "paid" }
            batch.paidFen = paidResults.map(\.amountFen).moneySum
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
    func markUnsent(_ batchID: UUID, _ error: BankGatewayError, project: ProjectModel, as payer: Payer)
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
    func markRejected(_ batchID: UUID, _ error: BankGatewayError, project: ProjectModel, as payer: Payer)
        async throws -> Outcome
    {
        logger.warning(
            "\(simulator != nil ? "bank SIMULATOR" : "bank") refused a pay-on-behalf instruction",
            metadata: ["batch": "\(batchID)", "error": "\(error.code)"])
        return try await audit.write(on: database.database(), actor: payer.audit) { tx in
            guard let batch = try await WagePaymentBatchModel.find(batchID, on: tx) else { throw AppError.notFound }
            try await PayoutQueries(tx).lockPayroll(batch.payrollID)
            let now = ServerClock.now()
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
                line.failureReason = error.chineseMessage
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
}
