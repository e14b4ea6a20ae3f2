import Foundation
import SiteRollCore
import SiteRollStore

extension BankSimulatorLedger {
    /// The rules, in the order docs/bank-gateway.md lists them: a line whose card fails the Luhn
    /// check is WRONG_CARD; a card the bank lists as closed is ACCOUNT_CLOSED; a payee name other
    /// than the holder the bank knows is NAME_MISMATCH; once the balance cannot cover a line, that
    /// line and every later one still payable is INSUFFICIENT_FUNDS. The rest are paid, one debit each.
    func payout(_ instruction: PayoutInstruction) throws(Refusal) -> PayoutAnswer {
        try Self.validate(instruction)
        let digest = Digest.of(instruction)
        if let stored = state.batches[instruction.instructionId] {
            guard stored.digest == digest else {
                throw Refusal(
                    status: 409, code: "INSTRUCTION_CONFLICT",
                    message: "指令号 \(instruction.instructionId) 已用于另一笔内容不同的代发指令，银行未执行本次请求")
            }
            var answer = stored.answer
            answer.duplicate = true
            return answer
        }
        let payerKey = Self.key(instruction.payerAccountNumber)
        var payer = try lookup(instruction.payerAccountNumber)
        guard payer.name == instruction.payerAccountName else {
            throw Refusal(status: 422, code: "PAYER_NAME_MISMATCH", message: "付款账户户名与银行登记的户名不一致")
        }
        let received = now()
        let settledOn = today.description
        var results: [PayoutLineResult] = []
        var exhausted = false
        for line in instruction.lines {
            let cardKey = Self.key(line.payeeCardNumber)
            let card = state.cards[cardKey]
            var failure: PayoutFailure?
            if !Self.passesLuhn(line.payeeCardNumber) {
                failure = .wrongCard
            } else if card?.closed == true {
                failure = .accountClosed
            } else if let holder = card?.holderName, holder != line.payeeName {
                failure = .nameMismatch
            } else if exhausted || payer.balanceFen < line.amountFen {
                exhausted = true
                failure = .insufficientFunds
            }
            if let failure {
                results.append(
                    PayoutLineResult(
                        lineRef: line.lineRef, status: "failed", amountFen: line.amountFen,
                        reasonCode: failure.rawValue,
                        reason: failure.chinese, bankReference: nil, settledOn: nil))
                continue
            }
            payer.balanceFen = Money.difference(payer.balanceFen, line.amountFen)
            let masked = Self.masked(line.payeeCardNumber)
            if card?.holderName == nil {
                state.cards[cardKey] = Card(masked: masked, holderName: line.payeeName, closed: false)
            }
            let transaction = BankTransaction(
                transactionId: next("SIMTX"), direction: "out", amountFen: line.amountFen,
                balanceAfterFen: payer.balanceFen, valueDate: settledOn, occurredAt: received,
                counterpartyName: line.payeeName, counterpartyMasked: masked, memo: instruction.memo,
                purpose: "PAYROLL",
                instructionId: instruction.instructionId, lineRef: line.lineRef)
            state.movements.append(Movement(account: payerKey, transaction: transaction))
            results.append(
                PayoutLineResult(
                    lineRef: line.lineRef, status: "paid", amountFen: line.amountFen, reasonCode: nil, reason: nil,
                    bankReference: transaction.transactionId, settledOn: settledOn))
        }
        state.accounts[payerKey] = payer
        let answer = PayoutAnswer(
            instructionId: instruction.instructionId, batchId: next("SIMB"), status: "completed", receivedAt: received,
            totalFen: instruction.lines.map(\.amountFen).moneySum,
            paidFen: results.filter { $0.status == "paid" }.map(\.amountFen).moneySum, lines: results,
            duplicate: false, simulated: true)
        state.batches[instruction.instructionId] = Batch(digest: digest, answer: answer)
        do { try save() } catch {
            throw Refusal(status: 500, code: "SIMULATOR_STATE_NOT_SAVED", message: "模拟器无法保存账本文件")
        }
        return answer
    }

    func query(_ query: PayoutQuery) throws(Refusal) -> PayoutAnswer {
        guard let stored = state.batches[query.instructionId] else {
            throw Refusal(
                status: 404, code: "INSTRUCTION_NOT_FOUND", message: "银行没有收到指令号为 \(query.instructionId) 的代发指令")
        }
        return stored.answer
    }

    static func validate(_ instruction: PayoutInstruction) throws(Refusal) {
        func invalid(_ message: String) -> Refusal { Refusal(status: 400, code: "INVALID_REQUEST", message: message) }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard (1...64).contains(instruction.instructionId.count), instruction.instructionId.allSatisfy(allowed.contains)
        else { throw invalid("指令号应为 1 到 64 位字母、数字、连字符或下划线") }
        guard instruction.currency == "CNY" else {
            throw Refusal(status: 422, code: "UNSUPPORTED_CURRENCY", message: "只支持人民币（CNY）代发")
        }
        guard !instruction.lines.isEmpty, instruction.lines.count <= 1000 else {
            throw invalid("代发明细应为 1 到 1000 行")
        }
        guard Set(instruction.lines.map(\.lineRef)).count == instruction.lines.count else {
            throw invalid("代发明细的行号（lineRef）不能重复")
        }
        for (index, line) in instruction.lines.enumerated() {
            guard !line.lineRef.isEmpty, line.lineRef.count <= 64 else { throw invalid("第 \(index + 1) 行缺少行号") }
            guard line.amountFen > 0 else { throw invalid("第 \(index + 1) 行金额应大于 0") }
            guard !line.payeeName.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw invalid("第 \(index + 1) 行缺少收款人户名")
            }
        }
    }
}
