import FluentKit
import SQLKit

/// The SQL side of a database handle, for the queries FluentKit's builder cannot express.
/// Both drivers SiteRoll runs on (SQLite, PostgreSQL) are SQL databases, so this does not fail
/// in practice; a handle that is not (a test double) fails the one query, it does not trap.
public struct NotSQLDatabase: Error, CustomStringConvertible {
    public var description: String { "the database handle does not speak SQL" }
}

extension Database {
    public func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw NotSQLDatabase() }
        return sql
    }
}

extension DatabaseService {
    /// `database().sql()`.
    public func sql() throws -> any SQLDatabase { try database().sql() }
}
