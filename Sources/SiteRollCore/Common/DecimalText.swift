import Foundation

/// A decimal number as a person types it into a form field or a device sends it as text: ASCII
/// digits with at most one point and, where allowed, a leading minus. `Double(text)` would also
/// take `nan`, `inf`, `1e308` and hexadecimal, and a NaN or an infinity reaching an `Int64(…)`
/// conversion stops the server (S1); this takes none of them, and only values within `range`.
public enum DecimalText {
    public static func parse(
        _ text: some StringProtocol, in range: ClosedRange<Double>, maxFractionDigits: Int = 6
    ) -> Double? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...12).contains(parts[0].count), isDigits(parts[0]),
            parts.count == 1 || ((1...maxFractionDigits).contains(parts[1].count) && isDigits(parts[1])),
            let magnitude = Double(digits)
        else { return nil }
        let value = negative ? -magnitude : magnitude
        return value.isFinite && range.contains(value) ? value : nil
    }

    /// The number as people read it: "1000000", "0.5" (no exponent, no trailing zeros).
    public static func text(_ value: Double) -> String { AttendanceText.number(value, fractionDigits: 6) }

    private static func isDigits(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
