import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// A national app as the gateway sees it: who it is, what it may do, its secret opened.
struct NationalApp: Sendable {
    var credentialID: UUID
    var appID: String
    var name: String
    var projectID: UUID?
    var enterpriseID: UUID?
    /// The secret the request was signed with (the current one until the gateway has verified).
    var secret: String
    /// The current secret and, within the overlap after a rotation, the previous one (A1).
    var secrets: [String]
    /// nil: every method.
    var methods: Set<String>?
    /// nil: any address.
    var allowedIPs: Set<String>?
    var ratePerMinute: Int?
}

/// National apps (issue 15, A1): "一项目一密钥" — one app per project whose appid is the project
/// code and whose 32-character secret is kept sealed (the signature needs it). Issuing for a
/// project is the first step; applications, approval, rotation and revocation build on it.
struct NationalApps: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher

    static let kind = "national"

    /// A new secret: 32 characters of letters and digits, as the national platform issues them.
    static func newSecret() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The project's app, made if it has none; its appid and secret.
    func ensure(for project: ProjectModel) async throws -> (appID: String, secret: String) {
        let db = database.database()
        if let existing = try await AppCredentialModel.query(on: db).filter(\.$kind == Self.kind)
            .filter(\.$projectID == project.uuid).filter(\.$status == "active").first(),
            let sealed = existing.secretSealed, let secret = try? cipher.open(sealed)
        {
            return (existing.appID, secret)
        }
        let secret = Self.newSecret()
        let app = AppCredentialModel(
            appID: project.code, name: "\(project.name)（国家接口）", secretHash: Digest.sha256Hex(secret),
            enterpriseID: project.contractorEnterpriseID, divisionCode: project.divisionCode)
        app.kind = Self.kind
        app.projectID = project.uuid
        app.secretSealed = try cipher.seal(secret)
        try await app.create(on: db)
        return (app.appID, secret)
    }

    /// The active app with this appid, its secrets opened (the current one, and the previous one
    /// until its overlap ends); nil for an unknown, revoked or damaged one.
    func find(_ appID: String, at now: Date = ServerClock.now()) async throws -> NationalApp? {
        guard !appID.isEmpty, appID.count <= 64 else { return nil }
        guard
            let model = try await AppCredentialModel.query(on: database.database()).filter(\.$appID == appID)
                .filter(\.$kind == Self.kind).filter(\.$status == "active").first(),
            model.revokedAt == nil, let sealed = model.secretSealed, let secret = try? cipher.open(sealed)
        else { return nil }
        var secrets = [secret]
        if let until = model.previousSecretUntil, until > now, let previous = model.previousSecretSealed,
            let opened = try? cipher.open(previous)
        {
            secrets.append(opened)
        }
        func set(_ text: String?) -> Set<String>? {
            text.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        }
        return NationalApp(
            credentialID: model.uuid, appID: model.appID, name: model.name, projectID: model.projectID,
            enterpriseID: model.$enterprise.id,
            secret: secret, secrets: secrets, methods: set(model.methods), allowedIPs: Self.addresses(model.allowedIPs),
            ratePerMinute: model.ratePerMinute)
    }

    /// The allowed source addresses, each IPv4 one also as a dual-stack listener reports it
    /// (`::ffff:a.b.c.d`); nil: any address.
    static func addresses(_ stored: String?) -> Set<String>? {
        guard let stored else { return nil }
        var addresses: Set<String> = []
        for text in stored.split(separator: ",") {
            let text = text.trimmingCharacters(in: .whitespaces)
            addresses.insert(text)
            if case .success(let address) = SourceAddress.parse(text), let mapped = address.mappedIPv6 {
                addresses.insert(mapped)
            }
        }
        return addresses
    }

    /// Records a call the gateway accepted as the app's last use (at most one write a minute).
    func touch(_ app: NationalApp, at now: Date) async throws {
        try await NationalAccessQueries(database.database()).touch(app.credentialID, at: now)
    }
}
