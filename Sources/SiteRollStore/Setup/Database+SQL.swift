import FluentKit
import SQLKit
import SiteRollCore

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

extension Database {
    /// FluentKit's transaction, with the caller's `ServerClock` carried inside: the driver runs the
    /// closure in a task of its own, where a task-local (a test's fixed clock) would be lost.
    public func inTransaction<T: Sendable>(
        _ closure: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let clock = ServerClock.fixed
        return try await transaction { tx in
            try await ServerClock.$fixed.withValue(clock) { try await closure(tx) }
        }
    }
}
