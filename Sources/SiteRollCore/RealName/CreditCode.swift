/// GB 32100-2015 unified social credit codes (standards.md e.2): 31 symbols without I, O, S, V, Z;
/// weights 3^(i-1) mod 31; check value (31 - sum mod 31) mod 31.
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The check character for the first 17 characters, or nil if any is outside the alphabet.
    public static func checkCharacter(forFirst17 body: String) -> Character? {
        let values = body.uppercased().compactMap { alphabet.firstIndex(of: $0) }
        guard body.count == 17, values.count == 17 else { return nil }
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return alphabet[(31 - sum % 31) % 31]
    }

    public static func isValid(_ code: String) -> Bool {
        let normalized = code.uppercased()
        guard normalized.count == 18, let check = checkCharacter(forFirst17: String(normalized.prefix(17))) else {
            return false
        }
        return normalized.last == check
    }
}
