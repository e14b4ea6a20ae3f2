import Foundation

/// GB 11714-1997 organisation codes (组织机构代码, standards.md e.2 inner check): eight body characters
/// and a check character. They are positions 9–17 of a unified social credit code, and the national
/// interface accepts one on its own in `corpCode` when a unit has no credit code [C2].
///
/// Letters here count A = 10 … Z = 35, unlike the credit code's 31-symbol table; weights 3 7 9 10 5 8 4 2;
/// check = 11 − (sum mod 11), where 10 is written X and 11 is written 0.
public enum OrganisationCode {
    static let weights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// The check character for eight body characters, or nil if they are not eight digits or A–Z.
    public static func checkCharacter(forFirst8 body: String) -> Character? {
        let values = body.uppercased().compactMap(value(of:))
        guard body.count == 8, values.count == 8 else { return nil }
        let remainder = 11 - zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11
        switch remainder {
        case 10: return "X"
        case 11: return "0"
        default: return Character(String(remainder))
        }
    }

    /// Trimmed, upper-cased, and without the hyphen the certificates print (`M000100Y-4` → `M000100Y4`).
    public static func normalized(_ code: String) -> String {
        var text = Array(code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased())
        if text.count == 10 && text[8] == "-" { text.remove(at: 8) }
        return String(text)
    }

    /// Whether `code` (in either written form) is a well-formed organisation code with the right check.
    public static func isValid(_ code: String) -> Bool {
        let text = normalized(code)
        guard text.count == 9, let check = checkCharacter(forFirst8: String(text.prefix(8))) else { return false }
        return text.last == check
    }

    private static func value(of character: Character) -> Int? {
        guard character.isASCII else { return nil }
        if let digit = character.wholeNumberValue { return digit }
        guard let ascii = character.asciiValue, (65...90).contains(ascii) else { return nil }
        return Int(ascii) - 55
    }
}
