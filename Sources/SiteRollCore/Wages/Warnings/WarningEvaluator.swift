import Foundation

/// Evaluates the catalogue over gathered facts: facts in, findings out (G4, d.6). Pure and
/// deterministic: the same facts on the same day give the same findings with the same words, so a
/// run rewrites a warning only when something about it changed.
public struct WarningEvaluator: Sendable {
    public var policies: WarningPolicyBook
    public var agePolicies: AgePolicyBook
    /// Public holidays and make-up working days (W3, WW-14).
    public var holidays: Set<LocalDate>
    public var workingWeekendDays: Set<LocalDate>

    public init(
        policies: WarningPolicyBook = WarningPolicyBook(), agePolicies: AgePolicyBook = AgePolicyBook(),
        holidays: Set<LocalDate> = [], workingWeekendDays: Set<LocalDate> = []
    ) {
        self.policies = policies
        self.agePolicies = agePolicies
        self.holidays = holidays
        self.workingWeekendDays = workingWeekendDays
    }

    public func policy(for divisionCode: String) -> WarningPolicy {
        policies.policy(for: DivisionCode(divisionCode))
    }

    /// The first pay month WW-04…WW-06 look at.
    public func firstMonth(today: LocalDate) -> PayMonth {
        let current = PayMonth(containing: today)
        return current.adding(months: -min(max(policies.lookbackMonths, 1), 1200)) ?? current
    }

    /// The pay-day rule a project is held to: its own agreed day, or the division's latest day
    /// when that is earlier (d.3: Chengdu requires the 10th whatever a contract says).
    public func payDayRule(for project: WarningFacts.Project, policy: WarningPolicy) -> PayDayRule {
        PayDayRule(
            day: min(project.payDay, policy.payDay), holidays: holidays, workingWeekendDays: workingWeekendDays)
    }

    /// Months whose pay day (plus grace) has passed, within the window: the months to check.
    func closedMonths(for project: WarningFacts.Project, policy: WarningPolicy, today: LocalDate) -> [(
        PayMonth, LocalDate
    )] {
        let rule = payDayRule(for: project, policy: policy)
        var months: [(PayMonth, LocalDate)] = []
        var month = firstMonth(today: today)
        let current = PayMonth(containing: today)
        while month < current {
            guard let due = rule.dueDate(for: month), let next = month.adding(months: 1) else { break }
            if let late = due.adding(days: policy.graceDays), today > late { months.append((month, due)) }
            month = next
        }
        return months
    }

    /// Whether a run that evaluated the warning's project also decided this warning: a rule switched
    /// off resolves its warnings; a month before the window is left as it stands.
    public enum Coverage: Sendable, Equatable {
        case evaluated
        case disabled
        case outsideWindow
    }

    public func coverage(rule: WarningRuleID, divisionCode: String, subjectKey: String, today: LocalDate) -> Coverage {
        if !policy(for: divisionCode).isEnabled(rule) { return .disabled }
        if rule.isMonthly, let month = WarningSubject.month(inKey: subjectKey), month < firstMonth(today: today) {
            return .outsideWindow
        }
        return .evaluated
    }

    /// Every finding over `facts`, ordered by rule and subject.
    public func evaluate(_ facts: WarningFacts) -> [WarningFinding] {
        let index = WarningFactIndex(facts)
        var findings: [WarningFinding] = []
        for project in facts.projects {
            let policy = policy(for: project.divisionCode)
            let context = RuleContext(
                project: project, policy: policy, facts: facts, index: index, evaluator: self, today: facts.today)
            for rule in WarningRuleID.allCases where policy.isEnabled(rule) {
                findings += context.evaluate(rule)
            }
        }
        return findings.sorted { ($0.rule, $0.subject.key) < ($1.rule, $1.subject.key) }
    }
}

/// The facts regrouped once per evaluation, so that no rule scans a whole list per project.
struct WarningFactIndex: Sendable {
    let unitsByProject: [UUID: [WarningFacts.Unit]]
    let payrollsByUnitMonth: [String: [WarningFacts.Payroll]]
    let linesByProject: [UUID: [WarningFacts.Line]]
    let attendanceByProject: [UUID: [WarningFacts.AttendanceMonth]]
    /// Each project's entries by entry day, then worker id.
    let entriesByProject: [UUID: [WarningFacts.Entry]]
    let activeCardsByWorker: [UUID: [WarningFacts.Card]]
    let payrollCodes: [UUID: String]

