import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt, off the cooperative pool: one hash costs tens to hundreds of milliseconds of CPU.
public struct PasswordHasher: Sendable {
    /// bcrypt cost; 10 in production. Tests lower it to keep the suite quick; 4 is bcrypt's minimum.
    public var cost: UInt8

    public init(cost: UInt8 = 10) {
        self.cost = max(4, min(cost, 16))
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash of nothing anyone knows: verifying against it costs the same time as a real check,
    /// so that a wrong username is not faster to reject than a wrong password.
    public var decoyHash: String {
        // decoyHashes holds an entry for the default cost 10 (a constant table above).
        Self.decoyHashes[Int(cost)] ?? Self.decoyHashes[10]!
    }

    private static let decoyHashes: [Int: String] = Dictionary(
        uniqueKeysWithValues: [4, 10].map { ($0, Bcrypt.hash(Digest.randomToken(), cost: UInt8($0))) })
}
