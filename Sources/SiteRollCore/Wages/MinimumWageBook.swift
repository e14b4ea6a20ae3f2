/// The local monthly minimum wage per division and date (W15 shows it on the rights board; payroll
/// validation compares lines with it). Minimum wages change by provincial decree, and a province
/// sets tiers by county, so this is configuration, not code [I].
public struct MinimumWageBook: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var division: DivisionCode
        /// Monthly minimum wage in fen.
        public var monthlyFen: Int64
        public var effectiveFrom: LocalDate
    }

    public let entries: [Entry]

    /// Sichuan's tiers from 2022-04-01 (川府规〔2022〕 tier 1 for Chengdu's districts 2 100 元, the
    /// lowest tier 1 870 元) as the shipped default [I]: operators set their own.
    public static let sichuanDefault = "510000:1870:2022-04-01,510100:2100:2022-04-01"

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformedEntry(String)

        public var description: String {
            switch self {
            case .malformedEntry(let entry):
                "最低工资配置有误：“\(entry)”，应为 区划代码:月最低工资（元）:生效日期，例如 510100:2100:2022-04-01"
            }
        }
    }

    /// Entries separated by commas or semicolons: `division:yuanPerMonth:yyyy-MM-dd`.
    public static func parse(_ text: String) throws(ParseError) -> MinimumWageBook {
        var entries: [Entry] = []
        for raw in text.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let parts = raw.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let division = DivisionCode(parts[0]), let yuan = Int64(parts[1]), yuan > 0,
                let from = LocalDate(parts[2])
            else { throw .malformedEntry(String(raw)) }
            entries.append(Entry(division: division, monthlyFen: yuan * 100, effectiveFrom: from))
        }
        return MinimumWageBook(entries: entries)
    }

    /// The minimum for `division` on `date`: the most specific division that reaches it, and
    /// within it the latest entry in force.
    public func monthlyFen(for division: DivisionCode, on date: LocalDate) -> Int64? {
        entries.filter { $0.division.reaches(division) && $0.effectiveFrom <= date }
            .max {
                ($0.division.scopePrefix.count, $0.effectiveFrom) < ($1.division.scopePrefix.count, $1.effectiveFrom)
            }?
            .monthlyFen
    }
}
