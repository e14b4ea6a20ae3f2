import Foundation

/// Money as people read it: 1,234.50 (元), from an integer number of fen.
public enum Money {
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
