import Foundation
import SiteRollCore
import SiteRollStore

/// One warning in full — rule, basis, subject, addressee, every evidence row, due date, status,
/// history and the actions the viewer may take — and the worker's phone page.
extension WarningReads {
    struct EvidenceRow: Sendable {
        var label: String
        var value: String
        var ref: String?
    }

    struct HistoryRow: Sendable {
        var time: String
        var event: String
        var actor: String
        var text: String
        var sortKey: Date
    }

    struct DetailView: Sendable {
        var base: String
        var action: String
        var csrf: String
        var error: AppError?
        var rule: String
        var title: String
        var ruleVersion: Int
        var rulesVersion: String
        var basis: String
        var severity: String
        var severityName: String
        var isHigh: Bool
        var status: String
        var statusName: String
        var subject: String
        var project: String
        var projectHref: String?
        var division: String
        var addressee: String
        var summary: String
        var evidence: [EvidenceRow]
        var due: String
        var overdue: String?
        var resolution: String?
        var handlingNote: String?
        var history: [HistoryRow]
        var canAcknowledge: Bool
        var canDismiss: Bool
        var pageTitle: String
    }

    /// The warning `id`, if the caller reaches it; 404 otherwise.
    func warning(_ id: UUID, _ caller: Caller) async throws -> DetailView {
        guard let warning = try await warnings.find(id, in: caller.scope) else { throw AppError.notFound }
        let base = Self.base(caller.audience)
        let rule = WarningRuleID(rawValue: warning.ruleID)
        let status = WarningStatus(rawValue: warning.status) ?? .open
        var project: ProjectModel?
        if let projectID = warning.projectID {
            project = try await projects.reach.project(projectID, in: caller.scope)?.0
        }
        return DetailView(
            base: base, action: "\(base)/\(id.uuidString)", csrf: caller.csrf, error: nil,
            rule: warning.ruleID, title: rule?.rule.title ?? warning.ruleID, ruleVersion: warning.ruleVersion,
            rulesVersion: WarningCatalogue.version, basis: rule?.rule.basis ?? "", severity: warning.severity,
            severityName: WarningSeverity(rawValue: warning.severity)?.chineseName ?? "",
            isHigh: warning.severity == WarningSeverity.high.rawValue, status: warning.status,
            statusName: status.chineseName, subject: warning.subjectLabel, project: project?.name ?? "",
            projectHref: project.map { ProjectPath(audience: caller.audience, project: $0.uuid).root },
            division: DivisionCode(warning.divisionCode).map { divisions.fullName(of: $0) } ?? warning.divisionCode,
            addressee: warning.addressee, summary: warning.summary,
            evidence: WarningEvidence.decode(warning.evidence).map {
                EvidenceRow(label: $0.label, value: $0.value, ref: $0.ref)
            },
            due: warning.dueOn ?? "—",
            overdue: Self.overdue(warning.dueOn, status: warning.status, today: WarningService.today()),
            resolution: warning.resolution, handlingNote: warning.handlingNote, history: try await history(warning),
            canAcknowledge: status == .open && caller.audience != .mobile,
            canDismiss: caller.audience == .gov && status.isActive,
            pageTitle: rule?.rule.title ?? "工资支付预警")
    }

    /// First seen, people's actions and reopenings from the audit trail, the automatic resolution,
    /// and the latest run that still found it.
    private func history(_ warning: WageWarningModel) async throws -> [HistoryRow] {
        var rows = [
            HistoryRow(
                time: ChineseFormat.dateTime(warning.firstSeenAt), event: "首次发现", actor: "系统",
                text: "预警运行发现此问题", sortKey: warning.firstSeenAt)
        ]
        for event in try await warnings.history(of: warning.uuid) {
            rows.append(
                HistoryRow(
                    time: ChineseFormat.dateTime(event.occurredAt), event: AuditSearch.actionName(event.action),
                    actor: event.actorName, text: event.summary, sortKey: event.occurredAt))
        }
        if let resolved = warning.resolvedAt {
            rows.append(
                HistoryRow(
                    time: ChineseFormat.dateTime(resolved), event: "自动解除", actor: "系统",
                    text: warning.resolution ?? "", sortKey: resolved))
        } else if warning.lastSeenAt > warning.firstSeenAt {
            rows.append(
                HistoryRow(
                    time: ChineseFormat.dateTime(warning.lastSeenAt), event: "仍然存在", actor: "系统",
                    text: "最近一次预警运行仍发现此问题", sortKey: warning.lastSeenAt))
        }
        return rows.sorted { $0.sortKey < $1.sortKey }
    }

