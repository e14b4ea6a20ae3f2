import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The wage console of a project (G4 for regulators, read-only; E4 for enterprises): payrolls and
/// their lines, validation before submission, import, the wage ledger, reconciliation and the
/// wage agency agreement.
struct WagePages: Sendable {
    let wages: WageServices
    let projects: ProjectPages

    var database: DatabaseService { projects.services.database }

    // MARK: Payroll list

    struct PayrollRow {
        var href: String
        var month: String
        var unit: String
        var team: String
        var people: Int
        var due: String
        var paid: String
        var unpaid: String
        var hasUnpaid: Bool
        var status: String
        var statusClass: String
        var source: String
    }

    struct ListModel {
        var head: ProjectHead
        var rows: [PayrollRow]
        var hasRows: Bool
        var units: [SelectOption]
        var teams: [SelectOption]
        var month: String
        var report: ProjectReads.ImportReportView?
        var noAgreement: Bool
        var noAccount: Bool
    }

    static let statusNames = [
        "draft": "草稿", "submitted": "已提交待代发", "paying": "代发中", "paid": "已足额发放", "partly_paid": "部分未发放",
    ]

    func list<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil,
        report: RosterImport.Report? = nil
    ) async throws -> Response {
        let (project, standing) = try await projects.load(context)
        let db = database.database()
        let payrolls = try await wages.payrolls.payrolls(of: project.uuid, standing: standing)
        let lines =
            payrolls.isEmpty
            ? []
            : try await PayrollLineModel.query(on: db).filter(\.$payrollID ~~ payrolls.compactMap(\.id)).all()
        let byPayroll = Dictionary(grouping: lines, by: \.payrollID)
        let units = try await ProjectUnitModel.query(on: db).filter(\.$projectID == project.uuid).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let teams = try await TeamModel.query(on: db).filter(\.$projectID == project.uuid).all()
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        let root = "\(base)/projects/\(project.uuid.uuidString)"
        let rows = payrolls.map { payroll in
            let theirs = byPayroll[payroll.uuid] ?? []
            let due = theirs.map(\.dueFen).moneySum
            let paid = theirs.map(\.paidFen).moneySum
            return PayrollRow(
                href: "\(root)/payrolls/\(payroll.uuid.uuidString)", month: payroll.payMonth,
                unit: unitNames[payroll.unitID] ?? "", team: payroll.teamID.flatMap { teamNames[$0] } ?? "全部班组",
                people: theirs.count, due: Money.yuan(due), paid: Money.yuan(paid),
                unpaid: Money.yuan(max(due - paid, 0)), hasUnpaid: payroll.status != "draft" && paid < due,
                status: Self.statusNames[payroll.status] ?? payroll.status,
                statusClass: payroll.status == "paid" ? "ok" : (payroll.status == "draft" ? "" : "warn"),
                source: payroll.source == "imported" ? "导入" : "按考勤生成")
        }
        let managed = units.filter { standing.manages(unit: $0.uuid) }
        let agreements = try await wages.agreements.agreements(of: project.uuid)
        let account = try await WageAccountModel.query(on: db).filter(\.$projectID == project.uuid).first()
        let model = ListModel(
            head: try await projects.head(
                project, standing: standing, context: context, tab: .payrolls, error: error,
                notice: notice),
            rows: rows, hasRows: !rows.isEmpty,
            units: managed.map { SelectOption(value: $0.uuid.uuidString, label: $0.name) },
            teams: teams.compactMap { team in
                guard let unit = team.unitID, standing.manages(unit: unit) else { return nil }
                return SelectOption(value: team.uuid.uuidString, label: "\(unitNames[unit] ?? "")：\(team.name)")
            },
            month: PayMonth(containing: ProjectService.today()).nearAdding(months: -1).description,
            report: report.map {
                ProjectReads.ImportReportView(
                    kind: $0.kind, accepted: $0.accepted, refused: $0.refused, rows: $0.results)
            }, noAgreement: agreements.isEmpty, noAccount: account == nil)
        return projects.render(
            "project-payrolls", model, title: "\(project.name)：工资", context: context, path: path,
            status: error?.status ?? .ok)
    }

    // MARK: One payroll

    struct FindingView {
        var code: String
        var message: String
        var key: String
        var blocking: Bool
    }

    struct LineView {
        var id: String
        var name: String
        var masked: String
        var team: String
        var days: String
        var terms: String
        var quantity: String
        var isPiece: Bool
        var gross: String
        var grossPlain: String
        var deduction: String
        var deductionPlain: String
        var deductionReason: String
        var due: String
        var paid: String
        var paidOn: String
        var status: String
        var statusClass: String
        var failure: String
        var card: String
        var hasCard: Bool
        var backPay: String
        var isBackPay: Bool
        var response: String
        var note: String
        var workerID: String
        var flagged: Bool
    }

    struct DetailModel {
        var head: ProjectHead
        var id: String
        var code: String
        var month: String
        var unit: String
        var team: String
        var status: String
        var statusClass: String
        var source: String
        var submitted: String?
        var lines: [LineView]
        var hasLines: Bool
        var due: String
        var paid: String
        var unpaid: String
        var hasScan: Bool
        var scanName: String
        var editable: Bool
        var blocking: [FindingView]
        var overridable: [FindingView]
        var hasBlocking: Bool
        var hasOverridable: Bool
        var blockingCount: Int
        var overridableCount: Int
        var clean: Bool
        var overrides: [FindingView]
        var hasOverrides: Bool
        var payable: Bool
        var minimum: String
        var banks: [SelectOption]
        var base: String
    }

    func detail<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    ) async throws -> Response {
        let (project, standing) = try await projects.load(context)
        guard let payrollID = context.parameters.get("payroll", as: UUID.self) else { throw AppError.notFound }
        let payroll = try await wages.payrolls.payroll(payrollID, project: project.uuid, standing: standing)
        let review = try await wages.payrolls.review(payroll, project: project)
        let db = database.database()
        let workers = try await WorkerModel.query(on: db).filter(\.$id ~~ review.lines.map(\.workerID)).all()
        let masked = Dictionary(uniqueKeysWithValues: workers.map { ($0.uuid, $0.idNumberMasked) })
        let teams = try await TeamModel.query(on: db).filter(\.$projectID == project.uuid).all()
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        let unit = try await ProjectUnitModel.find(payroll.unitID, on: db)
        let flaggedWorkers = Set(review.findings.compactMap(\.workerKey))
        let editable = payroll.isDraft && standing.manages(unit: payroll.unitID)
        let lines = review.lines.sorted { (review.names[$0.workerID] ?? "") < (review.names[$1.workerID] ?? "") }.map {
            line -> LineView in
            let card = line.cardID.flatMap { review.cards[$0] }
            let basis = line.wageBasis.flatMap(WageBasis.init(rawValue:))
            return LineView(
                id: line.uuid.uuidString, name: review.names[line.workerID] ?? "", masked: masked[line.workerID] ?? "",
                team: line.teamID.flatMap { teamNames[$0] } ?? "", days: PayrollValidation.days(line.manDays),
                terms: basis.flatMap { basis in
                    line.rateFen.map {
                        WageReconciliation.termsText(PayTerms(basis: basis, rateFen: $0), pieceUnit: nil)
                    }
                } ?? "无有效合同",
                quantity: line.quantity.map(PayrollValidation.days) ?? "", isPiece: basis == .piece,
                gross: Money.yuan(line.grossFen), grossPlain: Money.plain(line.grossFen),
                deduction: line.deductionFen > 0 ? Money.yuan(line.deductionFen) : "",
                deductionPlain: line.deductionFen > 0 ? Money.plain(line.deductionFen) : "",
                deductionReason: line.deductionReason ?? "", due: Money.yuan(line.dueFen),
                paid: Money.yuan(line.paidFen), paidOn: line.paidOn ?? "",
                status: Self.lineStatus[line.status] ?? line.status,
                statusClass: line.status == "paid" ? "ok" : (line.status == "failed" ? "error" : ""),
                failure: line.failureReason ?? "",
                card: card.map { "\($0.bankName) \($0.numberMasked)" + ($0.isActive ? "" : "（已销户）") } ?? "未登记",
                hasCard: card != nil, backPay: line.backPayMonth ?? "", isBackPay: line.isBackPay,
                response: line.workerResponse == "confirmed"
                    ? "已确认" : (line.workerResponse == "objected" ? "有异议" : ""),
                note: line.note ?? "", workerID: line.workerID.uuidString,
                flagged: flaggedWorkers.contains(line.workerID.uuidString))
        }
        let due = review.lines.map(\.dueFen).moneySum
        let paid = review.lines.map(\.paidFen).moneySum
        func view(_ finding: PayrollFinding) -> FindingView {
            FindingView(
                code: finding.code, message: finding.message, key: finding.overrideKey,
                blocking: finding.severity == .blocking)
        }
        let overrides = (payroll.overrides.flatMap(WageReconciliation.reasons) ?? [:]).sorted { $0.key < $1.key }.map {
            entry in
            FindingView(
                code: String(entry.key.prefix { $0 != ":" }),
                message: "\(Self.overrideSubject(entry.key, names: review.names))：\(entry.value)", key: entry.key,
                blocking: false)
        }
        var submitted: String?
        if let at = payroll.submittedAt {
            var by: AccountModel?
            if let submitter = payroll.submittedBy { by = try await AccountModel.find(submitter, on: db) }
            submitted = "\(ChineseFormat.dateTime(at))\(by.map { "，\($0.displayName)" } ?? "")"
        }
        let model = DetailModel(
            head: try await projects.head(
                project, standing: standing, context: context, tab: .payrolls, error: error,
                notice: notice),
            id: payroll.uuid.uuidString, code: payroll.code, month: PayMonth(payroll.payMonth)?.chinese ?? "",
            unit: unit?.name ?? "", team: payroll.teamID.flatMap { teamNames[$0] } ?? "全部班组",
            status: Self.statusNames[payroll.status] ?? payroll.status,
            statusClass: payroll.status == "paid" ? "ok" : (payroll.status == "draft" ? "" : "warn"),
            source: payroll.source == "imported" ? "导入" : "按考勤和劳动合同生成", submitted: submitted, lines: lines,
            hasLines: !lines.isEmpty, due: Money.yuan(due), paid: Money.yuan(paid),
            unpaid: Money.yuan(max(due - paid, 0)),
            hasScan: payroll.scanCipher != nil, scanName: payroll.scanName ?? "", editable: editable,
            blocking: payroll.isDraft ? review.blocking.map(view) : [],
            overridable: payroll.isDraft ? review.overridable.map(view) : [],
            hasBlocking: payroll.isDraft && !review.blocking.isEmpty,
            hasOverridable: payroll.isDraft && !review.overridable.isEmpty, blockingCount: review.blocking.count,
            overridableCount: review.overridable.count,
            clean: payroll.isDraft && review.findings.isEmpty, overrides: overrides, hasOverrides: !overrides.isEmpty,
            payable: !payroll.isDraft && standing.isContractor,
            minimum: review.minimumFen.map { "当地最低工资标准：月 \(Money.yuan($0)) 元" } ?? "当地最低工资标准未配置",
            banks: CodeTable.banks.entries.map { SelectOption(value: $0.code, label: "\($0.code) \($0.name)") },
            base: "\(base)/projects/\(project.uuid.uuidString)/payrolls/\(payroll.uuid.uuidString)")
        return projects.render(
            "project-payroll", model, title: "\(project.name)：\(payroll.payMonth) 工资表", context: context, path: path,
            status: error?.status ?? .ok)
    }

    static let lineStatus = ["unpaid": "未发放", "paying": "代发中", "paid": "已发放", "failed": "代发失败"]

    static func overrideSubject(_ key: String, names: [UUID: String]) -> String {
        let parts = key.split(separator: ":")
        let code = parts.first.map(String.init) ?? key
        let name = parts.count > 1 ? UUID(uuidString: String(parts[1])).flatMap { names[$0] } : nil
        return (name.map { "\($0) " } ?? "") + (findingNames[code] ?? code)
    }

    static let findingNames = [
        "PAYROLL_BELOW_CONTRACT": "低于合同约定", "PAYROLL_BELOW_MINIMUM": "低于最低工资标准",
        "PAYROLL_WORKER_MISSING": "有考勤无工资", "PAYROLL_NO_CONTRACT": "无有效劳动合同",
    ]
}
