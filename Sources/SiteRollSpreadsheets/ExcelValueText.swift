import Foundation

/// Turns the raw values an .xlsx stores (`<v>` text) into the text a person saw in the cell, as far as
/// a roster needs: whole numbers without ".0", dates as `yyyy-MM-dd`, booleans as Excel shows them.
enum ExcelValueText {
    /// A number cell. Excel keeps 15 significant digits: whole numbers below 10^15 (phone numbers, worker
    /// counts, 6-digit division codes) come back exactly. A longer digit string that Excel turned into a
    /// number, such as an ID number typed into a cell not formatted as text, is stored as
    /// `5.10104198503121E+17` and its last digits are gone; it is returned as written so that the identity
    /// check rejects it rather than accepting a number that was never on the card.
    static func number(_ raw: String) -> String {
        let written = raw.trimmingCharacters(in: .whitespaces)
        if isPlainInteger(written) { return written }
        guard let value = Double(written), value.isFinite else { return written }
        guard abs(value) < 1e15 else { return written }
        if value == value.rounded(.towardZero) { return String(Int64(value)) }
        // Fractions as Excel's General format shows them: 15 significant digits (0.1 + 0.2 is "0.3").
        let shown = String(format: "%.15g", value)
        return shown.contains("e") ? written : shown
    }

    /// A number cell whose format is a date, date-time or time. Nil when the serial is no real date
    /// (negative, past 9999-12-31, or 1900-02-29, which Excel counts to stay compatible with Lotus 1-2-3).
    static func dateTime(serial raw: String, kind: NumberFormatKind, date1904: Bool) -> String? {
        guard let serial = Double(raw.trimmingCharacters(in: .whitespaces)), serial.isFinite, serial >= 0,
            serial < 2_958_466
        else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds == 86_400 {
            days += 1
            seconds = 0
        }
        let time =
            String(format: "%02d:%02d", seconds / 3600, seconds / 60 % 60)
            + (seconds % 60 == 0 ? "" : String(format: ":%02d", seconds % 60))
        if kind == .time { return time }
        guard let date = calendarDate(serialDay: days, date1904: date1904) else { return nil }
        return kind == .dateTime && seconds != 0 ? "\(date) \(time)" : date.description
    }

    /// Excel's day numbers. 1900 system: day 1 is 1900-01-01 and day 60 is the non-existent 1900-02-29,
    /// so from day 61 on the count runs from 1899-12-30. 1904 system (old Mac workbooks): day 0 is 1904-01-01.
    static func calendarDate(serialDay: Int, date1904: Bool) -> CalendarDay? {
        let daysSince1970: Int
        if date1904 {
            daysSince1970 = serialDay - 24_107
        } else if serialDay >= 61 {
            daysSince1970 = serialDay - 25_569
        } else if serialDay >= 1, serialDay < 60 {
            daysSince1970 = serialDay - 25_568
        } else {
            return nil
        }
        return CalendarDay(dayNumber: daysSince1970)
    }

    /// A boolean cell: Excel shows TRUE and FALSE in every language edition, Chinese included.
    static func boolean(_ raw: String) -> String {
        switch raw.trimmingCharacters(in: .whitespaces) {
        case "1", "true": "TRUE"
        case "0", "false": "FALSE"
        case let other: other
        }
    }

    /// A `t="d"` cell (ISO 8601, written by some generators, never by Excel itself): the date alone at midnight.
    static func isoDate(_ raw: String) -> String {
        let written = raw.trimmingCharacters(in: .whitespaces)
        let date = written.prefix(10)
        guard CalendarDay(date) != nil else { return written }
        let rest = written.dropFirst(10)
        let midnight =
            rest.isEmpty || rest.hasPrefix("T00:00:00") && rest.dropFirst(9).allSatisfy { "0.Z".contains($0) }
        return midnight ? String(date) : written.replacing("T", with: " ")
    }

    /// Shared strings escape characters XML cannot hold as `_xHHHH_` (ECMA-376 Part 1, 22.9.2.19), and a
    /// literal `_x` as `_x005F_x`.
    static func unescapingXString(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "_x") {
            result += rest[..<start.lowerBound]
            let candidate = rest[start.upperBound...]
            let hex = candidate.prefix(4)
            if hex.count == 4, candidate.dropFirst(4).first == "_", let code = UInt32(hex, radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                result.unicodeScalars.append(scalar)
                rest = candidate.dropFirst(5)
            } else {
                result += "_x"
                rest = candidate
            }
        }
        return result + rest
    }

    private static func isPlainInteger(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
