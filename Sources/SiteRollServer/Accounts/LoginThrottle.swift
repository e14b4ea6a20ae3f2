import Crypto
import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The sign-in throttle's counters in the database (`LoginThrottlePolicy`, S1) and the known
/// browsers that pass it. Keys are stored as SHA-256 digests: a stranger's typed username never
/// reaches the database or a log.
struct LoginThrottle: Sendable {
    let database: DatabaseService
    let policy: LoginThrottlePolicy

    struct Key: Sendable, Hashable {
        var kind: LoginThrottlePolicy.Kind
        var hash: String

        static func account(_ username: String) -> Key { Key(kind: .account, text: username.lowercased()) }
        static func source(_ address: String) -> Key { Key(kind: .source, text: address) }
        /// The phone registration's ID-number look-ups from one address (M1): counted like the
        /// address's sign-in failures, on a counter of their own, so that registering a site's
        /// workers never slows their sign-ins, and a stranger cannot test numbers in bulk.
        static func registrationLookup(_ address: String) -> Key {
            Key(kind: .source, text: "registration-id-check:\(address)")
        }
        static func device(_ tokenHash: String, account: UUID) -> Key {
            Key(kind: .device, text: "\(account.uuidString):\(tokenHash)")
        }

        private init(kind: LoginThrottlePolicy.Kind, text: String) {
            self.kind = kind
            hash = Digest.hex(SHA256.hash(data: Data("\(kind.rawValue):\(text)".utf8)))
        }
    }

    /// The latest moment any of `keys` must wait until, if one waits now.
    func blockedUntil(_ keys: [Key], at now: Date) async throws -> Date? {
        let rows = try await LoginThrottleModel.query(on: database.database()).filter(\.$id ~~ keys.map(\.hash)).all()
        return rows.compactMap(\.blockedUntil).filter { $0 > now }.max()
    }

    /// Counts a wrong password under each key; answers the account key's state afterwards.
    @discardableResult
    func recordFailure(_ keys: [Key], at now: Date) async throws -> [LoginThrottlePolicy.Kind: LoginThrottlePolicy
        .State]
    {
        let db = database.database()
        var states: [LoginThrottlePolicy.Kind: LoginThrottlePolicy.State] = [:]
        for key in keys {
            let row = try await LoginThrottleModel.find(key.hash, on: db)
            let before = row.map {
                LoginThrottlePolicy.State(
                    failures: $0.failures, lastFailure: $0.lastFailureAt, blockedUntil: $0.blockedUntil)
            }
            let after = policy.afterFailure(before ?? .clear, kind: key.kind, at: now)
            states[key.kind] = after
            let model = row ?? LoginThrottleModel(keyHash: key.hash, kind: key.kind.rawValue, at: now)
            if after.failures == 1 { model.firstFailureAt = now }
            model.failures = after.failures
            model.lastFailureAt = now
            model.blockedUntil = after.blockedUntil
            do {
                try await model.save(on: db)
            } catch  where row == nil {
                // Another process counted this key's first failure at the same moment: count on its row.
                guard let existing = try await LoginThrottleModel.find(key.hash, on: db) else { throw error }
                existing.failures += 1
                existing.lastFailureAt = now
                existing.blockedUntil = after.blockedUntil
                try await existing.update(on: db)
            }
        }
        return states
    }

    /// A correct password clears the account's and the browser's counts (not the address's: one
    /// account's owner signing in does not clear what a stranger ran up from the same address).
    func clear(_ keys: [Key]) async throws {
        let hashes = keys.filter { $0.kind != .source }.map(\.hash)
        guard !hashes.isEmpty else { return }
        try await LoginThrottleModel.query(on: database.database()).filter(\.$id ~~ hashes).delete()
    }

    // MARK: Known browsers

    /// The SHA-256 of a known-device cookie's token.
    static func tokenHash(_ token: String) -> String { Digest.hex(SHA256.hash(data: Data(token.utf8))) }

    /// Whether the browser holding `token` signed in to `account` before.
    func isKnownDevice(token: String?, account: UUID) async throws -> Bool {
        guard let token, (16...128).contains(token.count) else { return false }
        return try await KnownDeviceModel.query(on: database.database()).filter(\.$accountID == account)
            .filter(\.$tokenHash == Self.tokenHash(token)).count() > 0
    }

    /// Records the browser after a correct password; answers the token its cookie should hold (the
    /// one it has, or a new one).
    func rememberDevice(token: String?, account: UUID, at now: Date) async throws -> String {
        let db = database.database()
        let current = token.flatMap { (16...128).contains($0.count) ? $0 : nil } ?? Self.newToken()
        let hash = Self.tokenHash(current)
        if let row = try await KnownDeviceModel.query(on: db).filter(\.$accountID == account)
            .filter(\.$tokenHash == hash).first()
        {
            row.lastUsedAt = now
            try await row.update(on: db)
        } else {
            try await KnownDeviceModel(accountID: account, tokenHash: hash, at: now).create(on: db)
        }
        return current
    }

    static func newToken() -> String {
        Digest.randomToken(byteCount: 32)
    }
}
