import Foundation

/// Where a punch came from.
public enum PunchSource: String, Sendable, Hashable, CaseIterable, Codable {
    /// A gate or attendance terminal on site (face, card, fingerprint …; standards.md c.18).
    case device
    /// The worker's phone, checked by `PunchPlausibility`.
    case phone
    /// Entered afterwards by the employer (补登), for example when the gate was out of order.
    case manual

    public var chineseName: String {
        switch self {
        case .device: "闸机"
        case .phone: "手机"
        case .manual: "补登"
        }
    }
}

/// A stored punch as the sheets see it.
public struct PunchRecord: Sendable, Equatable {
    /// The event time on the server's clock (for a phone punch `PunchVerdict.correctedTime`).
    public var time: Date
    public var direction: PunchDirection
    public var source: PunchSource
    /// Whether the punch counts as attendance. Gate punches and clean phone punches do; a suspicious phone
    /// punch only once the employer has accepted it; a rejected one never.
    public var counts: Bool
    /// Notes to show with the day, as people read them (e.g. the `PunchFlag.chineseName`s of an accepted
    /// phone punch). They reach the day's summary only if the punch counts.
    public var flags: [String]
    /// The attendance day the punch was filed under when it arrived (the project's day start then);
    /// nil to derive it from `time`. A later change of the day start does not move filed punches.
    public var day: LocalDate?

    public init(
        time: Date, direction: PunchDirection, source: PunchSource, counts: Bool = true, flags: [String] = [],
        day: LocalDate? = nil
    ) {
        self.time = time
        self.direction = direction
        self.source = source
        self.counts = counts
        self.flags = flags
        self.day = day
    }
}

/// How a day's span on site turns into man-days (工日) [I]: the national platform stores punches, not
/// man-days, so the thresholds are the project's and the defaults SiteRoll's.
public struct ManDayRule: Sendable, Equatable {
    /// From this many hours between first entry and last exit, a day counts as one man-day.
    public var fullDayMinimumHours: Double = 6
    /// From this many hours (and below `fullDayMinimumHours`), half a man-day.
    public var halfDayMinimumHours: Double = 2
    /// What a day with an entry but no later exit counts. A full day by default: workers forget to punch
    /// out and gates miss exits far more often than anyone leaves after an hour without passing the gate,
    /// and the flag on the day lets the employer correct it.
    public var missingExitCounts: Double = 1

    public init(fullDayMinimumHours: Double = 6, halfDayMinimumHours: Double = 2, missingExitCounts: Double = 1) {
        self.fullDayMinimumHours = fullDayMinimumHours
        self.halfDayMinimumHours = halfDayMinimumHours
        self.missingExitCounts = missingExitCounts
    }

    public static let `default` = ManDayRule()
}

/// One worker's attendance on one calendar day.
public struct AttendanceDaySummary: Sendable, Equatable {
    public var date: LocalDate
    /// The earliest counting entry of the day.
    public var firstIn: Date?
    /// The latest counting exit at or after `firstIn`; without an entry, the latest exit of the day.
    public var lastOut: Date?
    /// Whole minutes from `firstIn` to `lastOut`, breaks included; 0 unless both exist.
    public var workedMinutes: Int
    /// The sources of the counting punches, in `PunchSource` order.
    public var sources: [PunchSource]
    /// What the sheet shows with the day: the day's own notes (`AttendanceDay.missingExitFlag` …), then
    /// the counting punches' flags, then how many punches did not count.
    public var flags: [String]
    public var manDays: Double
    /// The counting punches of the day.
    public var punchCount: Int

    public init(
        date: LocalDate, firstIn: Date?, lastOut: Date?, workedMinutes: Int, sources: [PunchSource],
        flags: [String], manDays: Double, punchCount: Int
    ) {
        self.date = date
        self.firstIn = firstIn
        self.lastOut = lastOut
        self.workedMinutes = workedMinutes
        self.sources = sources
        self.flags = flags
        self.manDays = manDays
        self.punchCount = punchCount
    }
}

/// The daily attendance rule: first entry to last exit, counted in man-days.
public enum AttendanceDay {
    /// An entry without a later exit; the day counts `ManDayRule.missingExitCounts`.
    public static let missingExitFlag = "缺少出场记录"
    /// Exits without an entry; the day counts nothing.
    public static let missingEntryFlag = "缺少入场记录"
    /// First entry to last exit shorter than `ManDayRule.halfDayMinimumHours`.
    public static let shortDayFlag = "工时不足"

    /// The note for punches of the day that exist but do not count.
    public static func uncountedFlag(count: Int) -> String { "\(count) 条打卡未计入（待审核或已驳回）" }

    /// Summarises one worker's punches on `date`.
    ///
    /// Only punches with `counts` take part, and only those that fall on attendance day `date` in
    /// `timeZone` (Asia/Shanghai for SiteRoll) with the project's `dayStart`: the caller passes the
    /// day's punches, and a stray one from the day before is ignored rather than stretching the day.
    /// A night shift across midnight is one day when the project's day starts after its end
    /// (`AttendanceDayStart`); at midnight it shows as an entry without exit and an exit without
    /// entry on two days.
    ///
    /// The span from first entry to last exit is what counts, as on the gate systems the platform mirrors:
    /// leaving for lunch does not shorten the day.
    public static func summarize(
        _ punches: [PunchRecord], on date: LocalDate, timeZone: TimeZone, rule: ManDayRule,
        dayStart: AttendanceDayStart = .midnight
    ) -> AttendanceDaySummary {
        let ofTheDay = punches.filter { ($0.day ?? dayStart.day(of: $0.time, in: timeZone)) == date }
        let counting = ofTheDay.filter(\.counts).sorted { $0.time < $1.time }
        let uncounted = ofTheDay.count - counting.count

        let firstIn = counting.first { $0.direction == .entry }?.time
        let exits = counting.filter { $0.direction == .exit }.map(\.time)
        let lastOut: Date? =
            if let firstIn { exits.last { $0 >= firstIn } } else { exits.last }

        var flags: [String] = []
        var workedMinutes = 0
        var manDays = 0.0
        switch (firstIn, lastOut) {
        case (let firstIn?, let lastOut?):
            let worked = lastOut.timeIntervalSince(firstIn)
            workedMinutes = Int((worked / 60).rounded(.down))
            if worked >= rule.fullDayMinimumHours * 3600 {
                manDays = 1
            } else if worked >= rule.halfDayMinimumHours * 3600 {
                manDays = 0.5
            } else {
                flags.append(shortDayFlag)
            }
        case (.some, nil):
            manDays = rule.missingExitCounts
            flags.append(missingExitFlag)
        case (nil, .some):
            flags.append(missingEntryFlag)
        case (nil, nil):
            break
        }
        for flag in counting.flatMap(\.flags) where !flags.contains(flag) { flags.append(flag) }
        if uncounted > 0 { flags.append(uncountedFlag(count: uncounted)) }

        let used = Set(counting.map(\.source))
        return AttendanceDaySummary(
            date: date, firstIn: firstIn, lastOut: lastOut, workedMinutes: workedMinutes,
            sources: PunchSource.allCases.filter(used.contains), flags: flags, manDays: manDays,
            punchCount: counting.count)
    }
}
