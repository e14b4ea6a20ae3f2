/// What leaves a project as a whole, taking its workers on site with it: a participating unit
/// (ProjectSubContractor) or a team.
public enum ExitingSubject: String, Sendable, Hashable, CaseIterable {
    case unit
    case team

    /// The stable code of a refused exit date.
    public var dateCode: String {
        switch self {
        case .unit: "UNIT_EXIT_DATE"
        case .team: "TEAM_EXIT_DATE"
        }
    }
}

/// Why a unit's or a team's exit date is refused (the national entry/exit date rules, standards.md
/// b.6, as `SiteEntryRules.dateRefusals` applies them to a worker).
public enum ExitDateRefusal: Sendable, Hashable {
    case inFuture(ExitingSubject)
    /// Before the subject's own entry date.
    case beforeEntry(ExitingSubject, entry: LocalDate)
    /// Before the latest entry of a worker still on site, who would leave before arriving.
    case beforeWorkerEntry(ExitingSubject, latest: LocalDate)

    public var subject: ExitingSubject {
        switch self {
        case .inFuture(let subject), .beforeEntry(let subject, _), .beforeWorkerEntry(let subject, _): subject
        }
    }

    public var code: String { subject.dateCode }

    public var message: String {
        switch self {
        case .inFuture: "退场日期不能晚于今天"
        case .beforeEntry(.unit, let entry): "退场日期不能早于该单位的进场日期 \(entry)"
        case .beforeEntry(.team, let entry): "退场日期不能早于该班组的进场日期 \(entry)"
        case .beforeWorkerEntry(.unit, let latest): "退场日期不能早于本单位在场工人的最近进场日期 \(latest)"
        case .beforeWorkerEntry(.team, let latest): "退场日期不能早于班组在场工人的最近进场日期 \(latest)"
        }
    }
}

/// The exit-date rules of units and teams, written once for both.
public enum ExitDateRules {
    /// The date's own faults: after `today`, or before the subject's entry (nil: not recorded).
    public static func refusals(_ date: LocalDate, of subject: ExitingSubject, entry: LocalDate?, today: LocalDate)
        -> [ExitDateRefusal]
    {
        var reasons: [ExitDateRefusal] = []
        if date > today { reasons.append(.inFuture(subject)) }
        if let entry, date < entry { reasons.append(.beforeEntry(subject, entry: entry)) }
        return reasons
    }

    /// The workers still on site leave on the same date, so it may not precede the latest of their
    /// entries (nil: nobody on site).
    public static func refusal(_ date: LocalDate, of subject: ExitingSubject, latestWorkerEntry: LocalDate?)
        -> ExitDateRefusal?
    {
        guard let latestWorkerEntry, latestWorkerEntry > date else { return nil }
        return .beforeWorkerEntry(subject, latest: latestWorkerEntry)
    }
}
