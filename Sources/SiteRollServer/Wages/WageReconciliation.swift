import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// One project and month in one view (issue 6 item 7): attendance days × contract rate = what is
/// due by the contract; the payroll lines; what the bank reported paid; the debits on the
/// dedicated account's statement; and every difference between them with its explanation.
struct WageReconciliation: Sendable {
    let database: DatabaseService
    let attendance: AttendanceService
    let payrolls: PayrollService

    struct Row: Sendable {
        var workerID: UUID
        var name: String
        var masked: String
        var manDays: Double
        var terms: String
        var contractualFen: Int64?
        var payrollDueFen: Int64?
        var paidFen: Int64
        var debitedFen: Int64
        var explanations: [String]
        var balanced: Bool { explanations.isEmpty }
    }

    struct Result: Sendable {
        var month: PayMonth
        var rows: [Row]
        var contractualFen: Int64
        var payrollDueFen: Int64
        var paidFen: Int64
        var debitedFen: Int64
        /// Labour-cost transfers into the account from the month's start to the end of the month after (its pay period).
        var transferredInFen: Int64
        var debitsUnmatched: [WageAccountTransactionModel]
        var hasAccount: Bool
        /// Whether the view covers the whole project (transfers and unmatched debits are shown only then).
        var wholeProject: Bool
    }

