import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// A payroll's pay-on-behalf page: the lines with what the bank paid, every batch with each
/// line's outcome, and whether the viewer may pay, resend or ask the bank (W12: a failed line
/// stays visibly unpaid until a later batch pays it).
extension PayoutReads {
    struct LineRow: Sendable {
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

    struct ResultRow: Sendable {
        var worker: String
        var card: String
        var amount: String
        var status: String
        var failed: Bool
        var reason: String
        /// The bank's refusal code, for the muted support line.
        var failureCode: String?
        var reference: String?
        var settledOn: String
    }

    struct BatchRow: Sendable {
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
        /// The background follow-up of a batch without a final answer: attempts so far and the next.
        var followUp: String?
        var simulated: Bool
        var results: [ResultRow]
    }

    struct PaymentsView: ProjectView {
        var head: ProjectHead
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
        var simulated: Bool
        var title: String
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

    /// The batches of payroll `payrollID` of project `id`; another unit's payroll reads as not found (S1).
    func payments(_ id: UUID, _ caller: Caller, payroll payrollID: UUID) async throws -> PaymentsView {
        let shell = try await projects.shell(id, caller, tab: .payrolls)
        let project = shell.project
        let db = database.database()
        guard let payroll = try await PayrollModel.find(payrollID, on: db), payroll.projectID == project.uuid,
            shell.standing.sees(unit: payroll.unitID)
        else { throw AppError.notFound }
        let lines = try await PayrollLineModel.query(on: db).filter(\.$payrollID == payrollID).all()
        let workerIDs = Array(Set(lines.map(\.workerID)))
        let names =
            workerIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(\.$id ~~ workerIDs).all()
                    .map { ($0.uuid, $0.name) })
        let cardIDs = lines.compactMap(\.cardID)
        let cards =
            cardIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await WorkerBankCardModel.query(on: db).filter(\.$id ~~ cardIDs).all()
                    .map { ($0.uuid, $0) })
        let cardText = { (line: PayrollLineModel) -> String in
            guard let card = line.cardID.flatMap({ cards[$0] }) else { return "未登记工资卡" }
            return "\(card.bankName) \(card.numberMasked)\(card.isActive ? "" : "（已停用）")"
        }
        let batches = try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payrollID)
            .sort(\.$sentAt, .descending).all()
        let batchIDs = batches.compactMap(\.id)
        let results =
            batchIDs.isEmpty ? [] : try await WagePaymentResultModel.query(on: db).filter(\.$batchID ~~ batchIDs).all()
        let resultsByBatch = Dictionary(grouping: results, by: \.batchID)
        let byLine = Dictionary(uniqueKeysWithValues: lines.map { ($0.uuid, $0) })
        let unit = try await ProjectUnitModel.find(payroll.unitID, on: db)
        var team: TeamModel?
        if let teamID = payroll.teamID { team = try await TeamModel.find(teamID, on: db) }
        let wageAccount = try await payouts.account(of: project.uuid)
        let sortedLines = lines.sorted {
            (names[$0.workerID] ?? "", $0.uuid.uuidString) < (names[$1.workerID] ?? "", $1.uuid.uuidString)
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
        let workerName = { (lineID: UUID) in byLine[lineID].flatMap { names[$0.workerID] } ?? "" }
        let month = PayMonth(payroll.payMonth)?.chinese ?? payroll.payMonth
        return PaymentsView(
            head: shell.head, payrollID: payrollID.uuidString, code: payroll.code, month: month,
            unit: unit?.name ?? "", team: team?.name ?? "全部班组",
            status: Self.payrollStatuses[payroll.status] ?? payroll.status, statusCode: payroll.status,
            due: Money.yuan(Money.sum(lines.map(\.dueFen))), paid: Money.yuan(Money.sum(lines.map(\.paidFen))),
            owed: Money.yuan(Money.sum(lines.map(\.unpaidFen))),
            lines: sortedLines.map { line in
                LineRow(
                    worker: names[line.workerID] ?? "", card: cardText(line), due: Money.yuan(line.dueFen),
                    paid: Money.yuan(line.paidFen), owed: Money.yuan(line.unpaidFen),
                    status: Self.lineStatuses[line.status] ?? line.status, statusClass: line.status,
                    paidOn: line.paidOn ?? "", reason: line.failureReason ?? "", failed: line.status == "failed")
            },
            batches: batches.map { batch in
                BatchRow(
                    id: batch.uuid.uuidString, instruction: batch.instructionID,
                    sentAt: ChineseFormat.dateTime(batch.sentAt),
                    status: Self.batchStatuses[batch.status] ?? batch.status, statusCode: batch.status,
                    canResend: shell.standing.isContractor && ["unsent", "sending"].contains(batch.status),
                    canQuery: shell.standing.isContractor && batch.status == "accepted", lineCount: batch.lineCount,
                    total: Money.yuan(batch.totalFen), paid: Money.yuan(batch.paidFen), message: batch.message,
                    followUp: payouts.followsUp ? Self.followUp(of: batch) : nil, simulated: batch.simulated,
                    results: (resultsByBatch[batch.uuid] ?? []).sorted { workerName($0.lineID) < workerName($1.lineID) }
                        .map { result in
                            ResultRow(
                                worker: workerName(result.lineID), card: byLine[result.lineID].map(cardText) ?? "",
                                amount: Money.yuan(result.amountFen),
                                status: Self.resultStatuses[result.status] ?? result.status,
                                failed: result.status == "failed",
                                reason: result.reason ?? "", failureCode: result.reasonCode,
                                reference: result.bankReference, settledOn: result.settledOn ?? "")
                        })
            }, hasBatches: !batches.isEmpty,
            canPay: shell.standing.isContractor && blocked == nil && wageAccount != nil && !owed.isEmpty,
            payLabel: retrying ? "重新代发失败项" : "通过专户代发",
            payHint: "将向 \(owed.count) 名工人的本人工资卡代发，共 \(Money.yuan(Money.sum(owed.map(\.unpaidFen)))) 元",
            blocked: blocked, noAccount: wageAccount == nil, accountLink: shell.path.tab(.account),
            simulated: payouts.simulator != nil || batches.contains(where: \.simulated),
            title: "\(project.name)：\(month)工资代发")
    }

    /// "系统已自动跟进 2 次，下次约 12-06 14:05": only for batches still waiting for the bank's final answer.
    static func followUp(of batch: WagePaymentBatchModel) -> String? {
        guard PayoutService.openStatuses.contains(batch.status) else { return nil }
        let next = batch.nextAttemptAt ?? batch.sentAt.addingTimeInterval(PayoutService.followUpGrace)
        let done = batch.attempts > 0 ? "系统已自动跟进 \(batch.attempts) 次，" : ""
        return "\(done)下次自动\(batch.status == "accepted" ? "查询" : "重发")约在 \(ChineseFormat.dateTime(next))"
    }
}
