import Foundation
import SiteRollCore

/// One reason a submission was refused or a warning attached to it, tied to the form field it
/// concerns so that pages can show it next to the field (issue 3, item 6).
struct Finding: Codable, Sendable, Equatable {
    var code: String
    var field: String
    var message: String

    init(_ code: String, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    init(_ finding: some VerificationFinding, field: String) {
        self.init(finding.code, field: field, finding.chineseMessage)
    }

    static func encode(_ findings: [Finding]) -> String {
        (try? String(decoding: JSONEncoder().encode(findings), as: UTF8.self)) ?? "[]"
    }

    static func decode(_ text: String) -> [Finding] {
        (try? JSONDecoder().decode([Finding].self, from: Data(text.utf8))) ?? []
    }
}

/// What a verification submission came to.
struct VerificationOutcome: Sendable {
    enum Status: String, Sendable {
        case passed
        case refused
        /// Kept, waiting for the identity authority; decided by a retry.
        case waiting
    }

    var serial: String
    var status: Status
    var message: String
    var faults: [Finding]
    var warnings: [Finding]
    var verificationCode: String?
    var subjectID: UUID?
    var simulated: Bool

    /// Refusal findings for one field, for showing next to it.
    func faults(for field: String) -> [Finding] { faults.filter { $0.field == field } }
}

enum VerificationSerial {
    /// `VR` + yyyyMMdd (Asia/Shanghai) + 8 random characters.
    static func make(now: Date = ServerClock.now()) -> String {
        let day = LocalDate.today(in: ChineseFormat.timeZone, now: now)
        let digits = String(format: "%04d%02d%02d", day.year, day.month, day.day)
        var generator = SystemRandomNumberGenerator()
        // The alphabet is a non-empty constant: randomElement always has one to give.
        let tail = String((0..<8).map { _ in VerificationCodeIssuer.alphabet.randomElement(using: &generator)! })
        return "VR" + digits + tail
    }
}
