import FluentKit
import Foundation
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// Imports a month's payroll from CSV or .xlsx (工资表) into a new draft for one unit: each row is
/// checked on its own and named with its line number in the report; valid rows become lines,
/// refused rows are listed with the reason. A card number on a row that is not the worker's card
/// on file is registered as the worker's new card (audited). Submission still runs the full
/// validation, so an import never skips a check.
struct PayrollImport: Sendable {
    let database: DatabaseService
    let payrolls: PayrollService
    let cards: WageCardService
    let cipher: FieldCipher

    static let columns = ["姓名", "身份证号", "出勤天数", "应发金额", "扣款", "扣款事由", "补发所属月份", "工资卡号", "开户银行代码", "户名", "备注"]
    static let maxRows = 2000

    func importFile(
        _ data: Data, fileName: String, unitID: String, month: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws -> (PayrollModel, RosterImport.Report) {
        let rows: [[String]]
        do {
            rows = try SpreadsheetReader.rows(from: data, fileName: fileName)
        } catch {
            throw AppError(.unprocessableContent, code: error.code, message: error.message)
        }
        guard let header = rows.first else {
            throw AppError(.unprocessableContent, code: "IMPORT_EMPTY", message: "文件中没有数据")
        }
        let columns = Dictionary(
            header.enumerated().map {
                ($0.element.replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces), $0.offset)
            },
            uniquingKeysWith: { first, _ in first })
        let missing = ["姓名", "身份证号", "应发金额"].filter { columns[$0] == nil }
        if !missing.isEmpty {
            throw AppError(
                .unprocessableContent, code: "IMPORT_MISSING_COLUMNS",
                message: "表头缺少以下列：\(missing.joined(separator: "、"))。请下载工资表模板填写")
        }
        let body = rows.dropFirst().enumerated().filter { !$0.element.allSatisfy(\.isEmpty) }
        if body.count > Self.maxRows {
            throw AppError(
                .unprocessableContent, code: "IMPORT_TOO_MANY_ROWS", message: "一次最多导入 \(Self.maxRows) 行，请分批导入")
        }
        // An empty draft first: the same checks as generating one (scope, month, no duplicate).
        let payroll = try await payrolls.createEmpty(
            project: projectID, unitID: unitID, month: month, source: "imported", scope: scope, by: account)
        var results: [RosterImport.RowResult] = []
        var seen: Set<UUID> = []
        for (offset, row) in body {
            let cells = RosterImport.Cells(row: row, columns: columns)
            let label = cells["姓名"].isEmpty ? "（未填姓名）" : cells["姓名"]
            do {
                let message = try await importRow(cells, payroll: payroll, seen: &seen, scope: scope, by: account)
                results.append(.init(line: offset + 2, label: label, ok: true, message: message))
            } catch let error as AppError {
                results.append(.init(line: offset + 2, label: label, ok: false, message: error.message))
            } catch {
                results.append(.init(line: offset + 2, label: label, ok: false, message: "保存失败，请稍后重试"))
            }
        }
        return (payroll, RosterImport.Report(kind: "工资表", results: results))
    }

    /// One payroll row whichever way it arrives: a spreadsheet row, or a national `Payroll.Add`
    /// line (whose rows carry no name: `name` nil).
    struct Row: Sendable {
        var name: String?
        var idNumber: String
        var days = ""
        var workHours: Double?
        var gross = ""
        var deduction = ""
        var deductionReason = ""
        var backPayMonth = ""
        var cardNumber = ""
        var bankCode = ""
        var bankName = ""
        /// nil: the worker's own name (a national line names no holder).
        var holderName: String? = ""
        var note = ""
    }

