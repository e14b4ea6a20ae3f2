import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// What people do with a warning: the addressee or a regulator acknowledges it (with a note on
/// what is being done); a regulator dismisses it with a reason (W16: a dispute is no reason, but
/// a wrong fact is). A dismissed warning stays dismissed while its cause persists; both are audited.
extension WarningService {
    static let noteLimit = 500

    func acknowledge(_ id: UUID, note: String, scope: AccessScope, by account: AccountSnapshot) async throws {
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= Self.noteLimit else {
            throw AppError(.unprocessableContent, code: "WARNING_NOTE_TOO_LONG", message: "说明不能超过 \(Self.noteLimit) 个字")
        }
        if case .worker = scope { throw AppError.forbidden }
        let warning = try await handleable(id, scope: scope)
        guard warning.status == WarningStatus.open.rawValue else {
            throw AppError(
                .conflict, code: "WARNING_NOT_OPEN",
                message:
                    "该预警当前为“\(WarningStatus(rawValue: warning.status)?.chineseName ?? warning.status)”，只有待处理的预警可以标记为已知悉"
            )
        }
        try await change(
            warning, to: .acknowledged, note: text.isEmpty ? nil : text, by: account, action: "warning.acknowledged",
            summary: "\(Self.ruleTitle(warning.ruleID)) \(warning.subjectLabel)：已知悉" + (text.isEmpty ? "" : "（\(text)）")
        )
    }

    func dismiss(_ id: UUID, reason: String, scope: AccessScope, by account: AccountSnapshot) async throws {
        guard case .division = scope else {
            throw AppError(.forbidden, code: "WARNING_DISMISS_REGULATOR_ONLY", message: "只有监管部门可以驳回预警")
        }
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw AppError(
                .unprocessableContent, code: "WARNING_DISMISS_REASON_REQUIRED", message: "驳回预警须填写理由，例如核实的事实和依据")
        }
        guard text.count <= Self.noteLimit else {
            throw AppError(.unprocessableContent, code: "WARNING_NOTE_TOO_LONG", message: "理由不能超过 \(Self.noteLimit) 个字")
        }
        let warning = try await handleable(id, scope: scope)
        guard warning.status != WarningStatus.dismissed.rawValue else {
            throw AppError(.conflict, code: "WARNING_ALREADY_DISMISSED", message: "该预警已被驳回")
        }
        try await change(
            warning, to: .dismissed, note: text, by: account, action: "warning.dismissed",
            summary: "\(Self.ruleTitle(warning.ruleID)) \(warning.subjectLabel)：驳回（\(text)）")
    }

    /// A rule as people read it in the audit log: its Chinese name, not its code.
    static func ruleTitle(_ ruleID: String) -> String {
        WarningRuleID(rawValue: ruleID)?.rule.title ?? "工资支付预警"
    }

    private func handleable(_ id: UUID, scope: AccessScope) async throws -> WageWarningModel {
        guard let warning = try await find(id, in: scope) else { throw AppError.notFound }
        guard warning.status != WarningStatus.resolved.rawValue else {
            throw AppError(.conflict, code: "WARNING_ALREADY_RESOLVED", message: "该预警已解除，无需处理")
        }
        return warning
    }

    private func change(
        _ warning: WageWarningModel, to status: WarningStatus, note: String?, by account: AccountSnapshot,
        action: String, summary: String
    ) async throws {
        warning.status = status.rawValue
        warning.handledBy = account.id
        warning.handledAt = ServerClock.now()
        warning.handlingNote = note
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await warning.update(on: tx)
            return (
                (),
                AuditDraft(
                    action: action, entityType: "wage_warning", entityID: warning.uuid.uuidString,
                    divisionCode: warning.divisionCode, enterpriseID: warning.enterpriseID?.uuidString ?? "",
                    summary: summary, change: ["status": status.rawValue, "note": note ?? ""])
            )
        }
    }
}
