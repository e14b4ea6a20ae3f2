import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The enterprise console's wage forms (E4): each posts, the service decides, and the browser
/// goes on to the page that shows the result (`PageOutcome`); a refusal shows its Chinese reasons.
extension WagePages {
    /// Changes, for enterprises.
    func addEmployerRoutes(to group: RouterGroup<CorpContext>) {
        /// 生成草稿: a draft from the month's attendance and contracts, then its page.
        group.post(ProjectTab.payrolls.route) { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            do {
                let payroll = try await wages.payrolls.generate(
                    project: id, unitID: form.text("unitID"), teamID: form.text("teamID"), month: form.text("month"),
                    scope: context.scope, by: context.account)
                return PageOutcome.redirect(
                    to: ProjectPath(audience: .corp, project: id).wage(.payroll, payroll.uuid),
                    "工资表草稿已生成，请核对每一行后提交")
            } catch let error as AppError where error.status != .notFound {
                return try await list(context, path: request.uri.path, error: error)
            }
        }
        /// 导入: an Excel or CSV payroll as a draft, with a report of every row.
        group.post(WagePath.importFile.route) { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            return try await PageOutcome.respond(to: ProjectPath(audience: .corp, project: id).tab(.payrolls)) {
                guard let file = form.files["file"], !file.data.isEmpty else {
                    throw AppError.badRequest("IMPORT_FILE_REQUIRED", "请选择要导入的工资表文件（.xlsx 或 .csv）")
                }
                let (_, report) = try await wages.imports.importFile(
                    file.data, fileName: file.fileName, unitID: form.text("unitID"), month: form.text("month"),
                    project: id, scope: context.scope, by: context.account)
                return Flash(
                    "导入完成：\(report.accepted) 行成功，\(report.refused) 行未导入（见下方说明）。导入的工资表为草稿，核对后提交。",
                    report: report)
            } refused: { error in
                try await list(context, path: request.uri.path, error: error)
            }
        }
        /// Saves one line's amounts.
        group.post(WagePath.line.route) { request, context in
            let form = try await FormFields.read(request)
            return try await change(request, context) { id, payrollID in
                guard let lineID = context.parameters.get("line", as: UUID.self) else { throw AppError.notFound }
                try await wages.payrolls.updateLine(
                    lineID, payroll: payrollID, project: id,
                    input: .init(
                        gross: form.text("gross"), quantity: form.text("quantity"), deduction: form.text("deduction"),
                        deductionReason: form.text("deductionReason"), isBackPay: form.text("isBackPay") == "1",
                        backPayMonth: form.text("backPayMonth"), note: form.text("note")),
                    scope: context.scope, by: context.account)
                return "已保存修改"
            }
        }
        /// Removes a line from a draft.
        group.post(WagePath.lineRemoval.route) { request, context in
            try await change(request, context) { id, payrollID in
                guard let lineID = context.parameters.get("line", as: UUID.self) else { throw AppError.notFound }
                try await wages.payrolls.removeLine(
                    lineID, payroll: payrollID, project: id, scope: context.scope, by: context.account)
                return "已从工资表删除该行"
            }
        }
        /// Adds a worker by verification code.
        group.post(WagePath.lines.route) { request, context in
            let form = try await FormFields.read(request)
            return try await change(request, context) { id, payrollID in
                try await wages.payrolls.addLine(
                    payroll: payrollID, project: id, workerCode: form.text("workerCode"), scope: context.scope,
                    by: context.account)
                return "已增加一行，请填写金额"
            }
        }
        /// Uploads the signed scan.
        group.post(WagePath.payrollScan.route) { request, context in
            let form = try await FormFields.read(request)
            return try await change(request, context) { id, payrollID in
                try await wages.payrolls.attachScan(
                    payroll: payrollID, project: id, file: form.files["scan"], scope: context.scope,
                    by: context.account)
                return "签字工资表已上传"
            }
        }
        /// Registers a worker's wage card.
        group.post(WagePath.card.route) { request, context in
            let form = try await FormFields.read(request)
            return try await change(request, context) { id, _ in
                guard let workerID = context.parameters.get("worker", as: UUID.self) else { throw AppError.notFound }
                let card = try await wages.cards.register(
                    .init(
                        bankCode: form.text("bankCode"), bankName: form.text("bankName"),
                        holderName: form.text("holderName"), number: form.text("number")),
                    worker: workerID, project: id, scope: context.scope, by: context.account)
                return "工资卡 \(card.numberMasked) 已登记"
            }
        }
        /// Submits a draft, with written reasons for the findings that allow one.
        group.post(WagePath.submission.route) { request, context in
            let form = try await FormFields.read(request)
            return try await change(request, context) { id, payrollID in
                var overrides: [String: String] = [:]
                for (name, value) in form.values where name.hasPrefix("override.") {
                    overrides[String(name.dropFirst("override.".count))] = value
                }
                let review = try await wages.payrolls.submit(
                    payroll: payrollID, project: id, overrides: overrides, scope: context.scope, by: context.account)
                return "工资表已提交（\(review.lines.count) 人）。总承包单位可通过工资专用账户代发。"
            }
        }
        /// Registers a wage agency agreement.
        group.post(WagePath.agreements.route) { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            return try await PageOutcome.respond(to: ProjectPath(audience: .corp, project: id).wage(.agreements)) {
                _ = try await wages.agreements.register(
                    .init(
                        unitID: form.text("unitID"), principalName: form.text("principalName"),
                        agentName: form.text("agentName"), bankCode: form.text("bankCode"),
                        signedOn: form.text("signedOn"), validFrom: form.text("validFrom"),
                        validUntil: form.text("validUntil"), file: form.files["scan"]),
                    project: id, scope: context.scope, by: context.account)
                return "工资代发协议已登记"
            } refused: { error in
                try await agreements(context, path: request.uri.path, error: error)
            }
        }
    }

    /// Runs a change to one payroll; the payroll's page shows its notice, or its refusal.
    private func change(
        _ request: Request, _ context: CorpContext, _ body: (UUID, UUID) async throws -> Flash
    ) async throws -> Response {
        let id = try projects.projectID(context)
        let payrollID = try self.payrollID(context)
        let path = ProjectPath(audience: .corp, project: id).wage(.payroll, payrollID)
        return try await PageOutcome.respond(to: path) {
            try await body(id, payrollID)
        } refused: { error in
            try await payroll(context, path: path, error: error)
        }
    }
}
