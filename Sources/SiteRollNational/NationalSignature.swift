import Crypto
import Foundation

/// The national open interface's request signature (reference b.2), for the gateway that checks
/// it and the client that makes it — one implementation, so both sides cannot drift apart.
///
/// Every posted form field except `sign` (and a posted `appsecret`, which some deployed clients
/// send: b.4a) is written `key=value` with its raw value, ordered by key in ASCII order, joined
/// with `&`; `&appsecret=<secret>` is appended; the whole string is lower-cased and hashed with
/// SHA-256 (lower-case hex). Values are never re-serialised: `data` is signed as received.
public enum NationalSignature {
    /// Fields that never take part in the sign string.
    public static let unsignedFields: Set<String> = ["sign", "appsecret"]

    /// The string that is hashed, before lower-casing (for support: it shows what was signed).
    public static func signingString(_ fields: [String: String], secret: String) -> String {
        let pairs = fields.filter { !unsignedFields.contains($0.key) }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.key)=\($0.value)" }
        return (pairs + ["appsecret=\(secret)"]).joined(separator: "&")
    }

    /// The `sign` value for these fields under `secret`.
    public static func sign(_ fields: [String: String], secret: String) -> String {
        let digest = SHA256.hash(data: Data(signingString(fields, secret: secret).lowercased().utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether the posted `sign` matches, compared in constant time (letter case of the posted
    /// hex ignored).
    public static func verify(_ fields: [String: String], secret: String) -> Bool {
        guard let given = fields["sign"]?.lowercased(), given.utf8.count == 64 else { return false }
        let expected = sign(fields, secret: secret)
        return zip(given.utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
