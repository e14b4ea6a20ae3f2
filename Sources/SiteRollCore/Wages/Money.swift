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

    /// Parses yuan as people type them (1234, 1,234.5, ¥1234.56, 1234.56元) into fen; nil when it is
    /// not an amount or has more than two decimals.
    public static func fen(fromYuan text: String) -> Int64? {
        var cleaned = text.trimmingCharacters(in: .whitespaces)
        for noise in ["¥", "￥", "元", ",", "，", " "] { cleaned = cleaned.replacingOccurrences(of: noise, with: "") }
        let negative = cleaned.hasPrefix("-")
        if negative { cleaned.removeFirst() }
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 13,
            parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let whole = Int64(parts[0])
        else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard (1...2).contains(decimals.count), decimals.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return nil
            }
            cents = Int64(decimals.count == 1 ? decimals + "0" : String(decimals))!
        }
        let fen = whole * 100 + cents
        return negative ? -fen : fen
    }
}
