import Foundation

/// The forms an identity number takes outside validation: the legacy 15-digit number and the masked
/// text shown on screens, exports and logs.
extension IdentityNumber {
    /// The 18-character number for a legacy 15-digit one (GB 11643 replaced GB 11643-1989 in 1999):
    /// insert "19" before the two-digit birth year and append the check character (standards.md e.1).
    /// Every 15-digit number was issued before 2000, so its people were born in the 1900s. Nil when
    /// `legacy` is not 15 ASCII digits.
    public static func upgradedLegacyNumber(_ legacy: String) -> String? {
        guard legacy.utf8.count == 15, legacy.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let body = legacy.prefix(6) + "19" + legacy.dropFirst(6)
        guard let check = checkCharacter(forFirst17: String(body)) else { return nil }
        return String(body) + String(check)
    }

    /// `510104********1234`: the address code and the last four characters, the eight in between (birth
    /// date and sequence) hidden. S2 and issue 3 item 5: every list, export, log line and error shows this
    /// form. Input is trimmed and upper-cased first; a 15-digit number keeps the same shape with five
    /// stars. Anything shorter than 15 characters is not a number worth half-showing: all stars.
    public static func masked(_ number: String) -> String {
        let text = Array(number.trimmingCharacters(in: .whitespacesAndNewlines).uppercased())
        guard text.count >= 15 else { return String(repeating: "*", count: text.count) }
        return String(text.prefix(6)) + String(repeating: "*", count: text.count - 10) + String(text.suffix(4))
    }
}
