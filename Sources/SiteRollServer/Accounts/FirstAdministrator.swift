import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// On a database with no accounts at all, creates the platform's administrator for its home
/// division, with the configured password or a one-time one that must be changed at first login.
struct FirstAdministrator: Sendable {
    let accounts: AccountService

    struct Created: Sendable {
        var username: String
        /// Set only when SiteRoll generated it: the operator reads it once, on the console.
        var generatedPassword: String?
    }

    func createIfNoAccounts(division: DivisionCode, configuredPassword: String?) async throws -> Created? {
        let db = accounts.database.database()
        guard try await AccountModel.query(on: db).count() == 0 else { return nil }
        let generated = configuredPassword == nil ? Self.oneTimePassword() : nil
        let password = configuredPassword ?? generated ?? Self.oneTimePassword()
        let violations = accounts.passwordPolicy.violations(of: password)
        guard violations.isEmpty else {
            throw AppError.badRequest(
                "ADMIN_PASSWORD_INVALID", "配置的管理员密码不符合要求：" + violations.map(\.chineseMessage).joined(separator: "；"))
        }
        let account = AccountModel(
            username: "admin", displayName: "\(accounts.divisions.division(division)?.name ?? division.rawValue)平台管理员",
            role: .regulatorAdmin, passwordHash: try await accounts.hasher.hash(password),
            divisionCode: division.rawValue,
            mustChangePassword: generated != nil)
        try await accounts.audit.write(on: db, actor: .system) { tx in
            try await account.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "account.created", entityType: "account", entityID: account.uuid.uuidString,
                    divisionCode: division.rawValue, summary: "首次启动，创建平台管理员 admin",
                    change: ["username": "admin", "role": Role.regulatorAdmin.rawValue])
            )
        }
        return Created(username: "admin", generatedPassword: generated)
    }

    /// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I), always letters and digits.
    static func oneTimePassword() -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
        let digits = Array("23456789")
        var generator = SystemRandomNumberGenerator()
        // Both alphabets are non-empty constants: randomElement always has one to give.
        var characters = (0..<12).map { _ in letters.randomElement(using: &generator)! }
        characters += (0..<4).map { _ in digits.randomElement(using: &generator)! }  // as above
        return String(characters.shuffled(using: &generator))
    }
}
