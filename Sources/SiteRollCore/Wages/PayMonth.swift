import Foundation

/// A pay month (`yyyy-MM`, the national `payMonth`): the month whose work a payroll pays for.
public struct PayMonth: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int

    /// A month of years 2000…9999 (SiteRoll's payrolls start long after 2000); a request's month
    /// goes through the narrower bounds of the server's parsers.
    public init?(year: Int, month: Int) {
        guard (2000...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `yyyy-MM` (also `yyyy-M` and `yyyy/MM`, as people type them).
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "-" || $0 == "/" })
        guard parts.count == 2, parts[0].count == 4, (1...2).contains(parts[1].count), let year = Int(parts[0]),
            let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    public init(containing date: LocalDate) {
        year = date.year
        month = date.month
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    /// 2026年10月
    public var chinese: String { "\(year)年\(month)月" }

    // Both exist: a PayMonth's year is one of a LocalDate's (1…9999) and its month 1…12.
    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var lastDay: LocalDate { LocalDate(year: year, month: month, day: dayCount)! }
    public var dayCount: Int { LocalDate.daysInMonth(month, year: year) }

    /// `months` later (earlier when negative); nil when that leaves years 1…9999.
    public func adding(months: Int) -> PayMonth? {
        let (index, overflow) = (year * 12 + (month - 1)).addingReportingOverflow(months)
        guard !overflow, index >= 12 else { return nil }
        let (targetYear, targetMonth) = (index / 12, index % 12 + 1)
        guard targetYear <= 9999 else { return nil }
        return PayMonth(unchecked: targetYear, month: targetMonth)
    }

    /// Months from `self` to `other` (negative when `other` is earlier).
    public func months(until other: PayMonth) -> Int { (other.year - year) * 12 + other.month - month }

    private init(unchecked year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public static func < (lhs: PayMonth, rhs: PayMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let month = PayMonth(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "yyyy-MM"))
        }
        self = month
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
