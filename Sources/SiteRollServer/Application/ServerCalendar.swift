import SiteRollCore

/// Calendar arithmetic on dates the server derives from its own clock: this month's defaults on a
/// page, the demo's and the benchmarks' calendars, all within a few years of today. They cannot
/// leave years 1…9999, so the answer always exists. A date from a request or from a stored row
/// goes through the failable `adding` instead.
extension LocalDate {
    package func nearAdding(days: Int) -> LocalDate {
        // Today ± a few thousand days lies far inside years 1…9999.
        adding(days: days)!
    }
}

extension PayMonth {
    package func nearAdding(months: Int) -> PayMonth {
        // This month ± a few years lies far inside years 1…9999.
        adding(months: months)!
    }
}

extension Sequence<Int64> {
    /// `Money.sum`: amounts in fen added without trapping.
    var moneySum: Int64 { Money.sum(self) }
}
