import Foundation
import SiteRollCore
import SiteRollStore

/// The worker's wages on the phone (M4): each month's line per project — days, amount due, paid,
/// the pay date and the card (masked) — with what they may answer.
extension WageReads {
    struct MonthCard: Sendable {
        var id: String
        var month: String
        var project: String
        var unit: String
        var days: String
        var due: String
        var paid: String
        var paidOn: String?
        var status: String
        var isPaid: Bool
        var isShort: Bool
        var short: String
        var card: String
        var backPay: String?
        var deduction: String?
        /// How the gross pay was computed from the contract and the days (nil without a contract).
        var computation: String?
        var answered: String?
        var canAnswer: Bool
        /// What confirming means: before the money arrives, only the days and the amount.
        var confirmLabel: String
        var failure: String?
    }

    struct WorkerWagesView: Sendable {
        var csrf: String
        var months: [MonthCard]
        var hasMonths: Bool
        var totalPaid: String
        var error: AppError?
    }

    /// The caller's own lines on submitted payrolls, newest first; only a worker has any.
    func workerWages(_ caller: Caller) async throws -> WorkerWagesView {
        guard case .worker(let workerID, _) = caller.scope else { throw AppError.forbidden }
        let entries = try await wages.workerWages.entries(of: workerID)
        let months = entries.map { entry -> MonthCard in
            let line = entry.line
            let short = Money.difference(line.dueFen, line.paidFen)
            return MonthCard(
                id: line.uuid.uuidString, month: PayMonth(line.payMonth)?.chinese ?? line.payMonth,
                project: entry.projectName, unit: entry.unitName, days: PayrollValidation.days(line.manDays),
                due: Money.yuan(line.dueFen), paid: Money.yuan(line.paidFen), paidOn: line.paidOn,
                status: line.status == "paid" ? "已发放" : (line.status == "failed" ? "发放失败" : "未发放"),
                isPaid: line.status == "paid", isShort: short > 0 && line.status != "unpaid" || line.status == "failed",
                short: Money.yuan(max(short, 0)),
                card: entry.cardMasked.map { "\(entry.bankName ?? "") \($0)" } ?? "未登记工资卡",
                backPay: line.isBackPay ? "补发 \(line.backPayMonth ?? "") 的工资" : nil,
                deduction: line.deductionFen > 0
                    ? "扣款 \(Money.yuan(line.deductionFen)) 元：\(line.deductionReason ?? "")" : nil,
                computation: Self.computation(of: line, by: wages.payrolls.computation),
                answered: line.workerResponse.map { $0 == "confirmed" ? "您已确认" : "您已提出异议，等待处理" },
                canAnswer: line.workerResponse == nil,
                confirmLabel: line.status == "paid" ? "工资没问题，已收到" : "天数和金额没问题",
                failure: line.status == "failed" ? "银行退回：\(line.failureReason ?? "原因未知")。请联系劳资专管员核对工资卡。" : nil)
        }
        return WorkerWagesView(
            csrf: caller.csrf, months: months, hasMonths: !months.isEmpty,
            totalPaid: Money.yuan(Money.sum(entries.map(\.line.paidFen))), error: nil)
    }

    /// The line's computation in words, from the contract terms stored on it.
    static func computation(of line: PayrollLineModel, by rule: PayrollComputation) -> String? {
        guard let basis = line.wageBasis.flatMap(WageBasis.init(rawValue:)), let rate = line.rateFen else { return nil }
        return rule.explanation(
            terms: PayTerms(basis: basis, rateFen: rate), manDays: line.manDays, quantity: line.quantity,
            grossFen: line.grossFen)
    }
}
