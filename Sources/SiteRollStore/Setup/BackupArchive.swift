import Crypto
import Foundation

/// What a backup file says about itself, read before anything is restored: which database kind
/// it is for, which migrations its schema has, which data key its sealed fields need (as a
/// fingerprint, never the key), and a digest of the payload so that a damaged file is refused.
public struct BackupManifest: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version = BackupManifest.currentVersion
    /// `sqlite` or `postgresql`.
    public var database: String
    public var createdAt: Date
    /// The `Migrations/NNN/` level and every migration applied when the backup was made.
    public var schemaLevel: String?
    public var migrations: [String]
    /// `FieldCipher.keyFingerprint` of the data key the sealed fields were written with.
    public var keyFingerprint: String
    /// What made the payload: "SQLite 3.x online backup" or pg_dump's version line.
    public var tool: String
    public var payloadBytes: Int64
    public var payloadSHA256: String
}

/// A backup file: a first line naming the format, a second line holding the manifest as JSON,
/// then the payload (an SQLite database file, or a `pg_dump --format=custom` archive) unchanged.
enum BackupArchive {
    static let magic = "SITEROLL-BACKUP"
    private static let chunk = 1 << 20

    /// Writes `manifest` and the payload file into `path` through a temporary file beside it, so a
    /// failed backup never leaves a truncated file under the final name.
    static func write(_ manifest: BackupManifest, payload: String, to path: String) throws {
        let partial = path + ".partial-\(UUID().uuidString.prefix(8))"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        var header = Data("\(magic) \(BackupManifest.currentVersion)\n".utf8)
        header.append(try encoder.encode(manifest))
        header.append(Data("\n".utf8))
        guard FileManager.default.createFile(atPath: partial, contents: header, attributes: [.posixPermissions: 0o600])
        else { throw BackupError.cannotWrite(path) }
        do {
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
            defer { try? output.close() }
            try output.seekToEnd()
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: payload))
            defer { try? input.close() }
            while let data = try input.read(upToCount: chunk), !data.isEmpty { try output.write(contentsOf: data) }
            try output.synchronize()
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Reads the manifest of the backup at `path`, and where its payload starts.
    static func readManifest(_ path: String) throws(BackupError) -> (manifest: BackupManifest, payloadOffset: UInt64) {
        guard let input = FileHandle(forReadingAtPath: path) else { throw .cannotRead(path) }
        defer { try? input.close() }
        // The manifest is a few kilobytes; anything without both lines in the first 1 MB is not ours.
        let head = (try? input.read(upToCount: chunk)) ?? Data()
        let lines = head.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, let first = String(data: Data(lines[0]), encoding: .utf8),
            first.hasPrefix(magic + " ")
        else { throw .notABackup(path) }
        guard Int(first.dropFirst(magic.count + 1)) == BackupManifest.currentVersion else {
            throw .unsupportedVersion(String(first.dropFirst(magic.count + 1)))
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let manifest = try? decoder.decode(BackupManifest.self, from: Data(lines[1])) else {
            throw .notABackup(path)
        }
        return (manifest, UInt64(lines[0].count + 1 + lines[1].count + 1))
    }

    /// Copies the payload of the backup at `path` into `destination`, refusing a payload whose
    /// size or SHA-256 differs from the manifest's.
    static func extractPayload(_ path: String, manifest: BackupManifest, offset: UInt64, to destination: String)
        throws
    {
        guard FileManager.default.createFile(atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw BackupError.cannotWrite(destination) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: destination))
        defer { try? output.close() }
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? input.close() }
        try input.seek(toOffset: offset)
        var hash = SHA256()
        var bytes: Int64 = 0
        while let data = try input.read(upToCount: chunk), !data.isEmpty {
            hash.update(data: data)
            bytes += Int64(data.count)
            try output.write(contentsOf: data)
        }
        guard bytes == manifest.payloadBytes, Digest.hex(hash.finalize()) == manifest.payloadSHA256 else {
            throw BackupError.damaged(path)
        }
    }

    /// Size and SHA-256 of a payload file.
    static func digest(of path: String) throws -> (bytes: Int64, sha256: String) {
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? input.close() }
        var hash = SHA256()
        var bytes: Int64 = 0
        while let data = try input.read(upToCount: chunk), !data.isEmpty {
            hash.update(data: data)
            bytes += Int64(data.count)
        }
        return (bytes, Digest.hex(hash.finalize()))
    }
}
