import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// One warning in full — rule, basis, subject, addressee, every evidence row, due date, status,
/// history and the actions the viewer may take — and the worker's phone page.
extension WarningPages {
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

    struct DetailModel: Sendable {
        var base: String
        var action: String
        var csrf: String
        var error: AppError?
        var notice: String?
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
        var overdue: String
        var resolution: String?
        var handlingNote: String?
        var history: [HistoryRow]
        var canAcknowledge: Bool
        var canDismiss: Bool
    }

    func detail<Context: ConsoleContext>(
        _ id: UUID, _ request: Request, _ context: Context, error: AppError? = nil, notice: String? = nil
    ) async throws -> Response {
        guard let warning = try await warnings.find(id, in: context.scope) else { throw AppError.notFound }
        let base = Context.audience.basePath + "/warnings"
        let rule = WarningRuleID(rawValue: warning.ruleID)
        let status = WarningStatus(rawValue: warning.status) ?? .open
        var project: ProjectModel?
        if let projectID = warning.projectID {
            project = try await projects.reach.project(projectID, in: context.scope)?.0
        }
        let model = DetailModel(
            base: base, action: "\(base)/\(id.uuidString)", csrf: context.identity.csrfToken, error: error,
            notice: notice, rule: warning.ruleID, title: rule?.rule.title ?? warning.ruleID,
            ruleVersion: warning.ruleVersion, rulesVersion: WarningCatalogue.version, basis: rule?.rule.basis ?? "",
            severity: warning.severity, severityName: WarningSeverity(rawValue: warning.severity)?.chineseName ?? "",
            isHigh: warning.severity == WarningSeverity.high.rawValue, status: warning.status,
            statusName: status.chineseName, subject: warning.subjectLabel,
            project: project?.name ?? "",
            projectHref: project?.id.map {
                "\(Context.audience.basePath)/projects/\($0.uuidString)"
            },
            division: DivisionCode(warning.divisionCode).map { navigation.divisions.fullName(of: $0) }
                ?? warning.divisionCode,
            addressee: warning.addressee, summary: warning.summary,
            evidence: WarningEvidence.decode(warning.evidence).map {
                EvidenceRow(label: $0.label, value: $0.value, ref: $0.ref)
            },
            due: warning.dueOn ?? "—",
            overdue: Self.overdue(warning.dueOn, status: warning.status, today: WarningService.today()),
            resolution: warning.resolution, handlingNote: warning.handlingNote,
            history: try await history(warning),
            canAcknowledge: status == .open && Context.audience != .mobile,
            canDismiss: Context.audience == .gov && status.isActive)
        return render(
            "warning-detail", model, title: rule?.rule.title ?? "工资支付预警", context: context,
            path: base, status: error?.status ?? .ok)
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
        var overdue: String
        var evidence: [EvidenceRow]
        var resolution: String?
    }

    struct PhoneModel: Sendable {
        var cards: [PhoneCard]
        var hasActive: Bool
        var resolved: [PhoneCard]
        var hasResolved: Bool
    }

    func phone(_ request: Request, _ context: WorkerContext) async throws -> Response {
        let today = WarningService.today()
        let (rows, _) = try await warnings.list(
            in: context.scope, WarningService.Filter(statuses: nil), limit: 100)
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
        let model = PhoneModel(
            cards: active, hasActive: !active.isEmpty, resolved: Array(done), hasResolved: !done.isEmpty)
        return pages.html(
            "m-warnings", model,
            layout: navigation.layout(
                .mobile, title: "工资提醒", identity: context.identity, current: request.uri.path))
    }
}
