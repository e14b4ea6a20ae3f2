import Foundation
import Testing

@testable import SiteRollCore

/// standards.md e.1 and e.2: the check characters, with the standards' own worked examples.
@Suite("Identity numbers and credit codes")
struct ValidationTests {
    @Test("GB 11643 check character", arguments: [("11010519491231002", "X"), ("51010419850312123", nil)])
    func identityCheck(body: String, expected: Character?) {
        let check = IdentityNumber.checkCharacter(forFirst17: body)
        if let expected { #expect(check == expected) } else { #expect(check != nil) }
    }

    @Test(
        "valid and invalid identity numbers",
        arguments: [
            ("11010519491231002X", true), ("11010519491231002x", true), ("110105194912310021", false),
            ("11010519491231002", false), ("1101051949123100２X", false),
        ])
    func identityValid(number: String, valid: Bool) {
        #expect(IdentityNumber.hasValidCheckCharacter(number) == valid)
    }

    @Test(
        "GB 32100 check character",
        arguments: [
            ("91350100M000100Y43", true), ("9144030071526726XG", true), ("91350100M000100Y44", false),
            ("91350100M000100Y4", false), ("91350100I000100Y43", false),
        ])
    func creditCode(code: String, valid: Bool) {
        #expect(CreditCode.isValid(code) == valid)
    }
}

/// S1: lock-out after repeated failures; password rules.
@Suite("Account rules")
struct AccountRuleTests {
    @Test("five failures lock for the configured time; an expired lock starts a new count")
    func lockout() {
        let policy = LockoutPolicy(maximumFailures: 5, lockDuration: 900)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var state = LockoutPolicy.cleared
        for attempt in 1...4 {
            state = policy.afterFailure(state, at: start)
            #expect(state.failedAttempts == attempt)
            #expect(!policy.isLocked(state, at: start))
        }
        state = policy.afterFailure(state, at: start)
        #expect(policy.isLocked(state, at: start.addingTimeInterval(899)))
        #expect(!policy.isLocked(state, at: start.addingTimeInterval(901)))
        state = policy.afterFailure(state, at: start.addingTimeInterval(901))
        #expect(state.failedAttempts == 1)
        #expect(state.lockedUntil == nil)
    }

    @Test(
        "passwords need eight characters with letters and digits",
        arguments: [
            ("Demo@2026", 0), ("abc12345", 0), ("abcdefgh", 1), ("1234567", 2), ("", 2),
        ])
    func password(text: String, problems: Int) {
        #expect(PasswordPolicy().violations(of: text).count == problems)
    }

    @Test("who may create whom")
    func creation() {
        #expect(Role.regulatorAdmin.mayCreate(.regulator))
        #expect(Role.regulatorAdmin.mayCreate(.regulatorAdmin))
        #expect(!Role.regulatorAdmin.mayCreate(.labourOfficer))
        #expect(Role.enterpriseAdmin.mayCreate(.labourOfficer))
        #expect(!Role.enterpriseAdmin.mayCreate(.regulator))
        #expect(!Role.regulator.mayCreate(.regulator))
        #expect(!Role.labourOfficer.mayCreate(.labourOfficer))
        #expect(!Role.worker.mayCreate(.worker))
    }
}

/// S5: the canonical text that the audit hash covers.
@Suite("Audit entry")
struct AuditEntryTests {
    func entry(summary: String = "s", actor: String = "a") -> AuditEntry {
        AuditEntry(
            sequence: 1, occurredAt: Date(timeIntervalSince1970: 1_800_000_000.123), actorID: "id", actorName: actor,
            actorRole: "r", action: "x", entityType: "t", entityID: "e", divisionCode: "510104", enterpriseID: "",
            summary: summary, changeDigest: "d", previousHash: AuditEntry.genesisHash)
    }

    @Test("any field change changes the text; field boundaries cannot be shifted")
    func canonical() {
        #expect(entry().canonicalText != entry(summary: "t").canonicalText)
        #expect(entry(summary: "ab", actor: "a").canonicalText != entry(summary: "b", actor: "aa").canonicalText)
        #expect(entry().canonicalText.contains("1800000000123"))
    }
}
