import Crypto
import Foundation
import _CryptoExtras

/// The national interface's "AES" fields (reference b.3): ID and bank card numbers travel inside
/// `data` as AES-CBC with PKCS#7 padding, the key being the UTF-8 bytes of the app secret and the
/// IV its first 16 characters, in standard Base64. Weak by design (a fixed IV per secret), but it
/// is what every deployed client does; SiteRoll keeps its own storage sealed separately.
public enum NationalFieldCipher {
    public enum Failure: Error, Equatable, Sendable {
        /// The secret is not 16, 24 or 32 bytes long, so it cannot be an AES key.
        case unusableSecret
        /// Not Base64, or not a whole number of AES blocks.
        case notCiphertext
        /// Decrypts to nothing valid under this secret (another secret, damaged text).
        case wrongSecret
    }

    static func keyAndIV(_ secret: String) throws(Failure) -> (SymmetricKey, AES._CBC.IV) {
        let bytes = Array(secret.utf8)
        guard [16, 24, 32].contains(bytes.count), let iv = try? AES._CBC.IV(ivBytes: bytes.prefix(16)) else {
            throw .unusableSecret
        }
        return (SymmetricKey(data: bytes), iv)
    }

    /// Base64 of the encrypted UTF-8 text.
    public static func encrypt(_ plaintext: String, secret: String) throws(Failure) -> String {
        let (key, iv) = try keyAndIV(secret)
        guard let sealed = try? AES._CBC.encrypt(Array(plaintext.utf8), using: key, iv: iv) else {
            throw .unusableSecret
        }
        return sealed.base64EncodedString()
    }

    /// The text inside `base64`; a value encrypted under another secret fails as `wrongSecret`,
    /// never as a crash.
    public static func decrypt(_ base64: String, secret: String) throws(Failure) -> String {
        let (key, iv) = try keyAndIV(secret)
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespaces)), !data.isEmpty,
            data.count % 16 == 0
        else { throw .notCiphertext }
        guard let plain = try? AES._CBC.decrypt(data, using: key, iv: iv),
            let text = String(data: plain, encoding: .utf8)
        else { throw .wrongSecret }
        return text
    }
}