    // MARK: The worker's phone (M4)

    struct PhoneCard: Sendable {
        var title: String
        var summary: String
        var status: String
        var isActive: Bool
        var due: String
        var overdue: String?
        var evidence: [EvidenceRow]
        var resolution: String?
    }

    struct PhoneView: Sendable {
        var cards: [PhoneCard]
        var hasActive: Bool
        var resolved: [PhoneCard]
        var hasResolved: Bool
    }

    /// The caller's own pay warnings: the active ones, and the latest 20 handled.
    func phone(_ caller: Caller) async throws -> PhoneView {
        let today = WarningService.today()
        let (rows, _) = try await warnings.list(in: caller.scope, WarningService.Filter(statuses: nil), limit: 100)
        let cards = rows.map { warning -> PhoneCard in
            let status = WarningStatus(rawValue: warning.status) ?? .open
            return PhoneCard(
                title: WarningRuleID(rawValue: warning.ruleID)?.rule.title ?? warning.ruleID, summary: warning.summary,
                status: status == .dismissed ? "经核实不属于欠薪" : status.isActive ? "正在督促处理" : "已解决",
                isActive: status.isActive, due: warning.dueOn ?? "",
                overdue: Self.overdue(warning.dueOn, status: warning.status, today: today),
                evidence: WarningEvidence.decode(warning.evidence).map {
                    EvidenceRow(label: $0.label, value: $0.value, ref: nil)
                }, resolution: warning.resolution)
        }
        let active = cards.filter(\.isActive)
        let done = cards.filter { !$0.isActive }.prefix(20)
        return PhoneView(cards: active, hasActive: !active.isEmpty, resolved: Array(done), hasResolved: !done.isEmpty)
    }
}

/// Warning rows and facts as pages show them.
extension WarningReads {
    struct Row: Sendable {
        var href: String
        var rule: String
        var title: String
        var severity: String
        var severityName: String
        var isHigh: Bool
        var subject: String
        var addressee: String
        var summary: String
        var due: String
        var overdue: String?
        var status: String
        var statusName: String
        var lastSeen: String
    }

    /// "已逾期 3 天" or "今日到期" for an active warning; nil otherwise (the page shows nothing).
    static func overdue(_ dueOn: String?, status: String, today: LocalDate) -> String? {
        guard let due = dueOn.flatMap(LocalDate.init), WarningStatus(rawValue: status)?.isActive == true else {
            return nil
        }
        let days = due.days(until: today)
        return days > 0 ? "已逾期 \(days) 天" : days == 0 ? "今日到期" : nil
    }

    static func row(_ warning: WageWarningModel, base: String, today: LocalDate) -> Row {
        let rule = WarningRuleID(rawValue: warning.ruleID)
        let status = WarningStatus(rawValue: warning.status)
        return Row(
            href: "\(base)/\(warning.uuid.uuidString)", rule: warning.ruleID, title: rule?.rule.title ?? warning.ruleID,
            severity: warning.severity, severityName: WarningSeverity(rawValue: warning.severity)?.chineseName ?? "",
            isHigh: warning.severity == WarningSeverity.high.rawValue, subject: warning.subjectLabel,
            addressee: warning.addressee, summary: warning.summary,
            due: warning.dueOn ?? "", overdue: overdue(warning.dueOn, status: warning.status, today: today),
            status: warning.status, statusName: status?.chineseName ?? warning.status,
            lastSeen: ChineseFormat.dateTime(warning.lastSeenAt))
    }
}
