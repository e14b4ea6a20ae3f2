import Foundation

/// One row of a warning's evidence: what was looked at and what it showed.
public struct WarningEvidence: Sendable, Hashable, Codable {
    public var label: String
    public var value: String
    /// A reference a person can look up (a payroll code, a date, a masked number), if any.
    public var ref: String?

    public init(_ label: String, _ value: String, ref: String? = nil) {
        self.label = label
        self.value = value
        self.ref = ref
    }

    public static func encode(_ rows: [WarningEvidence]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(rows)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    public static func decode(_ text: String) -> [WarningEvidence] {
        (try? JSONDecoder().decode([WarningEvidence].self, from: Data(text.utf8))) ?? []
    }
}

/// What a warning is about. The key identifies the subject within its rule and is stable across
/// runs (the store keeps one warning per rule and key); a pay month, when the subject has one, is
/// its last component so that a run knows which months it looked at.
public struct WarningSubject: Sendable, Hashable {
    /// `project`, `unit`, `worker`, `entry`.
    public var kind: String
    public var key: String
    /// As a person reads it: project name, worker name and month …
    public var label: String

    public init(kind: String, key: String, label: String) {
        self.kind = kind
        self.key = key
        self.label = label
    }

    public static func project(_ id: UUID, label: String, suffix: String? = nil) -> WarningSubject {
        WarningSubject(kind: "project", key: "project:\(id.uuidString)" + (suffix.map { "|\($0)" } ?? ""), label: label)
    }

    public static func unitMonth(_ unit: UUID, month: PayMonth, label: String) -> WarningSubject {
        WarningSubject(kind: "unit", key: "unit:\(unit.uuidString)|m:\(month)", label: label)
    }

    public static func worker(_ worker: UUID, project: UUID, month: PayMonth? = nil, label: String) -> WarningSubject {
        WarningSubject(
            kind: "worker",
            key: "worker:\(worker.uuidString)|project:\(project.uuidString)" + (month.map { "|m:\($0)" } ?? ""),
            label: label)
    }

    public static func entry(_ entry: UUID, label: String) -> WarningSubject {
        WarningSubject(kind: "entry", key: "entry:\(entry.uuidString)", label: label)
    }

    /// The pay month a key ends with (`…|m:2026-10`), if any.
    public static func month(inKey key: String) -> PayMonth? {
        guard let range = key.range(of: "|m:", options: .backwards) else { return nil }
        return PayMonth(String(key[range.upperBound...]))
    }
}

/// One thing a rule found: everything a warning row holds, in plain values.
public struct WarningFinding: Sendable, Hashable {
    public var rule: WarningRuleID
    public var subject: WarningSubject
    public var projectID: UUID
    public var divisionCode: String
    public var unitID: UUID?
    /// The responsible enterprise, when it is registered on the platform.
    public var enterpriseID: UUID?
    /// The worker whose pay or record it is about.
    public var workerID: UUID?
    /// Who must act, in Chinese, with the party's name.
    public var addressee: String
    public var severity: WarningSeverity
    /// Why, in one Chinese sentence with the numbers.
    public var summary: String
    public var evidence: [WarningEvidence]
    public var dueOn: LocalDate?

    public init(
        rule: WarningRuleID, subject: WarningSubject, projectID: UUID, divisionCode: String, unitID: UUID? = nil,
        enterpriseID: UUID?, workerID: UUID? = nil, addressee: String, severity: WarningSeverity? = nil,
        summary: String, evidence: [WarningEvidence], dueOn: LocalDate?
    ) {
        self.rule = rule
        self.subject = subject
        self.projectID = projectID
        self.divisionCode = divisionCode
        self.unitID = unitID
        self.enterpriseID = enterpriseID
        self.workerID = workerID
        self.addressee = addressee
        self.severity = severity ?? rule.rule.severity
        self.summary = summary
        self.evidence = evidence
        self.dueOn = dueOn
    }

    /// A digest of what a person reads, so that a run rewrites a warning only when it changed.
    public var contentSignature: String {
        [
            subject.label, addressee, severity.rawValue, summary, WarningEvidence.encode(evidence),
            dueOn?.description ?? "", unitID?.uuidString ?? "", enterpriseID?.uuidString ?? "",
            String(rule.rule.version),
        ].joined(separator: "\u{1F}")
    }
}
