import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The wage ledger (工资台账, W4), the reconciliation view and the agency agreements.
extension WagePages {
    // MARK: Wage ledger

    struct LedgerRow {
        var month: String
        var unit: String
        var name: String
        var masked: String
        var days: String
        var gross: String
        var deduction: String
        var deductionReason: String
        var due: String
        var paid: String
        var paidOn: String
        var card: String
        var backPay: String
        var response: String
        var status: String
    }

    struct LedgerModel {
        var head: ProjectHead
        var rows: [LedgerRow]
        var hasRows: Bool
        var from: String
        var to: String
        var exportQuery: String
        var totalDue: String
        var totalPaid: String
    }

    static let ledgerHeader = [
        "工资月份", "用工单位", "姓名", "身份证号（脱敏）", "出勤工日", "应发金额（元）", "扣款（元）", "扣款事由", "应付金额（元）", "实发金额（元）",
        "发放日期", "工资卡（脱敏）", "补发所属月份", "工人确认", "状态",
    ]

    func ledger<Context: ConsoleContext>(_ request: Request, _ context: Context, base: String) async throws -> Response
    {
        let (project, standing) = try await projects.load(context)
        let query = RequestQuery(request)
        let today = PayMonth(containing: ProjectService.today())
        let from = try query.month("from", label: "起始月份") ?? today.nearAdding(months: -11)
        let to = try query.month("to", label: "截止月份") ?? today
        let format = try query.choice("format", in: ["xlsx", "csv"], label: "导出格式")
        let db = database.database()
        var payrolls = try await wages.payrolls.payrolls(of: project.uuid, standing: standing)
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
                month: line.payMonth, unit: unitNames[line.unitID] ?? "", name: byWorker[line.workerID]?.name ?? "",
                masked: byWorker[line.workerID]?.idNumberMasked ?? "",
                days: PayrollValidation.days(line.manDays), gross: Money.plain(line.grossFen),
                deduction: Money.plain(line.deductionFen), deductionReason: line.deductionReason ?? "",
                due: Money.plain(line.dueFen), paid: Money.plain(line.paidFen), paidOn: line.paidOn ?? "",
                card: line.cardID.flatMap { cardsByID[$0] }.map { "\($0.bankName) \($0.numberMasked)" } ?? "",
                backPay: line.backPayMonth ?? "",
                response: line.workerResponse == "confirmed"
                    ? "已确认" : (line.workerResponse == "objected" ? "有异议" : "未确认"),
                status: Self.lineStatus[line.status] ?? line.status)
        }
        if let format {
            let cells: [[SheetCell]] = rows.map { row in
                [
                    .text(row.month), .text(row.unit), .text(row.name), .text(row.masked),
                    .text(row.days), .text(row.gross), .text(row.deduction), .text(row.deductionReason),
                    .text(row.due), .text(row.paid), .text(row.paidOn), .text(row.card), .text(row.backPay),
                    .text(row.response), .text(row.status),
                ]
            }
            let data =
                format == "xlsx"
                ? SpreadsheetWriter.xlsx(sheetName: "工资台账", header: Self.ledgerHeader, rows: cells)
                : SpreadsheetWriter.csv(header: Self.ledgerHeader, rows: cells)
            return Download.response(
                data, fileName: "\(project.code)-工资台账-\(from)至\(to).\(format)",
                type: format == "xlsx" ? Download.xlsxType : Download.csvType)
        }
        let model = LedgerModel(
            head: try await projects.head(project, standing: standing, context: context, tab: .payrolls),
            rows: rows, hasRows: !rows.isEmpty, from: from.description, to: to.description,
            exportQuery: "from=\(from)&to=\(to)", totalDue: Money.yuan(Money.sum(lines.map(\.dueFen))),
            totalPaid: Money.yuan(Money.sum(lines.map(\.paidFen))))
        return projects.render(
            "project-wage-ledger", model, title: "\(project.name)：工资台账", context: context, path: request.uri.path)
    }

    // MARK: Reconciliation

    struct ReconciliationRow {
        var name: String
        var masked: String
        var days: String
        var terms: String
        var contractual: String
        var due: String
        var paid: String
        var debited: String
        var explanations: [String]
        var balanced: Bool
    }

    struct ReconciliationModel {
        var head: ProjectHead
        var month: String
        var monthName: String
        var rows: [ReconciliationRow]
        var hasRows: Bool
        var contractual: String
        var due: String
        var paid: String
        var debited: String
        var transferred: String
        var unbalanced: Int
        var hasAccount: Bool
        var wholeProject: Bool
        var unmatched: [String]
        var hasUnmatched: Bool
    }

    func reconciliation<Context: ConsoleContext>(_ request: Request, _ context: Context, base: String) async throws
        -> Response
    {
        let (project, standing) = try await projects.load(context)
        let month =
            try RequestQuery(request).month("month")
            ?? PayMonth(containing: ProjectService.today()).nearAdding(months: -1)
        let result = try await wages.reconciliation.reconcile(project: project, month: month, units: standing.unitLimit)
        let rows = result.rows.map { row in
            ReconciliationRow(
                name: row.name, masked: row.masked, days: PayrollValidation.days(row.manDays), terms: row.terms,
                contractual: row.contractualFen.map(Money.yuan) ?? "—", due: row.payrollDueFen.map(Money.yuan) ?? "—",
                paid: Money.yuan(row.paidFen), debited: Money.yuan(row.debitedFen), explanations: row.explanations,
                balanced: row.balanced)
        }
        let model = ReconciliationModel(
            head: try await projects.head(project, standing: standing, context: context, tab: .payrolls),
            month: month.description, monthName: month.chinese, rows: rows, hasRows: !rows.isEmpty,
            contractual: Money.yuan(result.contractualFen), due: Money.yuan(result.payrollDueFen),
            paid: Money.yuan(result.paidFen), debited: Money.yuan(result.debitedFen),
            transferred: Money.yuan(result.transferredInFen), unbalanced: rows.filter { !$0.balanced }.count,
            hasAccount: result.hasAccount, wholeProject: result.wholeProject,
            unmatched: result.debitsUnmatched.map {
                "\($0.occurredOn) 付出 \(Money.yuan($0.amountFen)) 元 \($0.counterpartyName ?? "") \($0.memo ?? "")"
            }, hasUnmatched: !result.debitsUnmatched.isEmpty)
        return projects.render(
            "project-reconciliation", model, title: "\(project.name)：\(month.chinese)工资对账", context: context,
            path: request.uri.path)
    }

    // MARK: Agency agreements

    struct AgreementRow {
        var id: String
        var principal: String
        var agent: String
        var bank: String
        var signedOn: String
        var validity: String
        var hasScan: Bool
        var scanHref: String
    }

    struct AgreementModel {
        var head: ProjectHead
        var rows: [AgreementRow]
        var hasRows: Bool
        var units: [SelectOption]
        var banks: [SelectOption]
        var contractor: String
        var today: String
    }

    func agreements<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    ) async throws -> Response {
        let (project, standing) = try await projects.load(context)
        let root = "\(base)/projects/\(project.uuid.uuidString)"
        let rows = try await wages.agreements.agreements(of: project.uuid).map {
            AgreementRow(
                id: $0.uuid.uuidString, principal: $0.principalName, agent: $0.agentName,
                bank: "\($0.bankCode) \($0.bankName)", signedOn: $0.signedOn,
                validity: "\($0.validFrom) 至 \($0.validUntil ?? "长期")", hasScan: $0.scanCipher != nil,
                scanHref: "\(root)/wages/agreements/\($0.uuid.uuidString)/scan")
        }
        let units = try await ProjectUnitModel.query(on: database.database()).filter(\.$projectID == project.uuid).all()
            .filter { standing.manages(unit: $0.uuid) }
        let model = AgreementModel(
            head: try await projects.head(
                project, standing: standing, context: context, tab: .payrolls, error: error,
                notice: notice),
            rows: rows, hasRows: !rows.isEmpty,
            units: units.map { SelectOption(value: $0.uuid.uuidString, label: $0.name) },
            banks: CodeTable.banks.entries.map { SelectOption(value: $0.code, label: "\($0.code) \($0.name)") },
            contractor: project.contractorName, today: ProjectService.today().description)
        return projects.render(
            "project-wage-agreements", model, title: "\(project.name)：工资代发协议", context: context, path: path,
            status: error?.status ?? .ok)
    }
}
