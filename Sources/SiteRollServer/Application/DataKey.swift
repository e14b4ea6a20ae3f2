import Foundation
import Logging
import SiteRollStore

/// The master key for sensitive fields (S2). Taken from configuration (`DATA_KEY`, base64); on a
/// single-machine deployment without one, generated once into the data directory with mode 0600.
/// Several processes on one PostgreSQL must share the configured key.
enum DataKey {
    struct Invalid: Error, CustomStringConvertible {
        var description: String { "数据加密密钥（DATA_KEY）须为 Base64 编码、至少 32 字节" }
    }

    /// No key configured and none in the data directory, where a restore needs the old one.
    struct Missing: Error, CustomStringConvertible {
        var file: String
        var description: String {
            "找不到数据加密密钥：请设置 DATA_KEY，或把原数据目录中的 data.key 放到 \(file)（备份与恢复须使用同一密钥）"
        }
    }

    /// The configured key, else the one generated earlier into the data directory, else a new one
    /// written there (first start of a single-machine deployment).
    static func load(_ configuration: SiteRollConfiguration) throws -> Data {
        if let key = try existing(configuration) { return key }
        let directory = URL(fileURLWithPath: configuration.dataDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        _ = FileManager.default.createFile(
            atPath: file(configuration).path, contents: Data(key.base64EncodedString().utf8),
            attributes: [.posixPermissions: 0o600])
        return key
    }

    /// A `data.key` that exists but cannot be read as a key. Never replaced by a new key: the
    /// sealed ID and card numbers would be lost for good (S4).
    struct Unreadable: Error, CustomStringConvertible {
        var file: String
        var description: String {
            "数据加密密钥文件 \(file) 存在但无法读取或内容不是有效密钥；为免已加密的身份证号、银行卡号永久无法解密，SiteRoll 不会生成新密钥覆盖它。请检查文件权限，或从备份恢复该文件"
        }
    }

    /// The configured key or the generated one in the data directory; nil when there is neither.
    static func existing(_ configuration: SiteRollConfiguration) throws -> Data? {
        if let text = configuration.dataKey, !text.isEmpty {
            guard let key = Data(base64Encoded: text), key.count >= 32 else { throw Invalid() }
            return key
        }
        let path = file(configuration).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let existing = try? String(contentsOfFile: path, encoding: .utf8),
            let key = Data(base64Encoded: existing.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32
        else { throw Unreadable(file: path) }
        return key
    }

    /// `data.key` in the data directory.
    static func file(_ configuration: SiteRollConfiguration) -> URL {
        URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("data.key")
    }
}

extension SiteRollConfiguration {
    /// Backup and restore of this configuration's database with the data key the server uses.
    /// Never generates a key: a restore into a new data directory needs the backup's key first.
    public func databaseBackup(logger: Logger) throws -> DatabaseBackup {
        guard let key = try DataKey.existing(self) else { throw DataKey.Missing(file: DataKey.file(self).path) }
        return DatabaseBackup(
            location: try databaseLocation(), cipher: try FieldCipher(masterKey: key),
            tools: PostgresTools(pgDump: backupPgDump, pgRestore: backupPgRestore), logger: logger)
    }
}
