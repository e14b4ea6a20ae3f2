import Foundation

/// The validity period printed on the back of a resident identity card (有效期限), e.g.
/// `2015.03.12-2035.03.12` or `2015.03.12-长期`. Issue 3 item 2: an expired card is refused.
public struct IdentityCardValidity: Sendable, Hashable {
    public var start: LocalDate
    /// nil = 长期 (long-term).
    public var end: LocalDate?

    public init(start: LocalDate, end: LocalDate?) {
        self.start = start
        self.end = end
    }

    public var isLongTerm: Bool { end == nil }

    /// The period in the form the card prints it, e.g. `2015.03.12-长期`.
    public var printed: String {
        func dotted(_ date: LocalDate) -> String { date.description.replacingOccurrences(of: "-", with: ".") }
        return dotted(start) + "-" + (end.map(dotted) ?? "长期")
    }

    /// Reads the forms people and card readers produce: `2015.03.12-2035.03.12`,
    /// `2015-03-12至2035-03-12`, `20150312-20350312`, `2015/3/12~2035/3/12`, `2015年03月12日-长期`, with
    /// full-width punctuation tolerated. Nil when it is not two dates (or a date and 长期).
    /// Does not judge the order or the expiry: `IdentityCardValidityCheck` does.
    public init?(parsing text: String) {
        var normalized = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for (wide, narrow) in Self.punctuation { normalized = normalized.replacingOccurrences(of: wide, with: narrow) }
        normalized = normalized.replacingOccurrences(of: " ", with: "")
        guard let (startText, endText) = Self.halves(of: normalized), let start = Self.date(startText) else {
            return nil
        }
        if Self.longTermWords.contains(endText) {
            self.init(start: start, end: nil)
        } else if let end = Self.date(endText) {
            self.init(start: start, end: end)
        } else {
            return nil
        }
    }

    private static let longTermWords: Set<String> = ["长期", "长期有效"]

    private static let punctuation: [(String, String)] = [
        ("年", "."), ("月", "."), ("日", ""), ("．", "."), ("。", "."), ("／", "/"), ("－", "-"), ("—", "-"),
        ("–", "-"), ("～", "~"), ("到", "~"), ("至", "~"),
    ]

    /// Splits at the range mark: `~` (from 至, 到, ～) when present; otherwise `-`, which may also
    /// separate the date parts (`2015-03-12-2035-03-12`), so the number of pieces decides.
    private static func halves(of text: String) -> (String, String)? {
        let tilde = text.split(separator: "~", omittingEmptySubsequences: false)
        if tilde.count == 2 { return (String(tilde[0]), String(tilde[1])) }
        guard tilde.count == 1 else { return nil }
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        switch pieces.count {
        case 2: return (pieces[0], pieces[1])
        case 4 where longTermWords.contains(pieces[3]): return (pieces[0...2].joined(separator: "-"), pieces[3])
        case 6: return (pieces[0...2].joined(separator: "-"), pieces[3...5].joined(separator: "-"))
        default: return nil
        }
    }

    /// `yyyyMMdd`, or year, month and day separated by `.`, `/` or `-` (month and day may have one digit).
    private static func date(_ text: String) -> LocalDate? {
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        if trimmed.utf8.count == 8, let date = LocalDate(compact: trimmed) { return date }
        let parts = trimmed.split(omittingEmptySubsequences: false) { $0 == "." || $0 == "/" || $0 == "-" }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            let year = LocalDate.asciiNumber(parts[0]), let month = LocalDate.asciiNumber(parts[1]),
            let day = LocalDate.asciiNumber(parts[2])
        else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}
