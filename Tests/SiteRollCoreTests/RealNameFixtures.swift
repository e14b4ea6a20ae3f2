@testable import SiteRollCore

/// Shared by the real-name tests: the national table is loaded once, and "today" is a fixed day so
/// that ages and expiry do not drift with the calendar.
enum RealNameFixtures {
    static let divisions = try! NationalDivisionTable.bundled()
    static let today = LocalDate(year: 2026, month: 5, day: 20)!

    static func date(_ text: String) -> LocalDate { LocalDate(text)! }
}
