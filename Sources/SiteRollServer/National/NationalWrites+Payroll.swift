import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// `Payroll.Add` (b.6) through the payroll import's row check (`PayrollImport.add`): a month's
/// payroll of a team arrives in calls of at most 20 lines, each added to one draft; the result
/// carries its `payrollCode`. A draft is what it stays: SiteRoll pays wages from the dedicated
/// account through the bank once a person submits the payroll (《保障农民工工资支付条例》), so the
/// amount and date the submitter says it paid are kept on the line as its declaration, never
/// taken as a payment.
extension NationalWrites {
    func payrollAdd(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var header = NationalInput(data, secret: caller.secret)
        let corpCode = header.required("corpCode", max: 18)
        let sysNo = header.integer("teamSysNo", required: true)
        let month = header.month("payMonth", required: true)
        if let month, month > PayMonth(containing: ProjectService.today()) { header.add("payMonth 不能晚于本月") }
        let list = header.list("detailList", required: true, max: 20)
        try header.throwIfAny()
        guard let month else { return .failed("缺少 payMonth") }
        let unit = try await unit(corpCode ?? "", of: caller)
        let team = try await team(sysNo, of: caller)
        guard team.unitID == unit.id else { return .failed("teamSysNo \(team.sysNo) 不属于参建单位 \(unit.creditCode)") }
        // The project's dedicated account: the paying account every line must name.
        let account = try await WageAccountModel.query(on: database.database())
            .filter(\.$projectID == caller.project.uuid).first()
        var rows: [(place: String, row: PayrollImport.Row)] = []
        var problems: [String] = []
        for (index, fields) in list.enumerated() {
            var input = NationalInput(fields, secret: caller.secret, place: "detailList 第 \(index + 1) 条：")
            let number = input.decrypted("idCardNumber", required: true)
            let days = input.decimal("days", required: false)
            let hours = input.decimal("workHours", required: false).flatMap(Double.init)
            let card = input.decrypted("payRollBankCardNumber", required: true)
            let bankCode = input.code("payRollBankCode", in: .banks, required: true)
            let bankName = input.required("payRollBankName")
            let payCard = input.decrypted("payBankCardNumber", required: true)
            _ = input.code("payBankCode", in: .banks, required: true)
            _ = input.required("payBankName")
            let total = input.decimal("totalPayAmount", required: true)
            let actual = input.decimal("actualAmount", required: true)
            let backPay = input.flag("isBackPay", required: true)
            let backMonth = input.month("backPayMonth", required: backPay == true)
            let paidOn = input.date("balanceDate", required: true)
            if let paidOn, paidOn > ProjectService.today() { input.add("balanceDate 不能晚于今天") }
            let third = input.required("thirdPayRollCode", max: 50)
            if let payCard, let account, cipher.lookupHash(payCard.filter(\.isNumber)) != account.numberHMAC {
                input.add("payBankCardNumber 不是本项目的农民工工资专用账户（\(account.numberMasked)）")
            }
            if account == nil { input.add("本项目尚未登记农民工工资专用账户，请先在平台登记后再上传工资") }
            guard input.problems.isEmpty, let number, let total else {
                problems += input.problems
                continue
            }
            let declared = [
                "接入系统申报：实发 \(actual ?? "") 元", paidOn.map { "发放日期 \($0.description)" }, third.map { "工资单号 \($0)" },
            ]
            rows.append(
                (
                    input.place,
                    PayrollImport.Row(
                        name: nil, idNumber: number, days: days ?? "", workHours: hours, gross: total,
                        backPayMonth: backPay == true ? backMonth?.description ?? "" : "", cardNumber: card ?? "",
                        bankCode: bankCode ?? "", bankName: bankName ?? "", holderName: nil,
                        note: declared.compactMap { $0 }.joined(separator: "，"))
                ))
        }
        guard problems.isEmpty else { return .failed(problems.joined(separator: "；")) }
        let payroll = try await draft(unit: unit, team: team, month: month, caller: caller)
        var seen = Set(
            try await PayrollLineModel.query(on: database.database()).filter(\.$payrollID == payroll.uuid)
                .all(\.$workerID))
        var done = 0
        for (place, row) in rows {
            do {
                _ = try await wages.imports.add(row, to: payroll, seen: &seen, scope: caller.scope, by: caller.account)
                done += 1
            } catch {
                problems.append(place + (Self.describe(error) ?? "处理失败"))
            }
        }
        return Self.outcome(
            problems, done: done, noun: "行", result: Self.array([["payrollCode": .string(payroll.code)]]))
    }

    /// The team's draft for the month, made on the first call and added to by the next ones.
    private func draft(unit: ProjectUnitModel, team: TeamModel, month: PayMonth, caller: NationalCaller) async throws
        -> PayrollModel
    {
        let key = PayrollModel.scopeKey(unit: unit.uuid, team: team.id, month: month.description)
        if let existing = try await PayrollModel.query(on: database.database()).filter(\.$scopeKey == key).first() {
            guard existing.status == "draft" else {
                throw Refusal(
                    code: .invalidParameters,
                    message: "\(team.name)\(month.chinese)的工资表已提交（工资表编号 \(existing.code)），不能再添加工资明细")
            }
            return existing
        }
        return try await wages.payrolls.createEmpty(
            project: caller.project.uuid, unitID: unit.uuid.uuidString, teamID: team.uuid.uuidString,
            month: month.description, source: "national", scope: caller.scope, by: caller.account)
    }

    static func array(_ objects: [[String: NationalJSON]]) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(NationalJSON.array(objects.map { .object($0) }))).flatMap {
            String(data: $0, encoding: .utf8)
        }
    }
}
