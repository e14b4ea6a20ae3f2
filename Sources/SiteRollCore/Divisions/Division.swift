/// One administrative division of GB/T 2260: six digits, two each for province, prefecture and county.
public struct Division: Sendable, Hashable, Codable {
    public var code: DivisionCode
    public var name: String
    public var level: DivisionLevel
    public var parentCode: DivisionCode?

    public init(code: DivisionCode, name: String, level: DivisionLevel, parentCode: DivisionCode?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }
}

public enum DivisionLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case province
    case city
    case county

    /// The word a person reads on a page.
    public var chineseName: String {
        switch self {
        case .province: "省级"
        case .city: "市级"
        case .county: "区县级"
        }
    }
}

/// A six-digit GB/T 2260 code. Regulators' reach is a code prefix (DESIGN.md, data conventions):
/// 510000 reaches every code starting with 51, 510100 every code starting with 5101, 510104 itself.
public struct DivisionCode: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, RawRepresentable {
    public let rawValue: String

    /// 四川省, the province the guideline is for and the default platform division.
    public static let sichuan = DivisionCode(unchecked: "510000")

    private init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// Accepts exactly six ASCII digits; anything else is not a division code.
    public init?(_ text: String) {
        guard text.utf8.count == 6, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        self.rawValue = text
    }

    public init?(rawValue: String) { self.init(rawValue) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = DivisionCode(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a division code"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: DivisionCode, rhs: DivisionCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level the code's shape implies: xx0000 province, xxxx00 prefecture, otherwise county.
    public var impliedLevel: DivisionLevel {
        if rawValue.hasSuffix("0000") { return .province }
        if rawValue.hasSuffix("00") { return .city }
        return .county
    }

    /// The prefix every code within this division's reach starts with.
    public var scopePrefix: String {
        switch impliedLevel {
        case .province: String(rawValue.prefix(2))
        case .city: String(rawValue.prefix(4))
        case .county: rawValue
        }
    }

    /// Whether `other` is this division or lies beneath it.
    public func reaches(_ other: DivisionCode) -> Bool {
        other.rawValue.hasPrefix(scopePrefix)
    }
}
