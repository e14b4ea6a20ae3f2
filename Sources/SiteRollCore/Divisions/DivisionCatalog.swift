import Foundation

/// The division table as data (GB/T 2260, see Resources/DIVISIONS-SOURCE.md), indexed for lookups.
/// Loaded once; the table is versioned with the code so that a county list is never hard-coded.
public struct DivisionCatalog: Sendable {
    public let divisions: [Division]
    private let byCode: [DivisionCode: Division]
    private let childrenByParent: [DivisionCode: [Division]]

    public init(divisions: [Division]) {
        self.divisions = divisions.sorted { $0.code < $1.code }
        self.byCode = Dictionary(divisions.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.childrenByParent = Dictionary(grouping: self.divisions.filter { $0.parentCode != nil }) {
            $0.parentCode ?? $0.code  // only divisions with a parent are grouped
        }
    }

    public func division(_ code: DivisionCode) -> Division? { byCode[code] }

    public func children(of code: DivisionCode) -> [Division] { childrenByParent[code] ?? [] }

    public var provinces: [Division] { divisions.filter { $0.level == .province } }

    /// The chain from the province down to `code`, inclusive; empty when the code is unknown.
    public func path(to code: DivisionCode) -> [Division] {
        var chain: [Division] = []
        var next = byCode[code]
        while let division = next {
            chain.insert(division, at: 0)
            next = division.parentCode.flatMap { byCode[$0] }
        }
        return chain
    }

    /// "四川省 / 成都市 / 锦江区"; the bare code when unknown.
    public func fullName(of code: DivisionCode) -> String {
        let chain = path(to: code)
        return chain.isEmpty ? code.rawValue : chain.map(\.name).joined(separator: " / ")
    }

    /// Every division within `code`'s reach, the division itself first.
    public func descendants(of code: DivisionCode) -> [Division] {
        divisions.filter { code.reaches($0.code) }
    }
}

extension DivisionCatalog {
    public enum LoadError: Error, Equatable {
        case missingResource(String)
        case malformedLine(number: Int, line: String)
        case unknownParent(code: String, parent: String)
    }

    /// Parses the tab-separated table: `code name level parent`, `#` comments, one header line.
    public static func parse(tsv text: String) throws(LoadError) -> DivisionCatalog {
        var divisions: [Division] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("code\t") { continue }
            let fields = rawLine.split(separator: "\t", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard fields.count >= 3, let code = DivisionCode(fields[0]), let level = DivisionLevel(rawValue: fields[2]),
                !fields[1].isEmpty
            else { throw .malformedLine(number: index + 1, line: line) }
            let parentText = fields.count > 3 ? fields[3] : ""
            let parent = parentText.isEmpty ? nil : DivisionCode(parentText)
            if !parentText.isEmpty && parent == nil { throw .malformedLine(number: index + 1, line: line) }
            divisions.append(Division(code: code, name: fields[1], level: level, parentCode: parent))
        }
        let catalog = DivisionCatalog(divisions: divisions)
        for division in divisions {
            if let parent = division.parentCode, catalog.division(parent) == nil {
                throw .unknownParent(code: division.code.rawValue, parent: parent.rawValue)
            }
        }
        return catalog
    }

    /// The Sichuan table shipped with SiteRoll.
    public static func sichuan() throws -> DivisionCatalog {
        guard
            let url = Bundle.module.url(
                forResource: "divisions-sichuan", withExtension: "tsv", subdirectory: "Resources")
        else { throw LoadError.missingResource("divisions-sichuan.tsv") }
        return try parse(tsv: String(contentsOf: url, encoding: .utf8))
    }

}
