import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// What `DatabaseService.database()` hands out once the pools are closed: every query fails with
/// `DatabaseClosedError` instead of the process trapping. A background job that was still
/// finishing when the service group was cancelled (not drained in order) ends with a logged error.
///
/// Its futures live on NIO's process-wide event loop group, which is never shut down, because the
/// service's own loops are gone by then.
struct ClosedDatabase: Database, SQLDatabase {
    let context: DatabaseContext
    let dialect: any SQLDialect

    init(configuration: any DatabaseConfiguration, isPostgres: Bool, logger: Logger) {
        self.context = DatabaseContext(
            configuration: configuration, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        self.dialect = isPostgres ? PostgresDialect() as any SQLDialect : SQLiteDialect()
    }

    var logger: Logger { context.logger }
    var eventLoop: any EventLoop { context.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var queryLogLevel: Logger.Level? { nil }
    var inTransaction: Bool { false }

    private func closed<T>() -> EventLoopFuture<T> { eventLoop.makeFailedFuture(DatabaseClosedError()) }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
        -> EventLoopFuture<Void>
    { closed() }
    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { closed() }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { closed() }
    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closed()
    }
    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closed()
    }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    { closed() }
}

/// The database service has shut down; nothing more can be read or written in this process.
public struct DatabaseClosedError: Error, CustomStringConvertible {
    public var description: String { "数据库连接已关闭（服务正在停止）" }
}
