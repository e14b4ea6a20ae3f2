import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The worker's own registration on the phone (M1, `/m/register`, in `+Phone`) and the
/// enterprise's collection of a worker (E1, `/corp/workers`): one form, one service.
struct WorkerRegistrationPages: Sendable {
    let verification: WorkerVerificationService
    let pages: PageRenderer
    let navigation: Navigation
    let secureCookies: Bool
    /// Counts the ID step's look-ups per source address (`checkNumber`).
    let throttle: LoginThrottle

    struct ResultModel {
        struct Link {
            var label: String
            var href: String
        }

        var status: String
        var passed: Bool
        var waiting: Bool
        var refused: Bool
        var code: String
        var message: String
        var serial: String
        var warnings: [String]
        var hasWarnings: Bool
        /// What a warning on a passed verification means and who follows it up.
        var followUp: String
        var simulated: Bool
        var links: [Link]

        static let workerFollowUp =
            "以上提醒不影响核验结果，实名核验码可以照常使用。用工单位办理进场时会逐项核对（例如要求提供健康证明），劳资专管员会与您联系；证件信息有变化时请重新登记。"
        static let enterpriseFollowUp =
            "以上提醒不影响核验结果，实名核验码可以照常使用。请企业管理员在到期或变更前到平台更新资质等信息；企业注册地的住建部门在日常监管中跟进。"

        /// `followUp` says, for the subject verified, who acts on a warning; the code is valid meanwhile.
        init(_ outcome: VerificationOutcome, links: [Link], followUp: String = Self.workerFollowUp) {
            status = outcome.status.rawValue
            passed = outcome.status == .passed
            waiting = outcome.status == .waiting
            refused = outcome.status == .refused
            code = outcome.verificationCode ?? ""
            message = outcome.message
            serial = outcome.serial
            warnings = outcome.warnings.map(\.message)
            hasWarnings = !outcome.warnings.isEmpty
            self.followUp = outcome.status == .passed ? followUp : ""
            simulated = outcome.simulated
            self.links = links
        }
    }

    func addRoutes(to group: RouterGroup<CorpContext>) {
        /// The enterprise's collected workers and their verification state.
        group.get("workers") { request, context in
            try await workerList(context: context, path: request.uri.path)
        }
        /// The collection form.
        group.get("workers/new") { request, context in
            pages.html(
                "worker-form",
                WorkerForm(
                    action: "/corp/workers", csrf: context.identity.csrfToken, selfRegistration: false, values: nil,
                    outcome: nil),
                layout: navigation.layout(
                    .corp, title: "采集工人实名信息", identity: context.identity, current: request.uri.path))
        }
        /// Verifies a collected worker.
        group.post("workers") { request, context in
            let form = try await FormFields.read(request, limit: ConsoleSessionMiddleware.maxFormBytes)
            let outcome = try await verification.submit(
                WorkerSubmission(form: form, selfRegistration: false), by: .enterprise(context.account))
            let layout = navigation.layout(
                .corp, title: "采集工人实名信息", identity: context.identity, current: request.uri.path)
            guard outcome.status != .refused else {
                return pages.html(
                    "worker-form",
                    WorkerForm(
                        action: "/corp/workers", csrf: context.identity.csrfToken, selfRegistration: false,
                        values: form,
                        outcome: outcome), layout: layout, status: .unprocessableContent)
            }
            // Post-redirect-get: the list shows the request from now on; the code once, large.
            return PageOutcome.redirect(to: Paths.Corp.workers, Self.collected(outcome))
        }
    }

    /// What the enterprise reads once after collecting a worker: the code to hand on, any warning
    /// with who follows it up, or the serial of a verification still waiting for the authority.
    static func collected(_ outcome: VerificationOutcome) -> Flash {
        let simulated = outcome.simulated ? "（由模拟身份核验服务应答，仅用于开发、测试和演示）" : ""
        guard outcome.status == .passed, let code = outcome.verificationCode else {
            return Flash(
                "已提交，等待身份核验机构应答：\(outcome.message) 核验请求流水号 \(outcome.serial)，结果会显示在下方列表中。\(simulated)",
                warning: true)
        }
        let warnings = outcome.warnings.map(\.message)
        return Flash(
            "实名核验通过\(simulated)。"
                + (warnings.isEmpty ? "" : "核验已通过，但有以下事项需要留意：" + warnings.joined(separator: "；") + "。"),
            warning: !warnings.isEmpty,
            once: .init(
                title: "实名核验码", rows: [.init(label: "实名核验码", value: code, id: "verification-code")],
                hint: warnings.isEmpty
                    ? "请把实名核验码告诉工人：进场登记、签订劳动合同和发放工资时都用它找到这位工人。"
                    : ResultModel.workerFollowUp))
    }

    struct WorkerRow {
        var serial: String
        var label: String
        var status: String
        var statusClass: String
        var code: String
        var message: String
        var time: String
        var simulated: Bool
        var workerID: String?
    }

    private func workerList(context: CorpContext, path: String) async throws -> Response {
        struct ListModel {
            var rows: [WorkerRow]
            var hasRows: Bool
        }
        let rows = try await verification.workerRequests(of: context.enterpriseID).map { request, code in
            WorkerRow(
                serial: request.serial, label: request.subjectLabel, status: request.statusName,
                statusClass: request.status, code: code ?? "", message: request.message,
                time: ChineseFormat.dateTime(request.createdAt), simulated: request.simulated,
                workerID: request.status == "passed" ? request.workerID?.uuidString : nil)
        }
        return pages.html(
            "corp-workers", ListModel(rows: rows, hasRows: !rows.isEmpty),
            layout: navigation.layout(.corp, title: "工人实名", identity: context.identity, current: path))
    }
}
