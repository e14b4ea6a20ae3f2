import FluentKit
import FluentSQL
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Backup and restore of the whole database (issue 12, item 5; S4), on whichever engine the suite
/// runs on: SQLite's online backup API, or pg_dump/pg_restore.
@Suite("Backup and restore")
struct BackupTests {
    /// Tables whose rows the round trip must keep, one per subsystem.
    static let tables = [
        "accounts", "enterprises", "workers", "worker_documents", "projects", "project_workers",
        "attendance_punches", "payrolls", "payroll_lines", "worker_bank_cards", "wage_warnings", "audit_events",
    ]

    @Test("the demo round-trips into an empty database: same rows, intact audit chain, sealed fields open")
    func roundTrip() async throws {
        try await TestPlatform.run(configure: PayrollTests.withWageHistory) { _, platform in
            // setup
            let source = platform.services.configuration
            let file = Self.backupFile()
            defer { try? FileManager.default.removeItem(atPath: file) }
            let target = try await TestDatabase.fresh()
            let restored = TestPlatform.configuration(location: target, demo: true)

            // act
            let made = try await source.databaseBackup(logger: TestDatabase.quietLogger).backup(to: file)
            let read = try await restored.databaseBackup(logger: TestDatabase.quietLogger).restore(from: file)

            // check: the manifest, the rows, the audit chain, a sealed identity number and card number
            #expect(made == read)
            #expect(made.schemaLevel == SiteRollMigrations.levels.last?.level)
            #expect(made.database == (TestDatabase.isPostgres ? "postgresql" : "sqlite"))
            let copy = try DatabaseService(location: target, logger: TestDatabase.quietLogger, connectionsPerLoop: 1)
            do {
                let original = try await Self.counts(on: platform.db)
                #expect(original["workers", default: 0] > 30 && original["payroll_lines", default: 0] > 0)
                #expect(try await Self.counts(on: copy.database()) == original)
                let chain = try await AuditVerifier().verify(on: copy.database())
                #expect(chain.isIntact)
                #expect(chain.eventsChecked == original["audit_events"])
                let cipher = platform.services.cipher
                let worker = try #require(try await WorkerModel.query(on: platform.db).sort(\.$name).first())
                let twin = try #require(try await WorkerModel.find(worker.id, on: copy.database()))
                #expect(try cipher.open(twin.idNumberCipher) == cipher.open(worker.idNumberCipher))
                #expect(cipher.lookupHash(try cipher.open(twin.idNumberCipher)) == worker.idNumberHMAC)
                let card = try #require(try await WorkerBankCardModel.query(on: copy.database()).first())
                #expect(try cipher.open(card.numberCipher).count >= 16)
            } catch {
                await copy.shutdown()
                await TestDatabase.drop(target)
                throw error
            }
            await copy.shutdown()

            // check: the restored platform serves the same demo
            do {
                try await Self.serve(restored) { client in
                    let session = try await client.consoleLogin("corp", "sj_admin")
                    #expect(session.status == .seeOther)
                    let (status, html) = try await client.page("/corp/projects", as: session)
                    #expect(status == .ok)
                    #expect(html.contains("锦江"))
                }
                // a second restore into the now non-empty database is refused, and so is one into the source
                await #expect(throws: BackupError.self) {
                    _ = try await restored.databaseBackup(logger: TestDatabase.quietLogger).restore(from: file)
                }
                let refusal = await #expect(throws: BackupError.self) {
                    _ = try await source.databaseBackup(logger: TestDatabase.quietLogger).restore(from: file)
                }
                if case .targetNotEmpty(_, let tables) = refusal {
                    #expect(tables > 30)
                } else {
                    Issue.record("expected targetNotEmpty, got \(String(describing: refusal))")
                }
            } catch {
                await TestDatabase.drop(target)
                throw error
            }
            await TestDatabase.drop(target)
        }
    }

    @Test("a restore is refused before touching the database: other key, other database kind, damaged file")
    func refusals() async throws {
        try await TestPlatform.run(demo: true) { _, platform in
            // setup
            let source = platform.services.configuration
            let file = Self.backupFile()
            defer { try? FileManager.default.removeItem(atPath: file) }
            let manifest = try await source.databaseBackup(logger: TestDatabase.quietLogger).backup(to: file)
            let target = try await TestDatabase.fresh()
            var otherKey = TestPlatform.configuration(location: target, demo: false)
            otherKey.dataKey = Data(repeating: 9, count: 32).base64EncodedString()
            let restorer = try TestPlatform.configuration(location: target, demo: false)
                .databaseBackup(logger: TestDatabase.quietLogger)

            do {
                // act, check: another data key
                let wrongKey = await #expect(throws: BackupError.self) {
                    _ = try await otherKey.databaseBackup(logger: TestDatabase.quietLogger).restore(from: file)
                }
                #expect(wrongKey?.description.contains("密钥") == true)
                // another database kind
                var otherKind = manifest
                otherKind.database = TestDatabase.isPostgres ? "sqlite" : "postgresql"
                #expect(throws: BackupError.self) { try restorer.check(otherKind) }
                // a newer SiteRoll's migration
                var newer = manifest
                newer.migrations.append("SiteRollStore.CreateSomethingFromTheFuture")
                #expect(throws: BackupError.newerSchema(["SiteRollStore.CreateSomethingFromTheFuture"])) {
                    try restorer.check(newer)
                }
                // a damaged payload: one byte flipped near the end
                let damaged = file + ".damaged"
                defer { try? FileManager.default.removeItem(atPath: damaged) }
                var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                bytes[bytes.count - 10] ^= 0xFF
                try bytes.write(to: URL(fileURLWithPath: damaged))
                await #expect(throws: BackupError.damaged(damaged)) { _ = try await restorer.restore(from: damaged) }
                // not a backup at all
                try Data("hello".utf8).write(to: URL(fileURLWithPath: damaged))
                await #expect(throws: BackupError.notABackup(damaged)) { _ = try await restorer.restore(from: damaged) }
                // an existing file is never overwritten by a backup
                await #expect(throws: BackupError.fileExists(file)) {
                    _ = try await source.databaseBackup(logger: TestDatabase.quietLogger).backup(to: file)
                }
                // none of that wrote a table into the target
                let tables = try await DatabaseBackup.withServiceForTests(target) { try await $0.tableNames() }
                #expect(tables.isEmpty)
            } catch {
                await TestDatabase.drop(target)
                throw error
            }
            await TestDatabase.drop(target)
        }
    }

    @Test("a backup is refused when the configured key does not open the data")
    func backupWithWrongKey() async throws {
        try await TestPlatform.run(demo: true) { _, platform in
            var configuration = platform.services.configuration
            configuration.dataKey = Data(repeating: 9, count: 32).base64EncodedString()
            let file = Self.backupFile()
            await #expect(throws: BackupError.keyDoesNotOpenData) {
                _ = try await configuration.databaseBackup(logger: TestDatabase.quietLogger).backup(to: file)
            }
            #expect(!FileManager.default.fileExists(atPath: file))
        }
    }

    static func backupFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("siteroll-backup-\(UUID().uuidString).backup")
            .path
    }

    static func counts(on db: any Database) async throws -> [String: Int] {
        let sql = try #require(db as? any SQLDatabase)
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(table).first(decodingColumn: "n", as: Int.self)
        }
        return counts
    }

    /// Builds and serves a platform on `configuration` the way `siteroll serve` does.
    static func serve(
        _ configuration: SiteRollConfiguration, _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        var configuration = configuration
        configuration.simulatorIdentities = "*\t*\tmatch\n"
        let services = try await makeServices(configuration, logger: TestDatabase.quietLogger)
        let app = try await buildApplication(services: services, logger: TestDatabase.quietLogger)
        try await app.test(.router) { client in try await test(client) }
    }
}

extension DatabaseBackup {
    /// A short-lived service on `location`, for looking at a database the test does not serve.
    static func withServiceForTests<T: Sendable>(
        _ location: DatabaseLocation, _ body: (DatabaseService) async throws -> T
    ) async throws -> T {
        try await withService(location, logger: TestDatabase.quietLogger, body)
    }
}
