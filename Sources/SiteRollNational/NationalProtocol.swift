import Foundation

/// The national interface's answer codes (reference b.4): `code` is a JSON number (one deployed
/// client parses it with `Integer.parseInt`).
public enum NationalCode: Int, Sendable, CaseIterable, Codable {
    case success = 0
    case invalidParameters = -1
    case signatureFailed = -2
    case notPermitted = -3
    case addressRefused = -4
    case rateLimited = -5
    case otherError = 9999
}

/// The status of an asynchronous write (reference c.24).
public enum NationalAsyncStatus: Int, Sendable, Codable {
    case waiting = 0
    case failed = 10
    case succeeded = 20
}

/// The national timestamp `yyyyMMddHHmmss`, read in Beijing time (reference b.1, b.4a).
public enum NationalTimestamp {
    public static let timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// The instant, or nil when the text is not exactly fourteen digits of a real moment.
    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count == 14, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let digits = Array(text.utf8).map { Int($0) - 48 }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        var parts = DateComponents()
        parts.year = number(0..<4)
        parts.month = number(4..<6)
        parts.day = number(6..<8)
        parts.hour = number(8..<10)
        parts.minute = number(10..<12)
        parts.second = number(12..<14)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let year = parts.year, (2000...2100).contains(year), parts.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: parts)
    }

    /// `date` as the interface writes it.
    public static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02d%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }
}

/// A write's serial in the national pattern `object-action-yyyyMMddHH-n-sequence`, e.g.
/// `projectworker-add-2019031414-1-2710` (reference b.4).
public enum NationalSerial {
    /// `method` is `ProjectWorker.Add`; `node` tells the processes apart; `sequence` is the
    /// running number that makes the serial unique.
    public static func make(method: String, at date: Date, node: Int, sequence: Int) -> String {
        let parts = method.lowercased().split(separator: ".")
        let object = parts.first.map(String.init) ?? "request"
        let action = parts.count > 1 ? String(parts[1]) : "call"
        return "\(object)-\(action)-\(NationalTimestamp.format(date).prefix(10))-\(node)-\(sequence)"
    }
}
