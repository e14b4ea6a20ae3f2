import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

extension PayrollService {
    /// Everything `PayrollValidation` needs about one payroll, read in a handful of queries.
    struct Review: Sendable {
        var findings: [PayrollFinding]
        var lines: [PayrollLineModel]
        var names: [UUID: String]
        /// Masked ID numbers of the same workers, read with the names (the payroll page shows both).
        var masked: [UUID: String]
        var cards: [UUID: WorkerBankCardModel]
        var manDays: [UUID: Double]
        var minimumFen: Int64?

        var blocking: [PayrollFinding] { findings.filter { $0.severity == .blocking } }
        var overridable: [PayrollFinding] { findings.filter { $0.severity == .overridable } }
    }

    /// The findings for a payroll as it stands (W1, W2, W12; issue 6 item 2), and the facts behind them.
    func review(_ payroll: PayrollModel, project: ProjectModel, today: LocalDate = ProjectService.today())
        async throws -> Review
    {
        let db = database.database()
        let month = try payroll.month()
        let lines = try await lines(of: payroll.uuid)
        let sheet = try await attendance.monthSheet(
            project: payroll.projectID, year: month.year, month: month.month, unit: payroll.unitID,
            team: payroll.teamID)
        var manDays: [UUID: Double] = [:]
        var attendedNames: [UUID: String] = [:]
        for row in sheet.sheet.rows where row.total > 0 {
            guard let person = sheet.people[row.key] else { continue }
            manDays[person.workerID, default: 0] += row.total
            attendedNames[person.workerID] = person.name
        }
        let workerIDs = Array(Set(lines.map(\.workerID)).union(attendedNames.keys))
        let workers = workerIDs.isEmpty ? [] : try await WorkerModel.query(on: db).filter(\.$id ~~ workerIDs).all()
        let names = Dictionary(uniqueKeysWithValues: workers.map { ($0.uuid, $0.name) })
        let masked = Dictionary(uniqueKeysWithValues: workers.map { ($0.uuid, $0.idNumberMasked) })
        let cardIDs = lines.compactMap(\.cardID)
        let cards =
            cardIDs.isEmpty ? [] : try await WorkerBankCardModel.query(on: db).filter(\.$id ~~ cardIDs).all()
        let cardsByID = Dictionary(uniqueKeysWithValues: cards.map { ($0.uuid, $0) })
        // Other workers holding the same card numbers (W1: one card per person).
        let hashes = Array(Set(cards.map(\.numberHMAC)))
        let paidWorkers = Set(lines.map(\.workerID))
        var elsewhere: [String: Set<String>] = [:]
        if !hashes.isEmpty {
            let sharing = try await WorkerBankCardModel.query(on: db).filter(\.$numberHMAC ~~ hashes)
                .filter(\.$status == "active").all()
            let others = sharing.filter { !paidWorkers.contains($0.workerID) }
            if !others.isEmpty {
                let otherNames = try await WorkerModel.query(on: db).filter(\.$id ~~ others.map(\.workerID)).all()
                let byID = Dictionary(uniqueKeysWithValues: otherNames.map { ($0.uuid, $0.name) })
                for card in others { elsewhere[card.numberHMAC, default: []].insert(byID[card.workerID] ?? "其他工人") }
            }
        }
        let facts = lines.map { line in
            PayrollLineFacts(
                workerKey: line.workerID.uuidString, workerName: names[line.workerID] ?? "",
                manDays: line.manDays,
                terms: line.wageBasis.flatMap(WageBasis.init(rawValue:)).flatMap { basis in
                    line.rateFen.map { PayTerms(basis: basis, rateFen: $0) }
                },
                quantity: line.quantity, grossFen: line.grossFen, deductionFen: line.deductionFen,
                deductionReason: line.deductionReason, isBackPay: line.isBackPay,
                backPayMonth: line.backPayMonth.flatMap(PayMonth.init),
                card: line.cardID.flatMap { cardsByID[$0] }.map {
                    .init(numberHash: $0.numberHMAC, holderName: $0.holderName, isClosed: !$0.isActive)
                })
        }
        let minimum = DivisionCode(project.divisionCode).flatMap {
            minimumWages.monthlyFen(for: $0, on: month.lastDay)
        }
        var findings = validation.findings(
            month: month, today: today, lines: facts,
            attendedWorkers: Dictionary(uniqueKeysWithValues: attendedNames.map { ($0.key.uuidString, $0.value) }),
            monthlyMinimumFen: minimum, cardHoldersElsewhere: elsewhere)
        // A worker already on another payroll of the same month and unit would be paid twice.
        let regular = lines.filter { !$0.isBackPay }.map(\.workerID)
        if !regular.isEmpty {
            let twice = try await PayrollLineModel.query(on: db).filter(\.$unitID == payroll.unitID)
                .filter(\.$payMonth == payroll.payMonth).filter(\.$payrollID != payroll.uuid)
                .filter(\.$isBackPay == false).filter(\.$workerID ~~ regular).all()
            for workerID in Set(twice.map(\.workerID)) {
                let name = names[workerID] ?? ""
                findings.append(
                    .init(
                        code: "PAYROLL_WORKER_PAID_ELSEWHERE", severity: .blocking, workerKey: workerID.uuidString,
                        workerName: name, message: "\(name)已在本单位\(month.chinese)的另一份工资表中，同一月份不能重复发放（补发请标为补发）"))
            }
        }
        if payroll.scanCipher == nil {
            findings.append(
                .init(
                    code: "PAYROLL_SCAN_MISSING", severity: .blocking,
                    message: "尚未上传经工人签字确认的工资表扫描件（《保障农民工工资支付条例》第三十一条）"))
        }
        return Review(
            findings: findings, lines: lines, names: names, masked: masked, cards: cardsByID, manDays: manDays,
            minimumFen: minimum)
    }

