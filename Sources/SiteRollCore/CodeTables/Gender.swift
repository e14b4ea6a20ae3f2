/// Gender as the national platform codes it (standards.md c.22: 0 男, 1 女) and as an identity number
/// encodes it (GB 11643, standards.md e.1: the 17th digit is odd for men, even for women).
public enum Gender: String, Sendable, Hashable, Codable, CaseIterable {
    case male
    case female

    /// The national platform's code. Some provincial clones use GB/T 2261.1 (1 男, 2 女); SiteRoll never does.
    public var nationalCode: String {
        switch self {
        case .male: "0"
        case .female: "1"
        }
    }

    /// As printed on the ID card and shown on pages.
    public var chineseName: String {
        switch self {
        case .male: "男"
        case .female: "女"
        }
    }

    public init?(nationalCode: String) {
        guard let gender = Gender.allCases.first(where: { $0.nationalCode == nationalCode }) else { return nil }
        self = gender
    }

    public init?(chineseName: String) {
        guard let gender = Gender.allCases.first(where: { $0.chineseName == chineseName }) else { return nil }
        self = gender
    }

    /// From the 17th digit of an identity number (the last digit of the sequence number).
    public init(sequenceDigit: Int) {
        self = sequenceDigit % 2 == 1 ? .male : .female
    }
}
