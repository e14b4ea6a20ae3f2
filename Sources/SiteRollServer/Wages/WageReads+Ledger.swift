import FluentKit
import Foundation
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The wage ledger (工资台账, W4): every line of the submitted payrolls the caller sees over a range
/// of months, shown and offered as a spreadsheet through one `ExportTable`.
extension WageReads {
    struct LedgerRow: Sendable {
        var month: String
        var unit: String
        var unitShort: String
        var name: String
        var masked: String
        var maskedShort: String
        var days: String
        var gross: String
        var deduction: String
        var deductionReason: String
        var deductionNote: String?
        var due: String
        var paid: String
        var paidOn: String
        var card: String
        var cardShort: String
        var backPay: String?
        var response: String
        var status: String
    }

    struct LedgerView: ProjectView {
        var head: ProjectHead
        var rows: [LedgerRow]
        var hasRows: Bool
        var from: String
        var to: String
        var exportQuery: String
        var totalDue: String
        var totalPaid: String
        var title: String
        var export: ExportTable
    }

    static let ledgerHeader = [
        "工资月份", "用工单位", "姓名", "身份证号（脱敏）", "出勤工日", "应发金额（元）", "扣款（元）", "扣款事由", "应付金额（元）", "实发金额（元）",
        "发放日期", "工资卡（脱敏）", "补发所属月份", "工人确认", "状态",
    ]

    /// The ledger of project `id` from `from` to `to` (months, both included).
    func ledger(_ id: UUID, _ caller: Caller, from: PayMonth, to: PayMonth) async throws -> LedgerView {
        let shell = try await projects.shell(id, caller, tab: .payrolls)
        let project = shell.project
        let db = database.database()
        var payrolls = try await wages.payrolls.payrolls(of: project.uuid, standing: shell.standing)
            .filter { $0.payMonth >= from.description && $0.payMonth <= to.description && !$0.isDraft }
        payrolls.sort { $0.payMonth < $1.payMonth }
        let lines =
            payrolls.isEmpty
            ? [] : try await PayrollLineModel.query(on: db).filter(\.$payrollID ~~ payrolls.compactMap(\.id)).all()
        let workers =
            lines.isEmpty ? [] : try await WorkerModel.query(on: db).filter(\.$id ~~ lines.map(\.workerID)).all()
        let byWorker = Dictionary(uniqueKeysWithValues: workers.map { ($0.uuid, $0) })
        let units = try await ProjectUnitModel.query(on: db).filter(\.$projectID == project.uuid).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let cardIDs = lines.compactMap(\.cardID)
        let cards = cardIDs.isEmpty ? [] : try await WorkerBankCardModel.query(on: db).filter(\.$id ~~ cardIDs).all()
        let cardsByID = Dictionary(uniqueKeysWithValues: cards.map { ($0.uuid, $0) })
        let sorted = lines.sorted {
            ($0.payMonth, byWorker[$0.workerID]?.name ?? "") < ($1.payMonth, byWorker[$1.workerID]?.name ?? "")
        }
        let rows = sorted.map { line in
            LedgerRow(
                month: line.payMonth, unit: unitNames[line.unitID] ?? "",
                unitShort: ShortLabel.company(unitNames[line.unitID] ?? ""), name: byWorker[line.workerID]?.name ?? "",
                masked: byWorker[line.workerID]?.idNumberMasked ?? "",
                maskedShort: ShortLabel.tail(byWorker[line.workerID]?.idNumberMasked ?? ""),
                days: PayrollValidation.days(line.manDays), gross: Money.yuan(line.grossFen),
                deduction: Money.yuan(line.deductionFen), deductionReason: line.deductionReason ?? "",
                deductionNote: (line.deductionReason ?? "").isEmpty ? nil : line.deductionReason,
                due: Money.yuan(line.dueFen), paid: Money.yuan(line.paidFen), paidOn: line.paidOn ?? "",
                card: line.cardID.flatMap { cardsByID[$0] }.map { "\($0.bankName) \($0.numberMasked)" } ?? "",
                cardShort: line.cardID.flatMap { cardsByID[$0] }.map {
                    ShortLabel.card(bank: $0.bankName, masked: $0.numberMasked)
                } ?? "",
                backPay: (line.backPayMonth ?? "").isEmpty ? nil : line.backPayMonth,
                response: line.workerResponse == "confirmed"
                    ? "已确认" : (line.workerResponse == "objected" ? "有异议" : "未确认"),
                status: Self.lineStatus[line.status] ?? line.status)
        }
        var cells: [[SheetCell]] = zip(sorted, rows).map { line, row in
            [
                .text(row.month), .text(row.unit), .text(row.name), .text(row.masked), .days(line.manDays),
                .amount(fen: line.grossFen), .amount(fen: line.deductionFen), .text(row.deductionReason),
                .amount(fen: line.dueFen), .amount(fen: line.paidFen), .day(row.paidOn), .text(row.card),
                .text(row.backPay ?? ""), .text(row.response), .text(row.status),
            ]
        }
        if !cells.isEmpty {
            // The totals row under the data: days and the four amounts add up; the rest stays empty.
            func yuan(_ fens: [Int64]) -> SheetCell { .columnTotal(Double(Money.sum(fens)) / 100, places: 2) }
            cells.append([
                "合计", "", "", "", .columnTotal(sorted.reduce(0) { $0 + $1.manDays }, places: 1),
                yuan(sorted.map(\.grossFen)), yuan(sorted.map(\.deductionFen)), "", yuan(sorted.map(\.dueFen)),
                yuan(sorted.map(\.paidFen)), "", "", "", "", "",
            ])
        }
        return LedgerView(
            head: shell.head, rows: rows, hasRows: !rows.isEmpty, from: from.description, to: to.description,
            exportQuery: "from=\(from)&to=\(to)", totalDue: Money.yuan(Money.sum(lines.map(\.dueFen))),
            totalPaid: Money.yuan(Money.sum(lines.map(\.paidFen))), title: "\(project.name)：工资台账",
            export: ExportTable(
                fileName: "\(project.code)-工资台账-\(from)至\(to)", sheetName: "工资台账", header: Self.ledgerHeader,
                rows: cells))
    }
}