    /// Submits a draft: refused while a blocking finding stands or an overridable one has no
    /// written reason; the reasons are kept on the payroll and in the audit trail.
    func submit(
        payroll payrollID: UUID, project projectID: UUID, overrides: [String: String], scope: AccessScope,
        by account: AccountSnapshot
    ) async throws -> Review {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let payroll = try await draft(payrollID, project: projectID, standing: standing)
        let review = try await review(payroll, project: project)
        if !review.blocking.isEmpty {
            throw AppError(
                .unprocessableContent, code: "PAYROLL_BLOCKED",
                message: "工资表还有 \(review.blocking.count) 项问题必须先改正："
                    + review.blocking.map(\.message).joined(separator: "；"))
        }
        var reasons: [String: String] = [:]
        var missing: [PayrollFinding] = []
        for finding in review.overridable {
            let reason = (overrides[finding.overrideKey] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if reason.count < 4 {
                missing.append(finding)
            } else {
                reasons[finding.overrideKey] = String(reason.prefix(200))
            }
        }
        if !missing.isEmpty {
            throw AppError(
                .unprocessableContent, code: "PAYROLL_OVERRIDE_REASON",
                message: "以下 \(missing.count) 项须写明理由（至少 4 个字）才能提交：" + missing.map(\.message).joined(separator: "；"))
        }
        let encoded = String(decoding: try JSONEncoder.sorted.encode(reasons), as: UTF8.self)
        let total = review.lines.map(\.dueFen).moneySum
        payroll.status = "submitted"
        payroll.overrides = reasons.isEmpty ? nil : encoded
        payroll.submittedAt = ServerClock.now()
        payroll.submittedBy = account.id
        payroll.updatedAt = ServerClock.now()
        var change = ["payroll": payrollID.uuidString, "lines": String(review.lines.count), "due": String(total)]
        for (key, reason) in reasons { change["override " + key] = reason }
        let audited = change
        let overridden = reasons.count
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await payroll.update(on: tx)
            return (
                (),
                AuditDraft(
                    "payroll.submitted", on: project, by: account, entity: "payroll", id: payrollID,
                    summary:
                        "\(project.name)：提交\(payroll.payMonth)工资表，\(review.lines.count) 人，应发合计 \(Money.yuan(total)) 元"
                        + (overridden == 0 ? "" : "（\(overridden) 项经说明理由后提交）"),
                    change: audited)
            )
        }
        return review
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
