import Foundation

/// Numbers inside the Chinese messages of attendance, rounded the way a person would say them. The input is
/// partly the phone's and so untrusted: nothing here traps on a huge or non-finite value.
enum AttendanceText {
    /// At most `fractionDigits` decimals, without trailing zeros: "2.5", "3", "0.25".
    static func number(_ value: Double, fractionDigits: Int = 1) -> String {
        guard value.isFinite else { return "—" }
        guard abs(value) < 1e15 else { return String(format: "%.3g", value) }
        let digits = min(max(fractionDigits, 0), 6)
        let scale = pow(10, Double(digits))
        var rounded = (value * scale).rounded() / scale
        if rounded == 0 { rounded = 0 }  // no "-0"
        var text = String(format: "%.\(digits)f", rounded)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// "350 米" below a kilometre, "35.2 公里" from there.
    static func distance(_ metres: Double) -> String {
        guard metres.isFinite else { return "—" }
        if abs(metres).rounded() < 1000 { return "\(number(metres, fractionDigits: 0)) 米" }
        return "\(number(metres / 1000)) 公里"
    }

    /// "30 秒", "5 分 1 秒", "2 小时 30 分", "80 小时": the magnitude of `seconds`, precise enough that a value
    /// just over a limit does not read like the limit itself.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "—" }
        let magnitude = abs(seconds)
        if magnitude < 59.95 { return "\(number(magnitude)) 秒" }
        if magnitude < 3599.5 {
            let (minutes, rest) = Int(magnitude.rounded()).quotientAndRemainder(dividingBy: 60)
            return rest == 0 ? "\(minutes) 分钟" : "\(minutes) 分 \(rest) 秒"
        }
        guard magnitude < 1e12 else { return "\(number(magnitude / 3600)) 小时" }
        let (hours, rest) = Int((magnitude / 60).rounded()).quotientAndRemainder(dividingBy: 60)
        return rest == 0 ? "\(hours) 小时" : "\(hours) 小时 \(rest) 分"
    }

    /// A coordinate pair with the seven decimals that `PunchPlausibility` compares.
    static func coordinates(_ point: GeoPoint) -> String {
        String(format: "%.7f, %.7f", point.latitude, point.longitude)
    }

    /// The first characters of a device id, enough to tell two phones apart on a review page. Anything but
    /// ASCII letters, digits, "-" and "_" is replaced, since the id comes from the phone.
    static func deviceID(_ id: String) -> String {
        guard !id.isEmpty else { return "（空）" }
        let shown = id.unicodeScalars.prefix(8).map { scalar -> Character in
            let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
            return allowed || scalar == "-" || scalar == "_" ? Character(scalar) : "?"
        }
        return String(shown) + (id.unicodeScalars.count > 8 ? "…" : "")
    }
}
