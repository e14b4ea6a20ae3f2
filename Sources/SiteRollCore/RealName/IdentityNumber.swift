/// GB 11643-1999 citizen identity numbers (standards.md e.1): 6-digit address code, birth date,
/// 3-digit sequence (odd = male), check character from weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
public enum IdentityNumber {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character for the first 17 digits, or nil if they are not 17 digits.
    public static func checkCharacter(forFirst17 body: String) -> Character? {
        let digits = body.compactMap(\.wholeNumberValue)
        guard body.count == 17, digits.count == 17, body.allSatisfy(\.isASCII) else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// Upper-cases a trailing `x` and checks shape and check character (not the date or region).
    public static func hasValidCheckCharacter(_ number: String) -> Bool {
        let normalized = number.uppercased()
        guard normalized.count == 18, let check = checkCharacter(forFirst17: String(normalized.prefix(17))) else {
            return false
        }
        return normalized.last == check
    }
}
