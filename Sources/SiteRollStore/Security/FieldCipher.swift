import Crypto
import Foundation

/// Encryption at rest for identity and bank card numbers (S2, DESIGN.md data conventions):
/// AES-256-GCM for the value, HMAC-SHA256 with a separate derived key for lookups, so that the
/// database can enforce "one person, one record" without ever holding a number in clear.
public struct FieldCipher: Sendable {
    private let encryptionKey: SymmetricKey
    private let lookupKey: SymmetricKey
    /// Names the master key without revealing it: 16 hex digits derived with HKDF under their own
    /// label, so a backup can say which key its sealed fields need.
    public let keyFingerprint: String

    public enum CipherError: Error, Equatable {
        case keyTooShort
        case unreadable
    }

    /// `masterKey` must be at least 32 bytes; two keys are derived from it with HKDF.
    public init(masterKey: Data) throws(CipherError) {
        guard masterKey.count >= 32 else { throw .keyTooShort }
        let master = SymmetricKey(data: masterKey)
        encryptionKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("siteroll.field.encrypt.v1".utf8), outputByteCount: 32)
        lookupKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("siteroll.field.lookup.v1".utf8), outputByteCount: 32)
        keyFingerprint = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, info: Data("siteroll.key.fingerprint.v1".utf8), outputByteCount: 8
        ).withUnsafeBytes { Digest.hex($0) }
    }

    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: encryptionKey)
        guard let combined = box.combined else { throw CipherError.unreadable }
        return combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw CipherError.unreadable }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: encryptionKey)
        guard let text = String(data: plain, encoding: .utf8) else { throw CipherError.unreadable }
        return text
    }

    /// Seals bytes (portraits, identity card images): nonce, ciphertext and tag in one value.
    public func seal(data: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(data, using: encryptionKey).combined else { throw CipherError.unreadable }
        return combined
    }

    public func open(data: Data) throws -> Data {
        try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: encryptionKey)
    }

    /// Deterministic keyed hash for equality lookups.
    public func lookupHash(_ value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: lookupKey)
        return Digest.hex(mac)
    }
}
