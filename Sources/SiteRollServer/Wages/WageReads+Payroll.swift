import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// One payroll (W2, W4, W12): its lines, the findings of `PayrollValidation` while it is a draft,
/// the written reasons it was submitted with, and what the viewer may do with it.
extension WageReads {
    struct FindingView: Sendable {
        var code: String
        var message: String
        var key: String
        var blocking: Bool
    }

    struct LineView: Sendable {
        var id: String
        var name: String
        var masked: String
        var maskedShort: String
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
        /// The reason for the cell's detail; nil when there is none (Mustache shows "" as present).
        var deductionNote: String?
        var due: String
        var paid: String
        var paidOn: String
        var status: String
        var statusClass: String
        var failure: String?
        var card: String
        /// `农信 …9190`: the cell's short form; `card` stays for the row's detail.
        var cardShort: String
        var hasCard: Bool
        var backPay: String
        var isBackPay: Bool
        var response: String
        var note: String
        var workerID: String
        var flagged: Bool
    }

    struct PayrollView: ProjectView {
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
        var title: String
    }

    /// The payroll `payrollID` of project `id`; another unit's payroll reads as not found (S1).
    func payroll(_ id: UUID, _ caller: Caller, payroll payrollID: UUID) async throws -> PayrollView {
        let shell = try await projects.shell(id, caller, tab: .payrolls)
        let project = shell.project
        let payroll = try await wages.payrolls.payroll(payrollID, project: project.uuid, standing: shell.standing)
        let review = try await wages.payrolls.review(payroll, project: project)
        let db = database.database()
        let teams = try await TeamModel.query(on: db).filter(\.$projectID == project.uuid).all()
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        let unit = try await ProjectUnitModel.find(payroll.unitID, on: db)
        var submitter: AccountModel?
        if payroll.submittedAt != nil, let by = payroll.submittedBy {
            submitter = try await AccountModel.find(by, on: db)
        }
        let flaggedWorkers = Set(review.findings.compactMap(\.workerKey))
        let lines = review.lines.sorted { (review.names[$0.workerID] ?? "") < (review.names[$1.workerID] ?? "") }.map {
            Self.lineView($0, review: review, teamNames: teamNames, flagged: flaggedWorkers)
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
        return PayrollView(
            head: shell.head, id: payroll.uuid.uuidString, code: payroll.code,
            month: PayMonth(payroll.payMonth)?.chinese ?? "", unit: unit?.name ?? "",
            team: payroll.teamID.flatMap { teamNames[$0] } ?? "全部班组",
            status: Self.statusNames[payroll.status] ?? payroll.status, statusClass: Self.statusClass(payroll.status),
            source: WageReads.sourceName(payroll.source, detailed: true),
            submitted: payroll.submittedAt.map {
                "\(ChineseFormat.dateTime($0))\(submitter.map { "，\($0.displayName)" } ?? "")"
            }, lines: lines, hasLines: !lines.isEmpty, due: Money.yuan(due), paid: Money.yuan(paid),
            unpaid: Money.yuan(max(due - paid, 0)), hasScan: payroll.scanCipher != nil,
            scanName: payroll.scanName ?? "", editable: payroll.isDraft && shell.standing.manages(unit: payroll.unitID),
            blocking: payroll.isDraft ? review.blocking.map(view) : [],
            overridable: payroll.isDraft ? review.overridable.map(view) : [],
            hasBlocking: payroll.isDraft && !review.blocking.isEmpty,
            hasOverridable: payroll.isDraft && !review.overridable.isEmpty, blockingCount: review.blocking.count,
            overridableCount: review.overridable.count, clean: payroll.isDraft && review.findings.isEmpty,
            overrides: overrides, hasOverrides: !overrides.isEmpty,
            payable: !payroll.isDraft && shell.standing.isContractor,
            minimum: review.minimumFen.map { "当地最低工资标准：月 \(Money.yuan($0)) 元" } ?? "当地最低工资标准未配置",
            banks: CodeTable.banks.entries.map { SelectOption(value: $0.code, label: "\($0.code) \($0.name)") },
            base: shell.path.wage(.payroll, payroll.uuid), title: "\(project.name)：\(payroll.payMonth) 工资表")
    }

    static func lineView(
        _ line: PayrollLineModel, review: PayrollService.Review, teamNames: [UUID: String], flagged: Set<String>
    ) -> LineView {
        let card = line.cardID.flatMap { review.cards[$0] }
        let basis = line.wageBasis.flatMap(WageBasis.init(rawValue:))
        return LineView(
            id: line.uuid.uuidString, name: review.names[line.workerID] ?? "",
            masked: review.masked[line.workerID] ?? "",
            maskedShort: ShortLabel.tail(review.masked[line.workerID] ?? ""),
            team: line.teamID.flatMap { teamNames[$0] } ?? "",
            days: PayrollValidation.days(line.manDays),
            terms: basis.flatMap { basis in
                line.rateFen.map { WageReconciliation.termsText(PayTerms(basis: basis, rateFen: $0), pieceUnit: nil) }
            } ?? "无有效合同",
            quantity: line.quantity.map(PayrollValidation.days) ?? "", isPiece: basis == .piece,
            gross: Money.yuan(line.grossFen), grossPlain: Money.plain(line.grossFen),
            deduction: line.deductionFen > 0 ? Money.yuan(line.deductionFen) : "",
            deductionPlain: line.deductionFen > 0 ? Money.plain(line.deductionFen) : "",
            deductionReason: line.deductionReason ?? "",
            deductionNote: (line.deductionReason ?? "").isEmpty ? nil : line.deductionReason,
            due: Money.yuan(line.dueFen), paid: Money.yuan(line.paidFen),
            paidOn: line.paidOn ?? "", status: lineStatus[line.status] ?? line.status,
            statusClass: line.status == "paid" ? "ok" : (line.status == "failed" ? "error" : ""),
            failure: (line.failureReason ?? "").isEmpty ? nil : line.failureReason,
            card: card.map { "\($0.bankName) \($0.numberMasked)" + ($0.isActive ? "" : "（已销户）") } ?? "未登记",
            cardShort: card.map {
                ShortLabel.card(bank: $0.bankName, masked: $0.numberMasked) + ($0.isActive ? "" : "（已销户）")
            }
                ?? "未登记",
            hasCard: card != nil, backPay: line.backPayMonth ?? "", isBackPay: line.isBackPay,
            response: line.workerResponse == "confirmed" ? "已确认" : (line.workerResponse == "objected" ? "有异议" : ""),
            note: line.note ?? "", workerID: line.workerID.uuidString,
            flagged: flagged.contains(line.workerID.uuidString))
    }

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
