import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

extension WagePages {
    /// Read routes for regulators and enterprises.
    func addReadRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>, base: String) {
        group.get("projects/:id/payrolls") { request, context in
            try await list(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/payrolls/ledger") { request, context in
            try await ledger(request, context, base: base)
        }
        group.get("projects/:id/payrolls/template") { _, _ in
            let example: [[SheetCell]] = [
                [
                    "张三", "510104199001011234", "22", "7700.00", "0", "", "", "6222020402001234567", "102", "张三",
                    "",
                ]
            ]
            return Download.response(
                SpreadsheetWriter.xlsx(sheetName: "工资表", header: PayrollImport.columns, rows: example),
                fileName: "工资表导入模板.xlsx", type: Download.xlsxType)
        }
        group.get("projects/:id/payrolls/:payroll") { request, context in
            try await detail(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/payrolls/:payroll/scan") { _, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
            guard let payrollID = context.parameters.get("payroll", as: UUID.self) else { throw AppError.notFound }
            let file = try await wages.payrolls.scan(
                payroll: payrollID, project: id, scope: context.scope, by: context.account)
            return Self.inline(file)
        }
        group.get("projects/:id/wages/reconciliation") { request, context in
            try await reconciliation(request, context, base: base)
        }
        group.get("projects/:id/wages/agreements") { request, context in
            try await agreements(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/wages/agreements/:agreement/scan") { _, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
            guard let agreementID = context.parameters.get("agreement", as: UUID.self) else { throw AppError.notFound }
            return Self.inline(
                try await wages.agreements.scan(agreementID, project: id, scope: context.scope, by: context.account))
        }
    }

    static func inline(_ file: (name: String, type: String, data: Data)) -> Response {
        let encoded = file.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "scan"
        return Response(
            status: .ok,
            headers: [
                .contentType: file.type, .cacheControl: "no-store",
                .contentDisposition: "inline; filename*=UTF-8''\(encoded)",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }

    /// Changes, for enterprises.
    func addEmployerRoutes(to group: RouterGroup<CorpContext>) {
        let base = Paths.Corp.home
        group.post("projects/:id/payrolls") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            do {
                let payroll = try await wages.payrolls.generate(
                    project: id, unitID: form.text("unitID"), teamID: form.text("teamID"), month: form.text("month"),
                    scope: context.scope, by: context.account)
                return Response.redirect(
                    to: "\(base)/projects/\(id.uuidString)/payrolls/\(payroll.uuid.uuidString)", type: .found)
            } catch let error as AppError where error.status != .notFound {
                return try await list(context, path: request.uri.path, base: base, error: error)
            }
        }
        group.post("projects/:id/payrolls/import") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            do {
                guard let file = form.files["file"], !file.data.isEmpty else {
                    throw AppError.badRequest("IMPORT_FILE_REQUIRED", "请选择要导入的工资表文件（.xlsx 或 .csv）")
                }
                let (_, report) = try await wages.imports.importFile(
                    file.data, fileName: file.fileName, unitID: form.text("unitID"), month: form.text("month"),
                    project: id, scope: context.scope, by: context.account)
                return try await list(
                    context, path: request.uri.path, base: base,
                    notice: "导入完成：\(report.accepted) 行成功，\(report.refused) 行未导入（见下方说明）。导入的工资表为草稿，核对后提交。",
                    report: report)
            } catch let error as AppError where error.status != .notFound {
                return try await list(context, path: request.uri.path, base: base, error: error)
            }
        }
        group.post("projects/:id/payrolls/:payroll/lines/:line") { request, context in
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
        group.post("projects/:id/payrolls/:payroll/lines/:line/remove") { request, context in
            try await change(request, context) { id, payrollID in
                guard let lineID = context.parameters.get("line", as: UUID.self) else { throw AppError.notFound }
                try await wages.payrolls.removeLine(
                    lineID, payroll: payrollID, project: id, scope: context.scope, by: context.account)
                return "已从工资表删除该行"
            }
        }
        group.post("projects/:id/payrolls/:payroll/lines") { request, context in
            let form = try await FormFields.read(request)
            return try await change(request, context) { id, payrollID in
                try await wages.payrolls.addLine(
                    payroll: payrollID, project: id, workerCode: form.text("workerCode"), scope: context.scope,
                    by: context.account)
                return "已增加一行，请填写金额"
            }
        }
        group.post("projects/:id/payrolls/:payroll/scan") { request, context in
            let form = try await FormFields.read(request)
            return try await change(request, context) { id, payrollID in
                try await wages.payrolls.attachScan(
                    payroll: payrollID, project: id, file: form.files["scan"], scope: context.scope,
                    by: context.account)
                return "签字工资表已上传"
            }
        }
        group.post("projects/:id/payrolls/:payroll/cards/:worker") { request, context in
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
        group.post("projects/:id/payrolls/:payroll/submit") { request, context in
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
        group.post("projects/:id/wages/agreements") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            do {
                _ = try await wages.agreements.register(
                    .init(
                        unitID: form.text("unitID"), principalName: form.text("principalName"),
                        agentName: form.text("agentName"), bankCode: form.text("bankCode"),
                        signedOn: form.text("signedOn"), validFrom: form.text("validFrom"),
                        validUntil: form.text("validUntil"), file: form.files["scan"]),
                    project: id, scope: context.scope, by: context.account)
                return try await agreements(context, path: request.uri.path, base: base, notice: "工资代发协议已登记")
            } catch let error as AppError where error.status != .notFound {
                return try await agreements(context, path: request.uri.path, base: base, error: error)
            }
        }
    }

    /// Runs a change to one payroll and shows the payroll with its notice or refusal.
    private func change(
        _ request: Request, _ context: CorpContext, _ body: (UUID, UUID) async throws -> String
    ) async throws -> Response {
        let id = try projects.projectID(context)
        guard let payrollID = context.parameters.get("payroll", as: UUID.self) else { throw AppError.notFound }
        let path = "\(Paths.Corp.home)/projects/\(id.uuidString)/payrolls/\(payrollID.uuidString)"
        do {
            let notice = try await body(id, payrollID)
            return try await detail(context, path: path, base: Paths.Corp.home, notice: notice)
        } catch let error as AppError where error.status != .notFound {
            return try await detail(context, path: path, base: Paths.Corp.home, error: error)
        }
    }
}
