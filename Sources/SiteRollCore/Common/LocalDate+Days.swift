/// Day arithmetic on calendar dates, through the day number of the proleptic Gregorian calendar
/// (no time zones, no Foundation calendars: a business date is a date).
///
/// A `LocalDate` holds years 1…9999 only. Arithmetic that would leave that range answers nil
/// instead of trapping: a date typed by a person or sent by a device can be anything, and a trap
/// would stop the server for everybody (S1, S4).
extension LocalDate {
    /// The first day a `LocalDate` holds.
    public static let earliest = LocalDate(year: 1, month: 1, day: 1)!  // exists: year 1, January, day 1

    /// 0001-01-01 and 9999-12-31 as day numbers.
    static let dayNumbers = -719_162...2_932_896

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number; nil outside years 1…9999.
    public init?(dayNumber: Int) {
        guard Self.dayNumbers.contains(dayNumber) else { return nil }
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    /// `days` later (earlier when negative); nil when that leaves years 1…9999.
    public func adding(days: Int) -> LocalDate? {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        return overflow ? nil : LocalDate(dayNumber: sum)
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }
}
