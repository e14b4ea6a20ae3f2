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
    @Test("S1: failures wait longer and longer after five, a wait ends by itself, and a quiet day starts afresh")
    func throttle() {
        let policy = LoginThrottlePolicy(freeFailures: 5, sourceFreeFailures: 30, firstDelay: 30, maximumDelay: 900)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var state = LoginThrottlePolicy.State.clear
        for attempt in 1...4 {
            state = policy.afterFailure(state, kind: .account, at: start)
            #expect(state.failures == attempt && !policy.isBlocked(state, at: start))
        }
        state = policy.afterFailure(state, kind: .account, at: start)
        #expect(policy.startsThrottling(state, kind: .account))
        #expect(policy.isBlocked(state, at: start.addingTimeInterval(29)))
        #expect(!policy.isBlocked(state, at: start.addingTimeInterval(31)))
        // Each further failure doubles the wait, up to the maximum.
        var waits: [TimeInterval] = []
        for _ in 1...8 {
            state = policy.afterFailure(state, kind: .account, at: start)
            waits.append(state.blockedUntil!.timeIntervalSince(start))
        }
        #expect(waits == [60, 120, 240, 480, 900, 900, 900, 900])
        // A source address is allowed more failures before it waits (an office behind one gateway).
        var source = LoginThrottlePolicy.State.clear
        for _ in 1...29 { source = policy.afterFailure(source, kind: .source, at: start) }
        #expect(!policy.isBlocked(source, at: start))
        source = policy.afterFailure(source, kind: .source, at: start)
        #expect(policy.isBlocked(source, at: start))
        // A day without failures starts the count again.
        state = policy.afterFailure(state, kind: .account, at: start.addingTimeInterval(86_401))
        #expect(state.failures == 1 && state.blockedUntil == nil)
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
