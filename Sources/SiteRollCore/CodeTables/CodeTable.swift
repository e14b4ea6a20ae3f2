/// A national code table as data: string codes (leading zeros kept, standards.md c) with their Chinese
/// names, in the order the standard lists them. One type for every dictionary, so that a form's
/// options, an import's validation and a page's label all come from the same rows.
///
/// Tables whose codes drive logic also have a typed form (`Gender`); the table is then built from it.
public struct CodeTable: Sendable, Equatable {
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    /// Where the table comes from, e.g. "standards.md c.4 人员证件类型".
    public let source: String
    public let entries: [Entry]
    private let namesByCode: [String: String]

    public init(source: String, _ pairs: [(code: String, name: String)]) {
        self.source = source
        self.entries = pairs.map { Entry(code: $0.code, name: $0.name) }
        self.namesByCode = Dictionary(pairs.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    public func name(of code: String) -> String? { namesByCode[code] }

    public func contains(_ code: String) -> Bool { namesByCode[code] != nil }

    /// The code whose name is exactly `name`.
    public func code(named name: String) -> String? { entries.first { $0.name == name }?.code }

    public static func == (lhs: CodeTable, rhs: CodeTable) -> Bool {
        lhs.source == rhs.source && lhs.entries == rhs.entries
    }
}

extension CodeTable {
    /// standards.md c.4 人员证件类型 `idCardType` [C2].
    public static let idCardTypes = CodeTable(
        source: "standards.md c.4 人员证件类型",
        [
            ("01", "居民身份证"), ("02", "军官证"), ("03", "武警警官证"), ("04", "士兵证"), ("05", "军队离退休干部证"),
            ("06", "残疾人证"), ("07", "残疾军人证（1–8级）"), ("08", "护照"), ("09", "港澳同胞回乡证"),
            ("10", "港澳居民来往内地通行证"), ("11", "中华人民共和国往来港澳通行证"), ("12", "台湾居民来往大陆通行证"),
            ("13", "大陆居民往来台湾通行证"), ("14", "外交官证"), ("15", "领事馆证"), ("16", "海员证"), ("17", "香港身份证"),
        ])

    /// The `idCardType` of the second-generation resident identity card, the only type whose number
    /// `IdentityNumberValidator` understands (GB 11643).
    public static let residentIdentityCardType = "01"

    /// standards.md c.22 性别 (national platform: 0 男, 1 女; not GB/T 2261.1's 1/2 — do not mix).
    public static let genders = CodeTable(
        source: "standards.md c.22 性别", Gender.allCases.map { ($0.nationalCode, $0.chineseName) })
}
