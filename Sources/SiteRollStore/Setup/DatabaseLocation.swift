import Foundation

/// Where the data lives: an embedded SQLite file (a county or a demo) or a PostgreSQL server
/// (a province, any number of processes). Chosen by `--database-url` / `DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case sqliteInMemory
    case postgres(url: String)

    public enum ParseError: Error, Equatable {
        case unsupportedScheme(String)
    }

    /// `postgres://…`/`postgresql://…` select PostgreSQL; `sqlite:PATH` or a bare path selects SQLite.
    public static func parse(_ text: String) throws(ParseError) -> DatabaseLocation {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return .postgres(url: text)
        }
        if text == "sqlite::memory:" { return .sqliteInMemory }
        if text.hasPrefix("sqlite:") { return .sqlite(path: String(text.dropFirst("sqlite:".count))) }
        if text.contains("://") { throw .unsupportedScheme(String(text.prefix { $0 != ":" })) }
        return .sqlite(path: text)
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// Safe to log: a PostgreSQL password is replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite \(path)"
        case .sqliteInMemory: return "SQLite (memory)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "PostgreSQL" }
            if components.password != nil { components.password = "***" }
            return "PostgreSQL \(components.string ?? "")"
        }
    }
}
