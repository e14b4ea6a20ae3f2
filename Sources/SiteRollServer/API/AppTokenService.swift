import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Connected systems exchange their app id and secret for a bearer token (A1 groundwork).
/// Applying for, approving, rotating and revoking credentials come with platform access.
struct AppTokenService: Sendable {
    let database: DatabaseService
    let sessions: SessionService
    let hasher: PasswordHasher
    /// Opens a national app's sealed secret: its appid and secret take a token like any system's.
    let cipher: FieldCipher
    /// Wrong secrets wait like wrong passwords (S1, S3), keyed by the app id and the address.
    let throttle: LoginThrottle
    let audit = AuditTrail()

    func issue(appID: String, secret: String, now: Date = ServerClock.now()) async throws -> SessionService.Issued {
        let db = database.database()
        let keys: [LoginThrottle.Key] = [.account("app:" + appID.prefix(100)), .source(RequestOrigin.address)]
        if let until = try await throttle.blockedUntil(keys, at: now) { throw AccountService.throttled(until: until) }
        let refused = AppError(.unauthorized, code: "APP_CREDENTIALS_INVALID", message: "应用编号或密钥错误")
        guard let app = try await AppCredentialModel.query(on: db).filter(\.$appID == appID).first() else {
            _ = try await hasher.verify(secret, against: hasher.decoyHash)
            try await throttle.recordFailure(keys, at: now)
            throw refused
        }
        guard try await matches(secret, app) else {
            try await throttle.recordFailure(keys, at: now)
            throw refused
        }
        try await throttle.clear(keys)
        guard app.status == "active", app.revokedAt == nil else {
            throw AppError(.forbidden, code: "APP_NOT_ACTIVE", message: "该接入应用未启用或已被吊销，请联系主管部门")
        }
        let appKey = app.uuid
        return try await audit.write(
            on: db, actor: AuditActor(id: appKey.uuidString, name: app.appID, role: "app")
        ) { tx in
            let issued = try await sessions.issue(on: tx, channel: .app, accountID: nil, appCredentialID: appKey)
            return (
                issued,
                AuditDraft(
                    action: "app.token-issued", entityType: "app", entityID: appKey.uuidString,
                    divisionCode: app.divisionCode ?? "", enterpriseID: app.$enterprise.id?.uuidString ?? "",
                    summary: "接入应用 \(app.name) 换取访问令牌", change: ["app": app.appID])
            )
        }
    }

    /// A national app keeps its secret sealed (the national signature needs it); the others a hash.
    private func matches(_ secret: String, _ app: AppCredentialModel) async throws -> Bool {
        guard app.kind == NationalApps.kind else { return try await hasher.verify(secret, against: app.secretHash) }
        guard let sealed = app.secretSealed, let kept = try? cipher.open(sealed) else { return false }
        // After a rotation the previous secret still counts until its overlap ends (A1), as at /open.api.
        var secrets = [kept]
        if let until = app.previousSecretUntil, until > ServerClock.now(), let previous = app.previousSecretSealed,
            let opened = try? cipher.open(previous)
        {
            secrets.append(opened)
        }
        // Equal-length digests compared without an early exit.
        let given = Array(Digest.sha256Hex(secret).utf8)
        return secrets.map { Self.same(Array(Digest.sha256Hex($0).utf8), given) }.contains(true)
    }

    private static func same(_ expected: [UInt8], _ given: [UInt8]) -> Bool {
        expected.count == given.count && zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Registers a credential and returns its one-time secret. Used by tests and, later, by the
    /// platform-access approval flow.
    func register(name: String, enterpriseID: UUID?, divisionCode: String?, actor: AuditActor) async throws
        -> (appID: String, secret: String)
    {
        let appID = "app" + Digest.randomToken(byteCount: 9).lowercased().filter { $0.isLetter || $0.isNumber }
        let secret = Digest.randomToken(byteCount: 32)
        let model = AppCredentialModel(
            appID: appID, name: name, secretHash: try await hasher.hash(secret), enterpriseID: enterpriseID,
            divisionCode: divisionCode)
        try await audit.write(on: database.database(), actor: actor) { tx in
            try await model.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "app.registered", entityType: "app", entityID: model.uuid.uuidString,
                    divisionCode: divisionCode ?? "", enterpriseID: enterpriseID?.uuidString ?? "",
                    summary: "登记接入应用 \(name)", change: ["app": appID])
            )
        }
        return (appID, secret)
    }
}
