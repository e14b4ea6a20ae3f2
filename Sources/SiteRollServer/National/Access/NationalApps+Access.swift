import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// A national app's life after issue 15 item 4 (A1): configured by an approved application,
/// rotated with an overlap, revoked at once. Each runs inside the caller's audited transaction.
extension NationalApps {
    /// What an approval did to the project's app.
    enum Configured: Sendable, Equatable {
        /// A new appid (the project code) with a new secret, shown once to the holder.
        case created
        /// The active app of the same holder: name, methods and addresses replaced, secret kept.
        case updated
        /// A revoked app, or one another enterprise held: active again under the applicant with a
        /// new secret (shown once); the old secret stops at once.
        case reissued
    }

    /// The settings an approved application gives an app.
    struct Settings: Sendable {
        var name: String
        var holder: UUID
        /// Comma-separated method names; nil: every method.
        var methods: String?
        /// Comma-separated canonical addresses; nil: any.
        var allowedIPs: String?
    }

    /// Makes or updates the project's one app ("一项目一密钥": appid = project code).
    func configure(_ project: ProjectModel, _ settings: Settings, revealPending: Bool, on tx: any Database)
        async throws -> (AppCredentialModel, Configured)
    {
        let existing = try await AppCredentialModel.query(on: tx).filter(\.$appID == project.code).first()
        if let existing, existing.kind != Self.kind {
            throw AppError(
                .conflict, code: "ACCESS_APPID_TAKEN",
                message: "项目编码 \(project.code) 已被其他类型的接入凭证占用，请联系平台运维")
        }
        let app: AppCredentialModel
        let outcome: Configured
        if let existing, existing.status == "active", existing.revokedAt == nil,
            existing.$enterprise.id == settings.holder, existing.secretSealed != nil
        {
            app = existing
            outcome = .updated
        } else {
            let secret = Self.newSecret()
            app =
                existing
                ?? AppCredentialModel(
                    appID: project.code, name: settings.name, secretHash: "", enterpriseID: settings.holder,
                    divisionCode: project.divisionCode)
            outcome = existing == nil ? .created : .reissued
            app.kind = Self.kind
            app.projectID = project.uuid
            app.secretHash = Digest.sha256Hex(secret)
            app.secretSealed = try cipher.seal(secret)
            app.previousSecretSealed = nil
            app.previousSecretUntil = nil
            app.secretRevealPending = revealPending
            app.status = "active"
            app.revokedAt = nil
            app.revokeReason = nil
        }
        app.name = settings.name
        app.$enterprise.id = settings.holder
        app.divisionCode = project.divisionCode
        app.methods = settings.methods
        app.allowedIPs = settings.allowedIPs
        try await app.save(on: tx)
        return (app, outcome)
    }

    /// A new current secret; the old one keeps verifying until `now + overlap`. A second rotation
    /// within the overlap drops the oldest secret at once (at most two verify at any time).
    func rotate(_ app: AppCredentialModel, overlap: TimeInterval, revealPending: Bool, now: Date, on tx: any Database)
        async throws -> String
    {
        let secret = Self.newSecret()
        if overlap > 0, let current = app.secretSealed {
            app.previousSecretSealed = current
            app.previousSecretUntil = now.addingTimeInterval(overlap)
        } else {
            app.previousSecretSealed = nil
            app.previousSecretUntil = nil
        }
        app.secretSealed = try cipher.seal(secret)
        app.secretHash = Digest.sha256Hex(secret)
        app.secretRevealPending = revealPending
        try await app.update(on: tx)
        return secret
    }

    /// Stops the app at once: `find` no longer returns it, so its next call answers -1.
    func revoke(_ app: AppCredentialModel, reason: String, now: Date, on tx: any Database) async throws {
        app.status = "revoked"
        app.revokedAt = now
        app.revokeReason = reason
        app.previousSecretSealed = nil
        app.previousSecretUntil = nil
        app.secretRevealPending = false
        try await app.update(on: tx)
    }

    /// The current secret, opened (for the one-time reveal and the demo's start-up report).
    func secret(of app: AppCredentialModel) -> String? {
        app.secretSealed.flatMap { try? cipher.open($0) }
    }
}
