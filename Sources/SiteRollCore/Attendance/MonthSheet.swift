/// A month's attendance as the 考勤表 shows it: one row per key (a worker, or a team when the caller groups
/// by team), one column per day, man-days in the cells. It is what the wage table is checked against.
public struct MonthSheet: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The caller's row key, e.g. a worker id.
        public var key: String
        /// Man-days per day: index 0 is day 1, and there is one entry for every day of the month.
        public var days: [Double]
        public var total: Double
        /// Days with any man-days.
        public var daysPresent: Int

        public init(key: String, days: [Double], total: Double, daysPresent: Int) {
            self.key = key
            self.days = days
            self.total = total
            self.daysPresent = daysPresent
        }
    }

    public var year: Int
    public var month: Int
    /// Sorted by key.
    public var rows: [Row]

    public init(year: Int, month: Int, rows: [Row]) {
        self.year = year
        self.month = month
        self.rows = rows
    }

    /// The number of days in the month; 0 for a month that does not exist.
    public var daysInMonth: Int { MonthSheet.dayCount(year: year, month: month) }

    /// Builds the sheet from day summaries per key. Summaries outside the month are ignored; several
    /// summaries of one key on one day add up (a team row). Every key gets a row, also one without any
    /// attendance in the month, so that a worker on the roster shows up with zeros.
    public static func build(year: Int, month: Int, summaries: [String: [AttendanceDaySummary]]) -> MonthSheet {
        let dayCount = dayCount(year: year, month: month)
        let rows = summaries.keys.sorted().map { key in
            var days = [Double](repeating: 0, count: dayCount)
            for summary in summaries[key] ?? []
            where summary.date.year == year && summary.date.month == month && summary.date.day <= dayCount {
                days[summary.date.day - 1] += summary.manDays
            }
            return Row(key: key, days: days, total: days.reduce(0, +), daysPresent: days.count { $0 > 0 })
        }
        return MonthSheet(year: year, month: month, rows: rows)
    }

    static func dayCount(year: Int, month: Int) -> Int {
        guard (1...9999).contains(year), (1...12).contains(month) else { return 0 }
        return LocalDate.daysInMonth(month, year: year)
    }
}
