import FluentKit
import Foundation
import Logging
import SQLKit
import SiteRollCore

/// Backup and restore of a whole SiteRoll database (S4), the same code for `siteroll backup`,
/// `siteroll restore` and the tests.
///
/// - SQLite: the online backup API copies the live file while the server writes (`SQLiteFileCopy`).
/// - PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` in one transaction
///   (`PostgresTools`); pg_dump reads one snapshot, so it too is consistent while serving.
///
/// The backup file carries a manifest (`BackupArchive`): a restore is refused before anything is
/// written when the file is damaged, made for the other database kind, written with a different
/// data key, or from a newer SiteRoll; and it only ever goes into an empty database.
public struct DatabaseBackup: Sendable {
    static let sqliteKind = "sqlite"
    static let postgresKind = "postgresql"

    public let location: DatabaseLocation
    /// Built from the data key the server uses: its fingerprint goes into the manifest, and it
    /// must open a sealed identity number before a backup is written or a restore is accepted.
    public let cipher: FieldCipher
    public let tools: PostgresTools
    public let logger: Logger

    public init(location: DatabaseLocation, cipher: FieldCipher, tools: PostgresTools = .init(), logger: Logger) {
        self.location = location
        self.cipher = cipher
        self.tools = tools
        self.logger = logger
    }

    var kind: String { location.isPostgres ? Self.postgresKind : Self.sqliteKind }

    /// Writes a backup of the database to `path` (which must not exist yet).
    public func backup(to path: String) async throws -> BackupManifest {
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupError.fileExists(path) }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let payload = try temporaryFile(in: directory)
        defer { Self.remove(payload) }
        let schema: SchemaState
        let tool: String
        switch location {
        case .sqliteInMemory:
            throw BackupError.sqliteInMemory
        case .sqlite(let source):
            guard FileManager.default.fileExists(atPath: source) else {
                throw BackupError.nothingToBackUp(location.description)
            }
            try await SQLiteFileCopy.copy(from: source, to: payload)
            // Read from the copy, so that the manifest describes exactly what was copied.
            schema = try await checkedSchema(of: .sqlite(path: payload))
            tool = "SQLite \(SQLiteFileCopy.libraryVersion) online backup"
        case .postgres(let url):
            schema = try await checkedSchema(of: location)
            tool = try await tools.dump(url: url, to: payload)
        }
        let digest = try BackupArchive.digest(of: payload)
        let manifest = BackupManifest(
            // Whole seconds: the manifest stores ISO 8601 without fractions.
            database: kind,
            createdAt: Date(timeIntervalSince1970: ServerClock.now().timeIntervalSince1970.rounded(.down)),
            schemaLevel: schema.level, migrations: schema.applied,
            keyFingerprint: cipher.keyFingerprint, tool: tool, payloadBytes: digest.bytes,
            payloadSHA256: digest.sha256)
        try BackupArchive.write(manifest, payload: payload, to: path)
        logger.debug(
            "backup written",
            metadata: ["file": "\(path)", "bytes": "\(digest.bytes)", "schema": "\(schema.level ?? "none")"])
        return manifest
    }

    /// Restores the backup at `path` into this (empty) database, then checks that the restored
    /// schema is the backup's and that the data key opens its sealed fields.
    public func restore(from path: String) async throws -> BackupManifest {
        let (manifest, offset) = try BackupArchive.readManifest(path)
        try check(manifest)
        let tables = try await Self.withService(location, logger: logger) { try await $0.tableNames() }
        guard tables.isEmpty else {
            throw BackupError.targetNotEmpty(location: location.description, tables: tables.count)
        }
        let payload: String
        switch location {
        case .sqliteInMemory: throw BackupError.sqliteInMemory
        case .sqlite(let destination):
            payload = try temporaryFile(in: URL(fileURLWithPath: destination).deletingLastPathComponent().path)
        case .postgres: payload = try temporaryFile(in: FileManager.default.temporaryDirectory.path)
        }
        defer { Self.remove(payload) }
        try BackupArchive.extractPayload(path, manifest: manifest, offset: offset, to: payload)
        switch location {
        case .sqliteInMemory: throw BackupError.sqliteInMemory
        case .sqlite(let destination): try await SQLiteFileCopy.copy(from: payload, to: destination)
        case .postgres(let url): try await tools.restore(url: url, from: payload)
        }
        let restored = try await Self.withService(location, logger: logger) { service in
            (try await service.schemaState(), try await keyOpensSealedData(on: service.database()))
        }
        guard Set(restored.0?.applied ?? []) == Set(manifest.migrations) else {
            throw BackupError.verificationFailed("数据库迁移记录与备份清单不一致")
        }
        guard restored.1 else { throw BackupError.verificationFailed("数据加密密钥打不开恢复后的证件号") }
        logger.debug("backup restored", metadata: ["file": "\(path)", "schema": "\(manifest.schemaLevel ?? "none")"])
        return manifest
    }

    /// Everything that can be decided from the manifest alone, before the database is touched.
    func check(_ manifest: BackupManifest) throws(BackupError) {
        guard manifest.database == kind else { throw .wrongDatabaseKind(backup: manifest.database, target: kind) }
        guard manifest.keyFingerprint == cipher.keyFingerprint else {
            throw .wrongKey(backup: manifest.keyFingerprint, configured: cipher.keyFingerprint)
        }
        let unknown = SiteRollMigrations.unknown(among: manifest.migrations)
        guard unknown.isEmpty else { throw .newerSchema(unknown) }
    }

    /// The schema of the database at `location`, refusing one without SiteRoll's schema or whose
    /// sealed fields the configured key does not open.
    private func checkedSchema(of location: DatabaseLocation) async throws -> SchemaState {
        let (schema, opens) = try await Self.withService(location, logger: logger) { service in
            (try await service.schemaState(), try await keyOpensSealedData(on: service.database()))
        }
        guard let schema, !schema.applied.isEmpty else { throw BackupError.nothingToBackUp(self.location.description) }
        guard opens else { throw BackupError.keyDoesNotOpenData }
        return schema
    }

    /// True when the first worker's sealed identity number opens with the key (or there is none).
    /// Read with SQL rather than the model, so that an older schema reads as well.
    func keyOpensSealedData(on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return true }
        guard
            let sealed = try await sql.select().column("id_number_cipher").from("workers").limit(1)
                .first(decodingColumn: "id_number_cipher", as: String.self)
        else { return true }
        return (try? cipher.open(sealed)) != nil
    }

    static func withService<T: Sendable>(
        _ location: DatabaseLocation, logger: Logger, _ body: (DatabaseService) async throws -> T
    ) async throws -> T {
        let service = try DatabaseService(location: location, logger: logger, connectionsPerLoop: 1)
        do {
            let value = try await body(service)
            await service.shutdown()
            return value
        } catch {
            await service.shutdown()
            throw error
        }
    }

    /// A new empty file only this user can read: the payload is the whole database.
    private func temporaryFile(in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: directory)
            .appendingPathComponent(".siteroll-backup-\(UUID().uuidString.prefix(8)).payload").path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw BackupError.cannotWrite(path) }
        return path
    }

    private static func remove(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
