import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Sessions and bearer tokens, kept in the database so that any process can serve any request.
/// The client holds a random token; the database holds only its SHA-256.
struct SessionService: Sendable {
    let database: DatabaseService
    let consoleLifetime: TimeInterval
    let apiLifetime: TimeInterval
    /// Seals one-time messages (`Flash`); without it none is kept.
    var cipher: FieldCipher? = nil

    struct Issued: Sendable {
        var sessionID: UUID
        var token: String
        var csrfToken: String
        var expiresAt: Date
    }

    func issue(
        on db: any Database, channel: SessionModel.Channel, accountID: UUID?, appCredentialID: UUID? = nil,
        now: Date = ServerClock.now()
    ) async throws -> Issued {
        let token = Digest.randomToken()
        let session = SessionModel()
        session.id = UUID()
        session.tokenHash = Digest.sha256Hex(token)
        session.channelRaw = channel.rawValue
        session.$account.id = accountID
        session.$appCredential.id = appCredentialID
        session.csrfToken = Digest.randomToken(byteCount: 24)
        session.createdAt = now
        session.expiresAt = now.addingTimeInterval(channel == .console ? consoleLifetime : apiLifetime)
        session.lastSeenAt = now
        try await session.create(on: db)
        return Issued(sessionID: session.uuid, token: token, csrfToken: session.csrfToken, expiresAt: session.expiresAt)
    }

    /// The live session for a token, with its account (and enterprise) or app loaded; nil when
    /// the token is unknown, expired, of another channel, or its account is disabled.
    func resolve(token: String, channels: Set<SessionModel.Channel>, now: Date = ServerClock.now()) async throws
        -> SessionIdentity?
    {
        guard !token.isEmpty, token.count <= 128 else { return nil }
        let db = database.database()
        guard
            let session = try await SessionModel.query(on: db)
                .filter(\.$tokenHash == Digest.sha256Hex(token))
                .with(\.$account, { $0.with(\.$enterprise) })
                .with(\.$appCredential)
                .first(),
            let channel = SessionModel.Channel(rawValue: session.channelRaw), channels.contains(channel),
            session.expiresAt > now
        else { return nil }
        var identity = SessionIdentity(
            sessionID: session.uuid, channel: channel, csrfToken: session.csrfToken, account: nil, app: nil,
            flash: channel == .console ? Self.openFlash(session.flash, cipher: cipher) : nil)
        if let account = session.account {
            guard account.active, account.enterprise?.status != "suspended" else { return nil }
            identity.account = AccountSnapshot(account)
        } else if let app = session.appCredential {
            guard app.status == "active", app.revokedAt == nil else { return nil }
            identity.app = AppSnapshot(
                id: app.uuid, appID: app.appID, name: app.name, enterpriseID: app.$enterprise.id,
                divisionCode: app.divisionCode.flatMap { DivisionCode($0) })
        } else {
            return nil
        }
        // Sliding expiry for consoles, written at most every five minutes to keep reads cheap.
        if channel == .console, now.timeIntervalSince(session.lastSeenAt) > 300 {
            session.lastSeenAt = now
            session.expiresAt = now.addingTimeInterval(consoleLifetime)
            try await session.update(on: db)
        }
        return identity
    }

    func revoke(sessionID: UUID, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$id == sessionID).delete()
    }

    /// Ends every session of an account, e.g. after a password change.
    func revokeAll(accountID: UUID, except keep: UUID? = nil, on db: any Database) async throws {
        var query = SessionModel.query(on: db).filter(\.$account.$id == accountID)
        if let keep { query = query.filter(\.$id != keep) }
        try await query.delete()
    }
}
