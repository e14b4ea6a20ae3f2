/// When a month's wages are due (W2, W3, d.3): the agreed day of the following month, moved
/// earlier to the last working day when it falls on a rest day or a holiday. A pay day past the
/// end of a short month is that month's last day. Holidays are configuration (the State Council
/// publishes them each December) [I].
public struct PayDayRule: Sendable, Equatable {
    /// Day of the month after the pay month, 1…31 (Chengdu: the 10th).
    public var day: Int
    /// Public holidays on which no wages are paid, and make-up working days (调休上班) on a weekend.
    public var holidays: Set<LocalDate>
    public var workingWeekendDays: Set<LocalDate>

    public init(day: Int = 10, holidays: Set<LocalDate> = [], workingWeekendDays: Set<LocalDate> = []) {
        self.day = min(max(day, 1), 31)
        self.holidays = holidays
        self.workingWeekendDays = workingWeekendDays
    }

    /// The date by which `month`'s wages must be in the workers' accounts.
    /// nil only for December 9999, whose next month the calendar does not hold.
    public func dueDate(for month: PayMonth) -> LocalDate? {
        guard let next = month.adding(months: 1),
            var date = LocalDate(year: next.year, month: next.month, day: min(day, next.dayCount))
        else { return nil }
        // Earlier, never later (W3); a month of holidays is not possible, but the loop is bounded.
        for _ in 0..<31 where !isWorkingDay(date) {
            guard let earlier = date.adding(days: -1) else { break }
            date = earlier
        }
        return date
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if holidays.contains(date) { return false }
        if workingWeekendDays.contains(date) { return true }
        return !date.isWeekend
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformedDate(String)
        public var description: String {
            switch self {
            case .malformedDate(let text): "节假日配置有误：“\(text)”不是 yyyy-MM-dd 格式的日期"
            }
        }
    }

    /// Dates separated by commas, semicolons or spaces.
    public static func parseDates(_ text: String) throws(ParseError) -> Set<LocalDate> {
        var dates: Set<LocalDate> = []
        for raw in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " || $0 == "\n" }) {
            guard let date = LocalDate(String(raw)) else { throw .malformedDate(String(raw)) }
            dates.insert(date)
        }
        return dates
    }
}

extension LocalDate {
    /// Saturday or Sunday.
    public var isWeekend: Bool {
        // 1970-01-01 (day number 0) was a Thursday.
        let weekday = ((dayNumber % 7) + 7 + 4) % 7  // 0 = Sunday
        return weekday == 0 || weekday == 6
    }
}
