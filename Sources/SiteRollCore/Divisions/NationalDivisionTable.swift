import Foundation

/// Every GB/T 2260 county-level-and-above code used in mainland China since 1980, with the years each
/// was in force (Resources/divisions-national.tsv; source, licence and year meaning in
/// DIVISIONS-SOURCE.md beside it). Unlike `DivisionCatalog`, which is the current Sichuan tree for
/// scoping, this table is history: it answers "did this address code ever exist, and when".
///
/// Issue 3: an identity number keeps the address code of the place and time it was issued, so
/// 510122 双流县 (retired in 2015, now 510116 双流区) is still valid in an older number. Checking
/// against the current list only would refuse real people (standards.md c.28, e.1).
public struct NationalDivisionTable: Sendable {
    /// One row of the table. A code can have several rows: renamed (120110 东郊区 → 东丽区) or reused.
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var name: String
        /// First yearly table listing the code with this name; nil = already in the first (1980) table.
        public var since: Int?
        /// Last yearly table listing it; nil = still in force.
        public var until: Int?

        public init(code: String, name: String, since: Int?, until: Int?) {
            self.code = code
            self.name = name
            self.since = since
            self.until = until
        }
    }

    /// The years are those of yearly code tables, not dates, and a change during year Y shows as
    /// until = Y-1: people born around a change may carry either code (DIVISIONS-SOURCE.md, notes).
    public static let slackYears = 1

    private let rowsByCode: [String: [Entry]]

    public init(entries: [Entry]) {
        self.rowsByCode = Dictionary(grouping: entries, by: \.code)
    }

    /// Every row for `code`, in table order (by `since`).
    public func entries(for code: String) -> [Entry] { rowsByCode[code] ?? [] }

    /// The latest name of `code`: the row still in force, else the one that ended last.
    public func name(of code: String) -> String? {
        entries(for: code).max { ($0.until ?? Int.max) < ($1.until ?? Int.max) }?.name
    }

    /// The name `code` had in `year` when a row covers it, else the latest name: an ID address code
    /// is reported under the name of its time (120110 in a 1985 birth is 东郊区, not 东丽区).
    public func name(of code: String, inYear year: Int) -> String? {
        let rows = entries(for: code)
        let covering = rows.last { ($0.since ?? Int.min) <= year && year <= ($0.until ?? Int.max) }
        return covering?.name ?? name(of: code)
    }

    /// Whether `code` can be the address code of an identity number of someone born in `birthYear`.
    ///
    /// A number is issued at or after birth, so the code must have been in force in some year from the
    /// birth year on, give or take `slackYears`; when it started does not matter (a child born in 1985
    /// may be registered in 2020 under a new code). Without a birth year, existence is enough.
    /// Summary codes such as `xxxx01` 市辖区 are accepted because the table has them and real old
    /// numbers carry them (DIVISIONS-SOURCE.md: a policy choice, made here in favour of the person).
    public func isValidAddressCode(_ code: String, birthYear: Int?) -> Bool {
        let rows = entries(for: code)
        guard let birthYear else { return !rows.isEmpty }
        return rows.contains { row in
            guard let until = row.until else { return true }
            // Source quirk: a few rows have since > until; the later of the two is the honest end.
            return max(until, row.since ?? until) + Self.slackYears >= birthYear
        }
    }

    public var codeCount: Int { rowsByCode.count }
}

extension NationalDivisionTable {
    public enum LoadError: Error, Equatable {
        case missingResource(String)
        case malformedLine(number: Int, line: String)
    }

    /// Parses `code name since until` rows (tab-separated; `#` comments and one header line skipped).
    public static func parse(tsv text: String) throws(LoadError) -> NationalDivisionTable {
        var entries: [Entry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("code\t") { continue }
            let fields = rawLine.split(separator: "\t", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard fields.count == 4, DivisionCode(fields[0]) != nil, !fields[1].isEmpty,
                let since = year(fields[2]), let until = year(fields[3])
            else { throw .malformedLine(number: index + 1, line: line) }
            entries.append(Entry(code: fields[0], name: fields[1], since: since, until: until))
        }
        return NationalDivisionTable(entries: entries)
    }

    /// The table shipped with SiteRoll.
    public static func bundled() throws -> NationalDivisionTable {
        guard
            let url = Bundle.module.url(
                forResource: "divisions-national", withExtension: "tsv", subdirectory: "Resources")
        else { throw LoadError.missingResource("divisions-national.tsv") }
        return try parse(tsv: String(contentsOf: url, encoding: .utf8))
    }

    /// `.some(nil)` for an empty field, `.some(year)` for four digits, nil for anything else.
    private static func year(_ field: String) -> Int?? {
        if field.isEmpty { return .some(nil) }
        guard field.count == 4, let value = LocalDate.asciiNumber(field) else { return nil }
        return .some(value)
    }
}