    /// - Parameter units: the participating units the caller sees (`Standing.unitLimit`); nil for
    ///   all. A unit's staff reconcile their own workers; the builder's transfers and the account's
    ///   other debits belong to the whole project and are left out for them (S1).
    func reconcile(project: ProjectModel, month: PayMonth, units: Set<UUID>?) async throws -> Result {
        let db = database.database()
        let projectID = project.uuid
        var sheets: [AttendanceService.MonthResult] = []
        if let units {
            for unit in units.sorted(by: { $0.uuidString < $1.uuidString }) {
                sheets.append(
                    try await attendance.monthSheet(
                        project: projectID, year: month.year, month: month.month, unit: unit))
            }
        } else {
            sheets.append(try await attendance.monthSheet(project: projectID, year: month.year, month: month.month))
        }
        var manDays: [UUID: Double] = [:]
        var names: [UUID: (String, String)] = [:]
        for sheet in sheets {
            for row in sheet.sheet.rows where row.total > 0 {
                guard let person = sheet.people[row.key] else { continue }
                manDays[person.workerID, default: 0] += row.total
                names[person.workerID] = (person.name, person.masked)
            }
        }
        let lines = try await PayrollLineModel.query(on: db).filter(\.$projectID == projectID)
            .group(.or) { $0.filter(\.$payMonth == month.description).filter(\.$backPayMonth == month.description) }
            .all().filter { line in units.map { $0.contains(line.unitID) } ?? true }
        let regular = lines.filter { !$0.isBackPay && $0.payMonth == month.description }
        let backPay = lines.filter { $0.isBackPay && $0.backPayMonth == month.description }
        let payrollIDs = Array(Set(lines.map(\.payrollID)))
        let payrollsByID =
            payrollIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await PayrollModel.query(on: db).filter(\.$id ~~ payrollIDs).all().map {
                    ($0.uuid, $0)
                })
        let lineIDs = lines.compactMap(\.id)
        // The month after a request's month (≤ 2100-12) exists.
        let next = month.adding(months: 1) ?? month
        let statement = try await statement(
            project: projectID, lines: lineIDs, from: month.firstDay, to: next.lastDay, wholeProject: units == nil)
        var debitsByLine: [UUID: [WageAccountTransactionModel]] = [:]
        for debit in statement.debits { if let line = debit.lineID { debitsByLine[line, default: []].append(debit) } }
        let contracts = try await LabourContractModel.query(on: db).filter(\.$projectID == projectID)
            .filter(\.$startsOn <= month.lastDay.description).all()
            .filter { ($0.endsOn ?? "9999-12-31") >= month.firstDay.description }
            .filter { contract in units.map { $0.contains(contract.unitID) } ?? true }
        var termsByWorker: [UUID: LabourContractModel] = [:]
        for contract in contracts {
            if let current = termsByWorker[contract.workerID], current.signedOn > contract.signedOn { continue }
            termsByWorker[contract.workerID] = contract
        }
        let workerIDs = Set(manDays.keys).union(lines.map(\.workerID))
        let missingNames = workerIDs.filter { names[$0] == nil }
        if !missingNames.isEmpty {
            for worker in try await WorkerModel.query(on: db).filter(\.$id ~~ Array(missingNames)).all() {
                names[worker.uuid] = (worker.name, worker.idNumberMasked)
            }
        }
        let computation = payrolls.computation
        var rows: [Row] = []
        for workerID in workerIDs {
            let days = manDays[workerID] ?? 0
            let theirs = regular.filter { $0.workerID == workerID }
            let quantity = theirs.compactMap(\.quantity).reduce(0, +)
            var contractual: Int64?
            var termsText = "无有效劳动合同"
            if let contract = termsByWorker[workerID], let basis = WageBasis(rawValue: contract.wageBasis) {
                let terms = PayTerms(basis: basis, rateFen: contract.rateFen)
                contractual = computation.grossFen(terms: terms, manDays: days, quantity: quantity)
                termsText = Self.termsText(terms, pieceUnit: contract.pieceUnit)
            }
            let due: Int64? = theirs.isEmpty ? nil : Money.sum(theirs.map(\.dueFen))
            let paid = Money.sum(theirs.map(\.paidFen))
            let debited = Money.sum(theirs.compactMap { $0.id }.flatMap { debitsByLine[$0] ?? [] }.map(\.amountFen))
            var explanations: [String] = []
            if theirs.isEmpty {
                if days > 0 { explanations.append("有考勤 \(PayrollValidation.days(days)) 个工日，但本月没有工资表") }
            } else {
                let gross = Money.sum(theirs.map(\.grossFen))
                let deductions = theirs.filter { $0.deductionFen > 0 }
                for line in deductions {
                    explanations.append("扣款 \(Money.yuan(line.deductionFen)) 元：\(line.deductionReason ?? "未写事由")")
                }
                if let contractual, gross != contractual {
                    let difference = Money.difference(gross, contractual)
                    var text =
                        difference < 0
                        ? "工资表应发比考勤×合同少 \(Money.yuan(-difference)) 元"
                        : "工资表应发比考勤×合同多 \(Money.yuan(difference)) 元（加班、奖励或计件等）"
                    let reasons = theirs.compactMap { payrollsByID[$0.payrollID]?.overrides }.compactMap(Self.reasons)
                        .flatMap { $0.filter { $0.key.hasSuffix(workerID.uuidString) }.map(\.value) }
                    if !reasons.isEmpty { text += "；提交时说明：" + reasons.joined(separator: "；") }
                    explanations.append(text)
                }
                let owed = Money.difference(due ?? 0, paid)
                if owed > 0 {
                    let failed = theirs.filter { $0.status == "failed" }
                    let submitted = theirs.allSatisfy { payrollsByID[$0.payrollID].map { !$0.isDraft } ?? false }
                    explanations.append(
                        "尚有 \(Money.yuan(owed)) 元未发放"
                            + (failed.isEmpty
                                ? (submitted ? "（尚未代发或银行尚未反馈）" : "（工资表尚未提交）")
                                : "（代发失败：\(failed.compactMap(\.failureReason).joined(separator: "；"))）"))
                }
                if debited != paid {
                    explanations.append(
                        debited == 0
                            ? "银行反馈实发 \(Money.yuan(paid)) 元，专户流水中尚未见对应扣款（请同步银行流水）"
                            : "专户流水扣款 \(Money.yuan(debited)) 元与银行反馈实发 \(Money.yuan(paid)) 元不一致")
                }
            }
            for line in backPay where line.workerID == workerID {
                explanations.append(
                    "已在 \(line.payMonth) 工资表补发 \(Money.yuan(line.dueFen)) 元，实发 \(Money.yuan(line.paidFen)) 元")
            }
            rows.append(
                Row(
                    workerID: workerID, name: names[workerID]?.0 ?? "", masked: names[workerID]?.1 ?? "",
                    manDays: days, terms: termsText, contractualFen: contractual, payrollDueFen: due, paidFen: paid,
                    debitedFen: debited, explanations: explanations))
        }
        rows.sort { ($0.balanced ? 1 : 0, $0.name) < ($1.balanced ? 1 : 0, $1.name) }
        let account = try await WageAccountModel.query(on: db).filter(\.$projectID == projectID).first()
        return Result(
            month: month, rows: rows, contractualFen: Money.sum(rows.compactMap(\.contractualFen)),
            payrollDueFen: Money.sum(rows.compactMap(\.payrollDueFen)), paidFen: Money.sum(rows.map(\.paidFen)),
            debitedFen: Money.sum(rows.map(\.debitedFen)),
            transferredInFen: Money.sum(statement.transfers.map(\.amountFen)),
            debitsUnmatched: statement.unmatched, hasAccount: account != nil, wholeProject: units == nil)
    }

    /// The statement lines the reconciliation needs, in one read of `wage_account_transactions`:
    /// the debits that paid `lines`, and — for the whole project only — the labour-cost transfers
    /// in and the debits matched to no line between `from` and `to`.
    private func statement(
        project projectID: UUID, lines lineIDs: [UUID], from: LocalDate, to: LocalDate, wholeProject: Bool
    ) async throws -> Statement {
        guard !lineIDs.isEmpty || wholeProject else { return Statement() }
        let rows = try await WageAccountTransactionModel.query(on: database.database())
            .filter(\.$projectID == projectID)
            .group(.or) { either in
                if !lineIDs.isEmpty {
                    either.group(.and) { $0.filter(\.$direction == "out").filter(\.$lineID ~~ lineIDs) }
                }
                if wholeProject {
                    either.group(.and) {
                        $0.filter(\.$occurredOn >= from.description).filter(\.$occurredOn <= to.description)
                    }
                }
            }
            .sort(\.$occurredOn).sort(\.$occurredAt).sort(\.$bankTransactionID).all()
        let paying = Set(lineIDs)
        let inPeriod = { (row: WageAccountTransactionModel) in
            wholeProject && row.occurredOn >= from.description && row.occurredOn <= to.description
        }
        return Statement(
            debits: rows.filter { row in row.direction == "out" && row.lineID.map(paying.contains) == true },
            transfers: rows.filter { $0.direction == "in" && inPeriod($0) },
            unmatched: rows.filter { $0.direction == "out" && $0.lineID == nil && inPeriod($0) })
    }

    private struct Statement {
        var debits: [WageAccountTransactionModel] = []
        var transfers: [WageAccountTransactionModel] = []
        var unmatched: [WageAccountTransactionModel] = []
    }

    static func reasons(_ json: String) -> [String: String]? {
        try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    }

    static func termsText(_ terms: PayTerms, pieceUnit: String?) -> String {
        switch terms.basis {
        case .day: "日工资 \(Money.yuan(terms.rateFen)) 元"
        case .month: "月工资 \(Money.yuan(terms.rateFen)) 元"
        case .piece:
            "计件单价 \(Money.yuan(terms.rateFen)) 元/\(pieceUnit.flatMap { CodeTable.pieceUnits.name(of: $0) } ?? "件")"
        }
    }
}
