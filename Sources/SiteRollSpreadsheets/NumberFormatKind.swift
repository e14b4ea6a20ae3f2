/// What a cell's number format says about the number: shown as it is, or as a date and/or a time of day.
/// Only this distinction matters for import; currency, percent and the like are read as plain numbers.
enum NumberFormatKind: Sendable, Equatable {
    case general
    case date
    case dateTime
    case time

    /// The kind of a built-in format (ECMA-376 Part 1, 18.8.30). 27–36 and 50–58 are not listed for
    /// English but are date and time formats in every East Asian locale, and Chinese Excel writes them
    /// (31 is `yyyy"年"m"月"d"日"`, 32 is `h"时"mm"分"`).
    init(builtInID id: Int) {
        switch id {
        case 14...17, 27...31, 36, 50...54, 57, 58: self = .date
        case 22: self = .dateTime
        case 18...21, 32...35, 45...47, 55, 56: self = .time
        default: self = .general
        }
    }

    /// The kind of a custom format code such as `yyyy/m/d;@`, `[$-804]yyyy"年"m"月"d"日"` or `0.00_ `.
    /// Only the first section (positive numbers) counts; quoted text, escaped characters and colour or
    /// locale brackets are ignored, but elapsed-time brackets (`[h]`, `[mm]`) are time.
    init(formatCode: String) {
        var hasYearOrDay = false
        var hasHourOrSecond = false
        var hasMonthOrMinute = false
        var characters = formatCode.lowercased().replacing("general", with: "").makeIterator()
        scan: while let character = characters.next() {
            switch character {
            case ";":
                break scan
            case "\"":
                while let quoted = characters.next(), quoted != "\"" {}
            case "\\", "_", "*":
                _ = characters.next()
            case "[":
                var bracket = ""
                while let inner = characters.next(), inner != "]" { bracket.append(inner) }
                if !bracket.isEmpty, bracket.allSatisfy({ "hms".contains($0) }) { hasHourOrSecond = true }
            case "y", "d":
                hasYearOrDay = true
            case "h", "s":
                hasHourOrSecond = true
            case "m":
                hasMonthOrMinute = true
            default:
                continue
            }
        }
        // "m" is a month unless the format has hours or seconds and no year or day ("mm:ss", "h:mm").
        if hasYearOrDay {
            self = hasHourOrSecond ? .dateTime : .date
        } else if hasHourOrSecond {
            self = .time
        } else {
            self = hasMonthOrMinute ? .date : .general
        }
    }
}
