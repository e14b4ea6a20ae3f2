import Foundation

/// A calendar date without a time or a time zone: a birth date, the dates printed on an ID card,
/// a day of attendance. Rules take "today" as a `LocalDate` parameter, never from a hidden clock,
/// so that a test (or a re-check of an old submission) can say which day it means.
///
/// The text form is `yyyy-MM-dd`, the date format of the national interface (standards.md b.6).
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A real day of the proleptic Gregorian calendar with a four-digit year; nil otherwise
    /// (2000-02-29 exists, 1900-02-29 does not: 1900 is not a leap year).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...LocalDate.daysInMonth(month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `yyyy-MM-dd` in ASCII digits.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = LocalDate.asciiNumber(parts[0]), let month = LocalDate.asciiNumber(parts[1]),
            let day = LocalDate.asciiNumber(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Parses exactly `yyyyMMdd` in ASCII digits, the form inside an ID number (GB 11643, standards.md e.1).
    public init?(compact text: some StringProtocol) {
        guard text.count == 8, let year = LocalDate.asciiNumber(text.prefix(4)),
            let month = LocalDate.asciiNumber(text.dropFirst(4).prefix(2)),
            let day = LocalDate.asciiNumber(text.suffix(2))
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The calendar day `date` falls on in `timeZone` (for SiteRoll normally Asia/Shanghai).
    /// Computed from the zone's offset at that instant, without a Calendar: attendance ingest
    /// calls this for every punch.
    /// nil for an instant outside years 1…9999 (a phone or device clock can send anything).
    public init?(_ date: Date, in timeZone: TimeZone) {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        guard let day = Int(exactly: (local / 86_400).rounded(.down)) else { return nil }
        self.init(dayNumber: day)
    }

    /// Today in `timeZone` by the server's clock (or the `now` a caller passes on its behalf).
    public static func today(in timeZone: TimeZone, now: Date = ServerClock.now()) -> LocalDate {
        // A server clock lies within years 1…9999; an instant from a request goes through the
        // failable initializer instead.
        LocalDate(now, in: timeZone)!
    }

    /// yyyy-MM-dd, built without `String(format:)`: ingest formats one per punch.
    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Age in completed years on `date` (standards.md e.1: "completed years between the birth date and
    /// the check date"). The age goes up on the birthday itself; someone born on 29 February completes a
    /// year on 1 March in a common year, because 28 February is still before the birthday.
    /// Negative when `date` lies before the birth.
    public func age(on date: LocalDate) -> Int {
        let years = date.year - year
        return (date.month, date.day) < (month, day) ? years - 1 : years
    }

    /// The same month and day `years` later; 29 February becomes 28 February in a common year.
    /// nil when that leaves years 1…9999.
    public func adding(years: Int) -> LocalDate? {
        let (target, overflow) = year.addingReportingOverflow(years)
        guard !overflow else { return nil }
        let clampedDay = min(day, LocalDate.daysInMonth(month, year: target))
        return LocalDate(year: target, month: month, day: clampedDay)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Only ASCII digits count: a full-width "２" must not slip into a date.
    static func asciiNumber(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }
}

extension LocalDate {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a yyyy-MM-dd date"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
