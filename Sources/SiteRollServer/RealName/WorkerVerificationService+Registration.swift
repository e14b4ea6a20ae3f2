import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The phone registration's own questions (M1): whether a number may still register, asked at the
/// ID step before any photo; the age limits the page checks in the browser; and the sealed receipt
/// the result page after the post-redirect-get reads.
extension WorkerVerificationService {
    /// A worker registering on the phone whose number already has a phone account: the one rule,
    /// used by the submission's checks, by the submission itself (a second post racing the first)
    /// and by the ID step's early check.
    static let alreadyRegistered = Finding(
        "ALREADY_REGISTERED", field: "idNumber", "该身份证号已注册过，请用注册时的手机号直接登录；忘记密码请联系用工企业的劳资专管员重置")

    /// The verified worker holding `number` (one person, one record: G1), if any.
    func verifiedWorker(number: String) async throws -> WorkerModel? {
        guard
            let worker = try await WorkerModel.query(on: database.database())
                .filter(\.$idNumberHMAC == cipher.lookupHash(number)).first(), worker.verificationCode != nil
        else { return nil }
        return worker
    }

    /// Whether the worker already signed up on the phone (has an account of their own).
    func hasPhoneAccount(_ worker: WorkerModel) async throws -> Bool {
        try await AccountModel.query(on: database.database()).filter(\.$worker.$id == worker.uuid).count() > 0
    }

    /// The age limits a phone registration is checked against: those of the platform's division,
    /// since a worker registering alone has no enterprise yet (`submitterDivision`).
    var selfRegistrationAgePolicy: AgePolicy { agePolicies.policy(for: platformDivision) }

    struct NumberCheck: Sendable, Equatable, Codable {
        var ok: Bool
        var code: String
        var message: String
    }

    /// The ID step's check: the number's own rules and the age limits (no database), then whether
    /// the number already registered, by the same rule as the submission. Restrictions are not
    /// told here: they are reported with the whole submission, to its submitter, as before.
    func checkNumberForRegistration(_ text: String, now: Date = ServerClock.now()) async throws -> NumberCheck {
        let today = LocalDate.today(in: ChineseFormat.timeZone, now: now)
        let validation = numbers.validate(text, today: today)
        guard let facts = validation.facts else {
            let faults = validation.faults
            return NumberCheck(
                ok: false, code: faults.first?.code ?? "ID_NUMBER_INVALID",
                message: faults.map(\.chineseMessage).joined(separator: "；"))
        }
        if case .refused(let refusal) = selfRegistrationAgePolicy.evaluate(birthDate: facts.birthDate, on: today) {
            return NumberCheck(ok: false, code: refusal.code, message: refusal.chineseMessage)
        }
        if let worker = try await verifiedWorker(number: facts.number), try await hasPhoneAccount(worker) {
            return NumberCheck(ok: false, code: Self.alreadyRegistered.code, message: Self.alreadyRegistered.message)
        }
        return NumberCheck(ok: true, code: "OK", message: "")
    }

    // MARK: The result page's receipt

    /// What the result page after a phone registration shows, sealed (AES-GCM under the field key)
    /// into a short-lived cookie. See `WorkerRegistrationPages` for why.
    struct RegistrationReceipt: Codable, Sendable {
        var serial: String
        var status: String
        var code: String
        var message: String
        var warnings: [String]
        var simulated: Bool
        var issuedAt: Date
        /// A keyed hash of the browser's form-token cookie: the receipt opens only beside it.
        var browser: String
    }

    /// How long the result page can be reopened (a refresh, the back button).
    static let receiptLifetime: TimeInterval = 30 * 60

    func sealReceipt(_ outcome: VerificationOutcome, browserToken: String, now: Date = ServerClock.now()) throws
        -> String
    {
        let receipt = RegistrationReceipt(
            serial: outcome.serial, status: outcome.status.rawValue, code: outcome.verificationCode ?? "",
            message: outcome.message, warnings: outcome.warnings.map(\.message), simulated: outcome.simulated,
            issuedAt: now, browser: receiptBrowser(browserToken))
        let sealed = try cipher.seal(String(decoding: try JSONEncoder().encode(receipt), as: UTF8.self))
        // Base64url: the cookie value holds no `+`, `/` or `=`.
        return sealed.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The outcome a receipt records, when it is this serial's, this browser's and still fresh.
    func openReceipt(_ sealed: String, serial: String, browserToken: String, now: Date = ServerClock.now())
        -> VerificationOutcome?
    {
        guard sealed.utf8.count <= 8192 else { return nil }
        var base64 = sealed.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let text = try? cipher.open(base64),
            let receipt = try? JSONDecoder().decode(RegistrationReceipt.self, from: Data(text.utf8)),
            receipt.serial == serial, receipt.browser == receiptBrowser(browserToken),
            let status = VerificationOutcome.Status(rawValue: receipt.status),
            now.timeIntervalSince(receipt.issuedAt) >= -60,
            now.timeIntervalSince(receipt.issuedAt) <= Self.receiptLifetime
        else { return nil }
        return VerificationOutcome(
            serial: receipt.serial, status: status, message: receipt.message, faults: [],
            warnings: receipt.warnings.map { Finding("", field: "", $0) },
            verificationCode: receipt.code.isEmpty ? nil : receipt.code, subjectID: nil, simulated: receipt.simulated)
    }

    private func receiptBrowser(_ token: String) -> String { cipher.lookupHash("registration-receipt:\(token)") }
}
