import Foundation

/// Date and time as people in Sichuan read them: Asia/Shanghai, 24-hour clock.
enum ChineseFormat {
    // Foundation ships the time zone database; the identifier is a constant.
    static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: "zh_CN")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
