/// What a new password must be. Government systems in Sichuan commonly require at least eight
/// characters mixing letters and digits [I]; the numbers are parameters, not law.
public struct PasswordPolicy: Sendable {
    public var minimumLength: Int
    public var maximumLength: Int

    public init(minimumLength: Int = 8, maximumLength: Int = 128) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
    }

    public enum Violation: Sendable, Equatable {
        case tooShort(minimum: Int)
        case tooLong(maximum: Int)
        case needsLetterAndDigit
    }

    public func violations(of password: String) -> [Violation] {
        var found: [Violation] = []
        if password.count < minimumLength { found.append(.tooShort(minimum: minimumLength)) }
        if password.count > maximumLength { found.append(.tooLong(maximum: maximumLength)) }
        let hasLetter = password.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        let hasDigit = password.unicodeScalars.contains { ("0"..."9").contains($0) }
        if !(hasLetter && hasDigit) { found.append(.needsLetterAndDigit) }
        return found
    }
}

extension PasswordPolicy.Violation {
    public var chineseMessage: String {
        switch self {
        case .tooShort(let minimum): "密码至少需要 \(minimum) 位"
        case .tooLong(let maximum): "密码不能超过 \(maximum) 位"
        case .needsLetterAndDigit: "密码必须同时包含字母和数字"
        }
    }
}
