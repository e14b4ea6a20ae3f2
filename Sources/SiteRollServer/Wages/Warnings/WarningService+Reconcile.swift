import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Reconciling one batch's findings with its stored warnings, in one transaction: new → open;
/// still present → last seen (acknowledged and dismissed stay as people left them; the words are
/// rewritten only when the facts changed); gone → resolved with the reason; resolved and present
/// again → reopened, audited with the resolution it had.
extension WarningService {
    struct Changes: Sendable {
        var opened = 0
        var reopened = 0
        var resolved = 0
        /// Still present, with words rewritten because the facts changed.
        var rewritten = 0
    }

    /// Rows per multi-row statement: inside SQLite's bind limit at 24 columns.
    static let insertChunk = 500

    func reconcile(_ findings: [WarningFinding], projects: [WarningFacts.Project], today: LocalDate, now: Date)
        async throws -> Changes
    {
        let db = database.database()
        let existing = try await WageWarningModel.query(on: db).filter(\.$projectID ~~ projects.map(\.id)).all()
        var byKey = Dictionary(existing.map { ("\($0.ruleID)|\($0.subjectKey)", $0) }, uniquingKeysWith: { a, _ in a })
        var seen: Set<String> = []
        var inserts: [WageWarningModel] = []
        var updates: [WageWarningModel] = []
        var reopens: [(WageWarningModel, String)] = []
        var touched: [UUID] = []
        for finding in findings {
            let key = "\(finding.rule.rawValue)|\(finding.subject.key)"
            guard seen.insert(key).inserted else { continue }
            guard let row = byKey[key] else {
                let row = WageWarningModel()
                row.id = UUID()
                row.ruleID = finding.rule.rawValue
                row.subjectKey = finding.subject.key
                row.status = WarningStatus.open.rawValue
                row.firstSeenAt = now
                Self.apply(finding, to: row, now: now)
                inserts.append(row)
                byKey[key] = row
                continue
            }
            if row.status == WarningStatus.resolved.rawValue {
                let previous = "此前于 \(row.resolvedAt.map(ChineseFormat.dateTime) ?? "")解除：\(row.resolution ?? "")"
                Self.apply(finding, to: row, now: now)
                row.status = WarningStatus.open.rawValue
                row.resolvedAt = nil
                row.resolution = nil
                row.handledBy = nil
                row.handledAt = nil
                row.handlingNote = nil
                reopens.append((row, previous))
            } else if Self.signature(of: row) != finding.contentSignature || row.divisionCode != finding.divisionCode
                || row.workerID != finding.workerID || row.projectID != finding.projectID
            {
                Self.apply(finding, to: row, now: now)
                updates.append(row)
            } else {
                touched.append(row.uuid)
            }
        }
        var resolutions: [String: [UUID]] = [:]
        for row in existing
        where row.status != WarningStatus.resolved.rawValue && !seen.contains("\(row.ruleID)|\(row.subjectKey)") {
            guard let rule = WarningRuleID(rawValue: row.ruleID) else {
                resolutions["规则已从规则集 \(WarningCatalogue.version) 中移除", default: []].append(row.uuid)
                continue
            }
            switch evaluator.coverage(
                rule: rule, divisionCode: row.divisionCode, subjectKey: row.subjectKey, today: today)
            {
            case .evaluated: resolutions["原因已消除：\(rule.rule.fixedText)", default: []].append(row.uuid)
            case .disabled: resolutions["规则 \(rule.rawValue) 已在本地区停用，不再评估", default: []].append(row.uuid)
            case .outsideWindow: continue
            }
        }
        let finalInserts = inserts
        let finalUpdates = updates
        let finalReopens = reopens
        let finalTouched = touched
        let finalResolutions = resolutions
        try await db.inTransaction { tx in
            for start in stride(from: 0, to: finalInserts.count, by: Self.insertChunk) {
                try await Array(finalInserts[start..<min(start + Self.insertChunk, finalInserts.count)]).create(on: tx)
            }
            for row in finalUpdates { try await row.update(on: tx) }
            for (row, previous) in finalReopens {
                try await row.update(on: tx)
                try await audit.append(
                    on: tx, actor: .system,
                    draft: AuditDraft(
                        action: "warning.reopened", entityType: "wage_warning", entityID: row.uuid.uuidString,
                        divisionCode: row.divisionCode, enterpriseID: row.enterpriseID?.uuidString ?? "",
                        summary: "\(Self.ruleTitle(row.ruleID)) \(row.subjectLabel)：再次出现（\(previous)）",
                        change: ["rule": row.ruleID, "subject": row.subjectKey, "summary": row.summary]))
            }
            let queries = WarningQueries(tx)
            try await queries.touch(finalTouched, at: now)
            for (resolution, ids) in finalResolutions {
                try await queries.resolve(ids, resolution: resolution, at: now)
            }
        }
        return Changes(
            opened: inserts.count, reopened: reopens.count, resolved: resolutions.values.reduce(0) { $0 + $1.count },
            rewritten: updates.count)
    }

    static func apply(_ finding: WarningFinding, to row: WageWarningModel, now: Date) {
        row.ruleVersion = finding.rule.rule.version
        row.subjectKind = finding.subject.kind
        row.subjectLabel = finding.subject.label
        row.projectID = finding.projectID
        row.divisionCode = finding.divisionCode
        row.unitID = finding.unitID
        row.enterpriseID = finding.enterpriseID
        row.workerID = finding.workerID
        row.addressee = finding.addressee
        row.severity = finding.severity.rawValue
        row.summary = finding.summary
        row.evidence = WarningEvidence.encode(finding.evidence)
        row.dueOn = finding.dueOn?.description
        row.lastSeenAt = now
    }

    /// The stored counterpart of `WarningFinding.contentSignature`.
    static func signature(of row: WageWarningModel) -> String {
        [
            row.subjectLabel, row.addressee, row.severity, row.summary, row.evidence, row.dueOn ?? "",
            row.unitID?.uuidString ?? "", row.enterpriseID?.uuidString ?? "", String(row.ruleVersion),
        ].joined(separator: "\u{1F}")
    }
}
