/// Why a worker may not enter a project, or why an entry/exit date is refused (建市〔2019〕18号
/// R2; WorkerEntryExit date rules, standards.md b.6). Pure: the store gathers the facts, this
/// decides, and every surface (console, import, API) shows the same reasons.
public enum SiteEntryRefusal: String, Sendable, CaseIterable, Hashable {
    case notVerified = "ENTRY_NOT_VERIFIED"
    case restricted = "ENTRY_RESTRICTED"
    case noContract = "ENTRY_NO_CONTRACT"
    case noSafetyTraining = "ENTRY_NO_SAFETY_TRAINING"
    case alreadyOnSite = "ENTRY_ALREADY_ACTIVE"
    case unitExited = "ENTRY_UNIT_EXITED"
    case teamExited = "ENTRY_TEAM_EXITED"
    case dateInFuture = "ENTRY_DATE_IN_FUTURE"
    case dateBeforeLastRecord = "ENTRY_DATE_BEFORE_LAST_RECORD"
    case dateMissing = "ENTRY_DATE_INVALID"

    public var code: String { rawValue }

    public var message: String {
        switch self {
        case .notVerified: "该工人尚未通过实名核验，不能进场"
        case .restricted: "该工人在黑名单或限制名单中，不能进场"
        case .noContract: "该工人与本单位没有在有效期内的劳动合同，请先签订劳动合同"
        case .noSafetyTraining: "该工人没有有效的基本安全培训记录，请先组织安全教育或入场教育并登记"
        case .alreadyOnSite: "该工人在本项目已有未退场的进场记录，同一项目不能重复进场"
        case .unitExited: "所属参建单位已退场，不能再安排工人进场"
        case .teamExited: "所选班组已退场，不能再安排工人进场"
        case .dateInFuture: "进退场日期不能晚于今天"
        case .dateBeforeLastRecord: "进退场日期不能早于该工人在本项目的上一条进退场记录"
        case .dateMissing: "请填写正确的进退场日期（年-月-日）"
        }
    }
}

/// The facts about one worker and one project that decide an entry.
public struct SiteEntryFacts: Sendable {
    public var isVerified: Bool
    public var isRestricted: Bool
    /// A contract with the worker's unit on this project covering the entry date.
    public var hasValidContract: Bool
    /// A basic safety (安全教育) or site-entry (入场教育) training attended within the validity window.
    public var hasSafetyTraining: Bool
    public var hasActiveEntry: Bool
    public var unitHasExited: Bool
    public var teamHasExited: Bool
    /// The latest entry or exit date of this worker on this project.
    public var lastRecordDate: LocalDate?

    public init(
        isVerified: Bool, isRestricted: Bool, hasValidContract: Bool, hasSafetyTraining: Bool, hasActiveEntry: Bool,
        unitHasExited: Bool = false, teamHasExited: Bool = false, lastRecordDate: LocalDate? = nil
    ) {
        self.isVerified = isVerified
        self.isRestricted = isRestricted
        self.hasValidContract = hasValidContract
        self.hasSafetyTraining = hasSafetyTraining
        self.hasActiveEntry = hasActiveEntry
        self.unitHasExited = unitHasExited
        self.teamHasExited = teamHasExited
        self.lastRecordDate = lastRecordDate
    }
}

public enum SiteEntryRules {
    /// Every reason the entry is refused; empty when the worker may enter on `date`.
    public static func refusals(_ facts: SiteEntryFacts, date: LocalDate?, today: LocalDate) -> [SiteEntryRefusal] {
        var reasons: [SiteEntryRefusal] = []
        if !facts.isVerified { reasons.append(.notVerified) }
        if facts.isRestricted { reasons.append(.restricted) }
        if facts.hasActiveEntry { reasons.append(.alreadyOnSite) }
        if facts.unitHasExited { reasons.append(.unitExited) }
        if facts.teamHasExited { reasons.append(.teamExited) }
        if !facts.hasValidContract { reasons.append(.noContract) }
        if !facts.hasSafetyTraining { reasons.append(.noSafetyTraining) }
        reasons += dateRefusals(date, today: today, lastRecord: facts.lastRecordDate)
        return reasons
    }

    /// The national date rules for any entry or exit record: not in the future, not before the
    /// subject's previous record on the project.
    public static func dateRefusals(_ date: LocalDate?, today: LocalDate, lastRecord: LocalDate?) -> [SiteEntryRefusal]
    {
        guard let date else { return [.dateMissing] }
        var reasons: [SiteEntryRefusal] = []
        if date > today { reasons.append(.dateInFuture) }
        if let lastRecord, date < lastRecord { reasons.append(.dateBeforeLastRecord) }
        return reasons
    }

    /// Whether a contract running from `start` to `end` (nil: open, e.g. until a task is done)
    /// covers `date`.
    public static func contract(from start: LocalDate, to end: LocalDate?, covers date: LocalDate) -> Bool {
        start <= date && (end.map { date <= $0 } ?? true)
    }
}

/// What happens to the teams and workers of a unit that leaves a project (configurable:
/// `projects.unit-exit-policy`).
public enum UnitExitPolicy: String, Sendable, CaseIterable {
    /// Close every active team and worker entry of the unit on the exit date.
    case closeEntries = "close"
    /// Refuse the unit's exit while it still has workers on site, naming them.
    case refuse
}

/// The dedicated wage account's name (人社部发〔2021〕53号): general contractor + project +
/// 农民工工资专用账户.
public enum WageAccountName {
    public static let suffix = "农民工工资专用账户"

    public static func expected(contractor: String, project: String) -> String {
        contractor + project + suffix
    }

    /// Whether `name` follows the pattern; banks abbreviate, so the contractor's and the project's
    /// names must both appear and the name must end with the suffix.
    public static func follows(_ name: String, contractor: String, project: String) -> Bool {
        let trimmed = name.replacingOccurrences(of: " ", with: "")
        return trimmed.hasSuffix(suffix) && trimmed.contains(contractor) && trimmed.contains(project)
    }
}
