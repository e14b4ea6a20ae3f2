import Foundation
import SiteRollCore

/// The ranges a date, month, time or instant sent in a request must lie in (S1). `LocalDate` and
/// `PayMonth` hold years up to 9999, and day arithmetic near those ends has no answer; no business
/// date of a construction site lies outside these bounds, so a value beyond them is a typing
/// error, refused with a message that says so.
enum RequestBounds {
    /// Birth dates, contract dates, attendance days, certificates.
    static let years = 1900...2100
    /// Pay months: SiteRoll's payrolls start long after 2000.
    static let monthYears = 2000...2100
    /// Instants sent by phones and devices.
    static let instantYears = 2000...2100

    /// `yyyy-MM-dd`, also `yyyy/M/d`, `yyyy.M.d` and `yyyy年M月d日` as people type them.
    static func date(_ text: String) -> LocalDate? {
        let normalized = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "/", with: "-")
            .replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "年", with: "-")
            .replacingOccurrences(of: "月", with: "-").replacingOccurrences(of: "日", with: "")
        let parts = normalized.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count),
            (1...2).contains(parts[2].count), parts.allSatisfy(isDigits),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), years.contains(year)
        else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    static func dateError(_ label: String, name: String? = nil) -> AppError {
        AppError(
            .badRequest, code: "DATE_INVALID",
            message: "\(label)应为 \(years.lowerBound) 年到 \(years.upperBound) 年之间的日期，格式 年-月-日，例如 2026-03-01")
    }

    /// `yyyy-MM` (also `yyyy-M`, `yyyy/MM`).
    static func month(_ text: String) -> PayMonth? {
        guard let month = PayMonth(text), monthYears.contains(month.year) else { return nil }
        return month
    }

    static func monthError(_ label: String, name: String? = nil) -> AppError {
        AppError(
            .badRequest, code: "MONTH_INVALID",
            message: "\(label)应为 \(monthYears.lowerBound) 年到 \(monthYears.upperBound) 年之间的月份，格式 年-月，例如 2026-03")
    }

    /// `HH:mm` (also `H:mm`, `HH:mm:ss`) on a 24-hour clock: minutes after midnight.
    static func timeOfDay(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && isDigits($0) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        if parts.count == 3 { guard let second = Int(parts[2]), (0...59).contains(second) else { return nil } }
        return hour * 60 + minute
    }

    /// An ISO 8601 instant (`2026-03-01T07:58:00+08:00`, with or without fractional seconds).
    static func instant(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 40 else { return nil }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = fractional.date(from: trimmed) ?? ISO8601DateFormatter().date(from: trimmed),
            let day = LocalDate(date, in: ChineseFormat.timeZone), instantYears.contains(day.year)
        else { return nil }
        return date
    }

    static let controlCharacter = AppError(
        .badRequest, code: "CONTROL_CHARACTER", message: "提交的内容含有空字符（\\0）等无法保存的控制字符，请删除后重新提交")

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