    init(_ facts: WarningFacts) {
        unitsByProject = Dictionary(grouping: facts.units.values, by: \.projectID)
        payrollsByUnitMonth = Dictionary(grouping: facts.payrolls, by: { "\($0.unitID.uuidString)|\($0.month)" })
        linesByProject = Dictionary(grouping: facts.lines, by: \.projectID)
        attendanceByProject = Dictionary(grouping: facts.attendance, by: \.projectID)
        // Sorted once by entry day, then worker: the rules list entries in this order.
        let keyed = facts.entries.map { ($0, $0.workerID.uuidString) }.sorted {
            ($0.0.entryDate, $0.1) < ($1.0.entryDate, $1.1)
        }
        entriesByProject = Dictionary(grouping: keyed.map(\.0), by: \.projectID)
        activeCardsByWorker = Dictionary(grouping: facts.cards.values.filter(\.isActive), by: \.workerID)
        payrollCodes = Dictionary(facts.payrolls.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
    }

    func payrolls(unit: UUID, month: PayMonth) -> [WarningFacts.Payroll] {
        payrollsByUnitMonth["\(unit.uuidString)|\(month)"] ?? []
    }
}

/// One project under one policy: what every rule function needs.
struct RuleContext {
    let project: WarningFacts.Project
    let policy: WarningPolicy
    let facts: WarningFacts
    let index: WarningFactIndex
    let evaluator: WarningEvaluator
    let today: LocalDate

    func evaluate(_ rule: WarningRuleID) -> [WarningFinding] {
        switch rule {
        case .ww01: accountMissing()
        case .ww02: transferOverdue()
        case .ww03: transferShort()
        case .ww04: payrollLate()
        case .ww05: attendanceWithoutLine()
        case .ww06: paidShort()
        case .ww07: cardNotOwn()
        case .ww08: onSiteUnqualified()
        case .ww09: inactiveReentry()
        case .ww10: labourOfficerMissing()
        case .ww11: boardIncomplete()
        case .ww12: guaranteeMissing()
        case .ww13: ageOutsidePolicy()
        case .ww14: managerAbsent()
        }
    }

    var units: [WarningFacts.Unit] { index.unitsByProject[project.id] ?? [] }

    var contractorLabel: String { "总承包单位：\(project.contractorName)" }

    /// "用工单位：X" with the general contractor beside it (R3: it answers for subcontractors too).
    func employerLabel(_ unitID: UUID?) -> String {
        guard let unit = unitID.flatMap({ facts.units[$0] }) else { return contractorLabel }
        return unit.isGeneralContractor || unit.enterpriseID == project.contractorEnterpriseID
            ? "用工单位：\(unit.name)（总承包单位）" : "用工单位：\(unit.name)；\(contractorLabel)"
    }

    func finding(
        _ rule: WarningRuleID, _ subject: WarningSubject, unit: UUID? = nil, enterprise: UUID?, worker: UUID? = nil,
        addressee: String, severity: WarningSeverity? = nil, summary: String, evidence: [WarningEvidence],
        due: LocalDate?
    ) -> WarningFinding {
        WarningFinding(
            rule: rule, subject: subject, projectID: project.id, divisionCode: project.divisionCode, unitID: unit,
            enterpriseID: enterprise, workerID: worker, addressee: addressee, severity: severity, summary: summary,
            evidence: [WarningEvidence("项目", "\(project.name)（\(project.code)）")] + evidence, dueOn: due)
    }

    func workerName(_ id: UUID) -> String { facts.workers[id]?.name ?? "（未知工人）" }

    func workerLabel(_ id: UUID) -> String { facts.workers[id]?.label ?? "（未知工人）" }

    static func yuan(_ fen: Int64) -> String { Money.yuan(fen) + " 元" }
}

extension LocalDate {
    /// The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb);
    /// nil when that leaves years 1…9999.
    public func adding(months: Int) -> LocalDate? {
        guard let target = PayMonth(containing: self).adding(months: months) else { return nil }
        return LocalDate(year: target.year, month: target.month, day: min(day, target.dayCount))
    }
}
