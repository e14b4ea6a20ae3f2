import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The worker's wages on the phone (M4): each month's line per project — days, amount due, paid,
/// the pay date and the card (masked) — with a button to confirm the month or to object to it.
struct WorkerWagePages: Sendable {
    let wages: WorkerWageService
    let pages: PageRenderer
    let navigation: Navigation

    struct MonthCard {
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
        var answered: String?
        var canAnswer: Bool
        /// What confirming means: before the money arrives, only the days and the amount.
        var confirmLabel: String
        var failure: String?
    }

    struct Model {
        var csrf: String
        var months: [MonthCard]
        var hasMonths: Bool
        var totalPaid: String
        var error: AppError?
        var notice: String?
    }

    func addRoutes(to group: RouterGroup<WorkerContext>) {
        group.get("wages") { request, context in try await page(context, path: request.uri.path) }
        group.post("wages/:line") { request, context in
            let form = try await FormFields.read(request)
            guard let lineID = context.parameters.get("line", as: UUID.self) else { throw AppError.notFound }
            do {
                let confirm = form.text("answer") == "confirm"
                let complaint = try await wages.respond(
                    line: lineID, confirm: confirm, text: form.text("text"), worker: context.workerID,
                    by: context.account)
                return try await page(
                    context, path: Paths.Mobile.wages,
                    notice: complaint.map { "异议已提交给用工单位，投诉编号 \($0.code)。劳资专管员会联系您核实。" } ?? "已确认，谢谢！")
            } catch let error as AppError where error.status != .notFound {
                return try await page(context, path: Paths.Mobile.wages, error: error)
            }
        }
    }

    func page(_ context: WorkerContext, path: String, error: AppError? = nil, notice: String? = nil) async throws
        -> Response
    {
        let entries = try await wages.entries(of: context.workerID)
        let months = entries.map { entry -> MonthCard in
            let line = entry.line
            let short = Money.difference(line.dueFen, line.paidFen)
            return MonthCard(
                id: line.id!.uuidString, month: PayMonth(line.payMonth)?.chinese ?? line.payMonth,
                project: entry.projectName, unit: entry.unitName, days: PayrollValidation.days(line.manDays),
                due: Money.yuan(line.dueFen), paid: Money.yuan(line.paidFen), paidOn: line.paidOn,
                status: line.status == "paid" ? "已发放" : (line.status == "failed" ? "发放失败" : "未发放"),
                isPaid: line.status == "paid", isShort: short > 0 && line.status != "unpaid" || line.status == "failed",
                short: Money.yuan(max(short, 0)),
                card: entry.cardMasked.map { "\(entry.bankName ?? "") \($0)" } ?? "未登记工资卡",
                backPay: line.isBackPay ? "补发 \(line.backPayMonth ?? "") 的工资" : nil,
                deduction: line.deductionFen > 0
                    ? "扣款 \(Money.yuan(line.deductionFen)) 元：\(line.deductionReason ?? "")" : nil,
                answered: line.workerResponse.map { $0 == "confirmed" ? "您已确认" : "您已提出异议，等待处理" },
                canAnswer: line.workerResponse == nil,
                confirmLabel: line.status == "paid" ? "工资没问题，已收到" : "天数和金额没问题",
                failure: line.status == "failed" ? "银行退回：\(line.failureReason ?? "原因未知")。请联系劳资专管员核对工资卡。" : nil)
        }
        let model = Model(
            csrf: context.identity.csrfToken, months: months, hasMonths: !months.isEmpty,
            totalPaid: Money.yuan(entries.reduce(0) { $0 + $1.line.paidFen }), error: error, notice: notice)
        return pages.html(
            "m-wages", model,
            layout: navigation.layout(.mobile, title: "我的工资", identity: context.identity, current: Paths.Mobile.wages),
            status: error?.status ?? .ok)
    }
}
