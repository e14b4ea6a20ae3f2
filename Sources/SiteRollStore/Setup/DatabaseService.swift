import FluentKit
import FluentPostgresDriver
import FluentSQL
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Owns FluentKit's `Databases` for the life of the process: opens the pools, runs migrations
/// before the server accepts requests, and closes everything on graceful shutdown.
///
/// SQLite gets exactly one connection (a one-thread event loop group, one connection per loop):
/// SQLite serialises writers anyway, and a single connection makes every transaction, including
/// the audit chain's append, strictly ordered without "database is locked" retries.
public final class DatabaseService: Service, Sendable {
    public let location: DatabaseLocation
    public let databases: Databases
    private let threadPool: NIOThreadPool
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let migrated = Mutex(false)
    /// Kept for the closed handle that late callers get after shutdown.
    private let configuration: any DatabaseConfiguration

    /// True once this process has brought the schema up to date: background jobs wait for it.
    public var isMigrated: Bool { migrated.withLock { $0 } }

    /// `connectionsPerLoop`: PostgreSQL connections per event loop (two loops); SQLite always has one.
    /// `poolTimeoutSeconds`: how long a unit of work waits for a free PostgreSQL connection.
    public init(
        location: DatabaseLocation, logger: Logger, connectionsPerLoop: Int = 4, poolTimeoutSeconds: Int64 = 10
    ) throws {
        self.location = location
        self.logger = logger
        let threadPool = NIOThreadPool(numberOfThreads: location.isPostgres ? 1 : 2)
        threadPool.start()
        self.threadPool = threadPool
        self.eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: location.isPostgres ? 2 : 1)
        self.databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        let factory: DatabaseConfigurationFactory
        switch location {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            factory = .sqlite(.file(path), sqlLogLevel: .trace)
        case .sqliteInMemory:
            factory = .sqlite(.memory, sqlLogLevel: .trace)
        case .postgres(let url):
            factory = try .postgres(
                url: url, maxConnectionsPerEventLoop: max(1, connectionsPerLoop),
                connectionPoolTimeout: .seconds(max(1, poolTimeoutSeconds)), sqlLogLevel: .trace)
        }
        self.configuration = factory.make()
        databases.use(configuration, as: location.isPostgres ? .psql : .sqlite)
    }

    /// A database handle for one unit of work. Handles are cheap; connections come from the pool.
    /// After `shutdown()` the handle fails every query (`DatabaseClosedError`) rather than trapping:
    /// a cancelled service group stops its services all at once, not in order.
    public func database(logger: Logger? = nil) -> any Database {
        databases.database(logger: logger ?? self.logger, on: eventLoopGroup.any())
            ?? ClosedDatabase(
                configuration: configuration, isPostgres: location.isPostgres, logger: logger ?? self.logger)
    }

    /// Brings the schema up to date. Safe to run from several processes at once on PostgreSQL:
    /// an advisory lock makes the second wait for the first. Logs one line at info level (how
    /// many migrations ran, the schema level); FluentKit's line per migration is debug.
    @discardableResult
    public func migrate() async throws -> MigrationSummary {
        let db = database()
        let summary: MigrationSummary
        if let sql = db as? any SQLDatabase, location.isPostgres {
            try await sql.raw("SELECT pg_advisory_lock(\(literal: Self.migrationLockKey))").run()
            do {
                summary = try await runMigrations()
            } catch {
                try? await sql.raw("SELECT pg_advisory_unlock(\(literal: Self.migrationLockKey))").run()
                throw error
            }
            try await sql.raw("SELECT pg_advisory_unlock(\(literal: Self.migrationLockKey))").run()
        } else {
            if let sql = db as? any SQLDatabase {
                // WAL keeps readers off the writer's back; NORMAL sync is durable at each checkpoint.
                try await sql.raw("PRAGMA journal_mode=WAL").run()
                try await sql.raw("PRAGMA busy_timeout=5000").run()
            }
            summary = try await runMigrations()
        }
        logger.info(
            "database ready: \(summary.description)",
            metadata: ["applied": "\(summary.newlyApplied)", "schema": "\(summary.schema.level ?? "none")"])
        return summary
    }

    private func runMigrations() async throws -> MigrationSummary {
        let migrator = makeMigrator()
        try await migrator.setupIfNeeded().get()
        let pending = try await migrator.previewPrepareBatch().get().count
        try await migrator.prepareBatch().get()
        migrated.withLock { $0 = true }
        return MigrationSummary(newlyApplied: pending, schema: try await schemaState() ?? SchemaState(applied: []))
    }

    /// The migrations applied to this database, or nil when it has no SiteRoll schema at all.
    public func schemaState() async throws -> SchemaState? {
        guard try await tableNames().contains(MigrationLog.schema) else { return nil }
        return SchemaState(
            applied: try await MigrationLog.query(on: database()).sort(\.$batch).sort(\.$createdAt).all(\.$name))
    }

    /// The tables in this database outside the engine's own catalogue: empty for a new database.
    public func tableNames() async throws -> [String] {
        guard let sql = database() as? any SQLDatabase else { return [] }
        struct Row: Decodable { var name: String }
        let query: SQLQueryString =
            location.isPostgres
            ? """
            SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'
            """
            : "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
        // PostgreSQL names carry their schema; SiteRoll's own tables live in `public`.
        return try await sql.raw(query).all(decoding: Row.self).map { row in
            row.name.hasPrefix("public.") ? String(row.name.dropFirst("public.".count)) : row.name
        }
    }

    /// Reverts every migration: used by the store tests to prove each `revert` works.
    public func revertAll() async throws {
        let migrator = makeMigrator()
        try await migrator.setupIfNeeded().get()
        try await migrator.revertAllBatches().get()
    }

    private func makeMigrator() -> Migrator {
        let migrations = Migrations()
        migrations.add(SiteRollMigrations.all)
        return Migrator(
            databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any(),
            migrationLogLevel: .debug)
    }

    /// A quick round trip for `/health`.
    public func ping() async throws {
        guard let sql = database() as? any SQLDatabase else { return }
        try await sql.raw("SELECT 1").run()
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes pools and threads. Call once, when nothing uses the database any more.
    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await eventLoopGroup.shutdownGracefully()
    }

    static let migrationLockKey: Int64 = 5_101_040_001
}

/// Which of SiteRoll's migrations a database has: what start-up logs and a backup records.
public struct SchemaState: Sendable, Equatable, Codable {
    /// Migration names as FluentKit records them, oldest first.
    public var applied: [String]

    public init(applied: [String]) { self.applied = applied }

    /// The `Migrations/NNN/` level of the newest migration applied (nil: none).
    public var level: String? { SiteRollMigrations.level(ofApplied: applied) }
    /// Migrations this binary does not know: the database was written by a newer SiteRoll.
    public var unknown: [String] { SiteRollMigrations.unknown(among: applied) }
}

/// What one `migrate()` did.
public struct MigrationSummary: Sendable, Equatable, CustomStringConvertible {
    public var newlyApplied: Int
    public var schema: SchemaState

    public var description: String {
        let level = schema.level ?? "none"
        return newlyApplied == 0
            ? "schema at \(level), up to date (\(schema.applied.count) migrations)"
            : "\(newlyApplied) migrations applied, schema at \(level) (\(schema.applied.count) in all)"
    }
}
