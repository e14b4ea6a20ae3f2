import Foundation

/// The master key for sensitive fields (S2). Taken from configuration (`DATA_KEY`, base64); on a
/// single-machine deployment without one, generated once into the data directory with mode 0600.
/// Several processes on one PostgreSQL must share the configured key.
enum DataKey {
    struct Invalid: Error, CustomStringConvertible {
        var description: String { "数据加密密钥（DATA_KEY）须为 Base64 编码、至少 32 字节" }
    }

    static func load(_ configuration: SiteRollConfiguration) throws -> Data {
        if let text = configuration.dataKey, !text.isEmpty {
            guard let key = Data(base64Encoded: text), key.count >= 32 else { throw Invalid() }
            return key
        }
        let directory = URL(fileURLWithPath: configuration.dataDirectory)
        let file = directory.appendingPathComponent("data.key")
        if let existing = try? String(contentsOf: file, encoding: .utf8),
            let key = Data(base64Encoded: existing.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32
        {
            return key
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        _ = FileManager.default.createFile(
            atPath: file.path, contents: Data(key.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600])
        return key
    }
}
