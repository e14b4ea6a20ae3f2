import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The worker's wages on the phone (M4): each month's line per project with a button to confirm
/// the month or to object to it. The page is one read of `WageReads` and a template.
struct WorkerWagePages: Sendable {
    let reads: WageReads
    let pages: PageRenderer
    let navigation: Navigation

    var wages: WorkerWageService { reads.wages.workerWages }

    func addRoutes(to group: RouterGroup<WorkerContext>) {
        /// 我的工资.
        group.get(Paths.relative(Paths.Mobile.wages, to: .mobile)) { request, context in
            try await page(context, path: request.uri.path)
        }
        /// Confirms a month's line, or objects to it (a complaint to the employer).
        group.post(Paths.relative(Paths.Mobile.wages + "/:line", to: .mobile)) { request, context in
            let form = try await FormFields.read(request)
            guard let lineID = context.parameters.get("line", as: UUID.self) else { throw AppError.notFound }
            return try await PageOutcome.respond(to: Paths.Mobile.wages) {
                let confirm = form.text("answer") == "confirm"
                let complaint = try await wages.respond(
                    line: lineID, confirm: confirm, text: form.text("text"), worker: context.workerID,
                    by: context.account)
                return Flash(complaint.map { "异议已提交给用工单位，投诉编号 \($0.code)。劳资专管员会联系您核实。" } ?? "已确认，谢谢！")
            } refused: { error in
                try await page(context, path: Paths.Mobile.wages, error: error)
            }
        }
    }

    func page(_ context: WorkerContext, path: String, error: AppError? = nil) async throws -> Response {
        var view = try await reads.workerWages(context.caller)
        view.error = error
        return pages.html(
            "m-wages", view,
            layout: navigation.layout(.mobile, title: "我的工资", identity: context.identity, current: Paths.Mobile.wages),
            status: error?.status ?? .ok)
    }
}