    private func importRow(
        _ cells: RosterImport.Cells, payroll: PayrollModel, seen: inout Set<UUID>, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws -> String {
        let row = Row(
            name: cells["姓名"], idNumber: cells["身份证号"], days: cells["出勤天数"], gross: cells["应发金额"],
            deduction: cells["扣款"], deductionReason: cells["扣款事由"], backPayMonth: cells["补发所属月份"],
            cardNumber: cells["工资卡号"], bankCode: cells["开户银行代码"], holderName: cells["户名"], note: cells["备注"])
        return try await add(row, to: payroll, seen: &seen, scope: scope, by: account)
    }

    /// Checks one row and adds it to the draft as a line; the words for the report.
    func add(
        _ row: Row, to payroll: PayrollModel, seen: inout Set<UUID>, scope: AccessScope, by account: AccountSnapshot
    ) async throws -> String {
        let db = database.database()
        var problems = FieldProblems()
        let name = row.name.map { problems.required($0, "姓名", max: 50) }
        let number = row.idNumber.uppercased()
        if !IdentityNumber.hasValidCheckCharacter(number) {
            problems.add(number.contains("E+") ? "身份证号被表格软件转成了科学计数法，请把该列设为文本后重新填写" : "身份证号不正确")
        }
        let days = problems.decimal(row.days, "出勤天数", in: 0...31, maxFractionDigits: 1) ?? 0
        let gross = problems.money(row.gross, "应发金额", required: true, limit: Money.lineLimitFen)
        let deduction = problems.money(row.deduction, "扣款", required: false, limit: Money.lineLimitFen) ?? 0
        let reason = problems.optional(row.deductionReason, "扣款事由", max: 100)
        if deduction > 0, reason == nil { problems.add("有扣款时须写明扣款事由") }
        if let gross, deduction > gross { problems.add("扣款不能超过应发金额") }
        let backText = row.backPayMonth
        let backMonth = backText.isEmpty ? nil : PayMonth(backText)
        if !backText.isEmpty, backMonth == nil { problems.add("补发所属月份格式应为 年-月，例如 2026-09") }
        let note = problems.optional(row.note, "备注", max: 200)
        try problems.throwIfAny("PAYROLL_ROW_INVALID")
        guard
            let worker = try await WorkerModel.query(on: db).filter(\.$idNumberHMAC == cipher.lookupHash(number))
                .first()
        else { throw AppError.badRequest("PAYROLL_WORKER_NOT_FOUND", "该身份证号的工人尚未在平台实名登记") }
        if let name, worker.name != name {
            throw AppError.badRequest("PAYROLL_NAME_MISMATCH", "姓名与平台登记的不一致（身份证号对应的姓名不是“\(name)”）")
        }
        let label = name ?? worker.name
        guard
            try await ProjectWorkerModel.query(on: db).filter(\.$projectID == payroll.projectID)
                .filter(\.$workerID == worker.uuid).filter(\.$unitID == payroll.unitID).count() > 0
        else { throw AppError.badRequest("PAYROLL_WORKER_NOT_ON_PROJECT", "\(label)不是本单位在本项目的工人") }
        guard seen.insert(worker.uuid).inserted else {
            throw AppError.badRequest("PAYROLL_DUPLICATE_WORKER", "\(label)在工资表中出现多次，每人每月只能有一行工资")
        }
        var card = try await cards.activeCards(of: [worker.uuid])[worker.uuid]
        let cardNumber = row.cardNumber.filter { !$0.isWhitespace && $0 != "-" }
        var notes: [String] = []
        if !cardNumber.isEmpty, card?.numberHMAC != cipher.lookupHash(cardNumber) {
            card = try await cards.register(
                .init(
                    bankCode: row.bankCode, bankName: row.bankName, holderName: row.holderName ?? worker.name,
                    number: cardNumber), worker: worker.uuid,
                project: payroll.projectID, scope: scope, by: account)
            notes.append("已登记新工资卡 \(card?.numberMasked ?? "")")
        }
        let line = PayrollService.newLine(
            payroll, worker: worker.uuid,
            team: try await payrolls.teamsOf([worker.uuid], project: payroll.projectID)[worker.uuid])
        line.manDays = days
        line.workHours = row.workHours
        if let contract = try await payrolls.contractsInForce(
            project: payroll.projectID, unit: payroll.unitID, month: try payroll.month())[worker.uuid]
        {
            line.wageBasis = contract.wageBasis
            line.rateFen = contract.rateFen
        }
        guard let gross else { throw AppError.badRequest("PAYROLL_ROW_INVALID", "请填写应发金额") }
        line.grossFen = gross
        line.deductionFen = deduction
        line.deductionReason = reason
        line.dueFen = gross - deduction
        line.isBackPay = backMonth != nil
        line.backPayMonth = backMonth?.description
        line.note = note
        line.cardID = card?.id
        try await line.create(on: db)
        return (["应发 \(Money.yuan(line.dueFen)) 元"] + notes).joined(separator: "，")
    }
}
