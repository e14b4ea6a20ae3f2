import Foundation

/// When a project's attendance day begins [I]. At midnight by default; a project with a night
/// shift across midnight moves it (for example to 06:00), so that a shift from 20:00 to 05:00 is
/// one attendance day with its entry and its exit — in the day and month sheets, the man-days
/// and the payroll — instead of a missing exit on one day and a missing entry on the next.
///
/// The attendance day of an instant is the calendar day of the instant moved back by the start:
/// with 06:00, a punch at 02:00 on 2 March belongs to 1 March.
public struct AttendanceDayStart: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Minutes after midnight, 0…720 (a day that began in the afternoon would no longer be the
    /// day people name a shift by).
    public let minutes: Int

    public static let midnight = AttendanceDayStart(unchecked: 0)
    public static let latest = 12 * 60

    public init?(minutes: Int) {
        guard (0...Self.latest).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    private init(unchecked minutes: Int) { self.minutes = minutes }

    /// `HH:mm` from 00:00 to 12:00.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.init(minutes: hour * 60 + minute)
    }

    public var description: String {
        let hour = minutes / 60
        let minute = minutes % 60
        return "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    /// The attendance day `instant` belongs to; nil for an instant outside years 1…9999.
    public func day(of instant: Date, in timeZone: TimeZone) -> LocalDate? {
        LocalDate(instant.addingTimeInterval(-Double(minutes) * 60), in: timeZone)
    }

    /// The instant of `minuteOfDay` (minutes after midnight, 0…1439) on attendance day `day`: a
    /// time before the day's start falls on the next calendar day (02:00 of a night shift that
    /// began the evening before).
    public func instant(on day: LocalDate, minuteOfDay: Int, in timeZone: TimeZone) -> Date? {
        guard (0..<1440).contains(minuteOfDay) else { return nil }
        let calendarDay = minuteOfDay < minutes ? day.adding(days: 1) : day
        guard let calendarDay else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(
            from: DateComponents(
                year: calendarDay.year, month: calendarDay.month, day: calendarDay.day, hour: minuteOfDay / 60,
                minute: minuteOfDay % 60))
    }
}
