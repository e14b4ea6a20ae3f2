import Foundation

/// Money as people read it: 1,234.50 (元), from an integer number of fen.
///
/// Every amount a person or a system enters is refused beyond `limitFen`, and every wage line
/// beyond `lineLimitFen`, so sums of real amounts stay far inside Int64. Sums still go through
/// `sum`, which cannot trap: an amount stored before these limits existed must not stop the
/// server for everybody when a page adds it up (S1).
public enum Money {
    /// ¥10,000,000,000: more than any transfer, balance or payroll of one project.
    public static let limitFen: Int64 = 1_000_000_000_000
    /// ¥1,000,000: more than any worker earns in a month on one project.
    public static let lineLimitFen: Int64 = 100_000_000

    /// The sum, or nil when it leaves Int64.
    public static func checkedSum(_ amounts: some Sequence<Int64>) -> Int64? {
        var total: Int64 = 0
        for amount in amounts {
            let (next, overflow) = total.addingReportingOverflow(amount)
            if overflow { return nil }
            total = next
        }
        return total
    }

    /// The sum, held at Int64's bounds instead of trapping (see above: only an amount stored
    /// before the limits can get there, and a page then shows a figure nobody can mistake).
    public static func sum(_ amounts: some Sequence<Int64>) -> Int64 {
        var total: Int64 = 0
        for amount in amounts {
            let (next, overflow) = total.addingReportingOverflow(amount)
            if overflow { return amount < 0 ? .min : .max }
            total = next
        }
        return total
    }

    /// `a - b` held at Int64's bounds.
    public static func difference(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? .max : .min) : value
    }

    /// `value × percent / 100` held at Int64's bounds.
    public static func percent(_ value: Int64, _ percent: Int) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: Int64(percent))
        return overflow ? ((value < 0) != (percent < 0) ? .min : .max) : product / 100
    }

    /// An amount typed by a person → fen, exactly (no floating point): `350`, `350.5`, `1,234.50`.
    /// `unit` is the yuan per unit typed (10 000 for 万元, which then takes up to six decimals).
    /// nil for anything else: a sign, full-width digits, more decimals, or more than `limit`.
    public static func fen(fromYuan text: String, unit: Int64 = 1, limit: Int64 = limitFen) -> Int64? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...15).contains(parts[0].count), isDigits(parts[0]),
            let whole = Int64(parts[0]), unit > 0, unit <= 1_000_000
        else { return nil }
        let (perUnit, overflowUnit) = whole.multipliedReportingOverflow(by: unit)
        let (scaled, overflow) = perUnit.multipliedReportingOverflow(by: 100)
        guard !overflowUnit, !overflow else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let decimals = parts[1]
            let allowed = unit == 1 ? 2 : 6
            guard (1...allowed).contains(decimals.count), isDigits(decimals), var value = Int64(decimals) else {
                return nil
            }
            for _ in decimals.count..<allowed { value *= 10 }
            // value < 10^allowed, unit ≤ 10^6: the product stays below 10^14.
            fraction = unit == 1 ? value : value * unit * 100 / 1_000_000
        }
        guard scaled <= limit - fraction else { return nil }
        return scaled + fraction
    }

    private static func isDigits(_ text: Substring) -> Bool { text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }

    public static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let value = fen.magnitude
        let whole = value / 100
        let cents = value % 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        return "\(sign)\(digits)\(grouped).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// For form fields and exports: 350.00 without grouping.
    public static func plain(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let value = fen.magnitude
        return "\(sign)\(value / 100).\(value % 100 < 10 ? "0" : "")\(value % 100)"
    }
}
