import Testing

@testable import SiteRollCore

/// standards.md d.4: under 16 refused, over 60 accepted with a health-certificate warning, per division.
@Suite("Age policy")
struct AgePolicyTests {
    @Test(
        "Sichuan defaults at the boundaries (today 2026-05-20)",
        arguments: [
            ("2010-05-20", AgeDecision.accepted(warnings: [])),  // 16 on the birthday itself
            ("2010-05-21", .refused(.underMinimum(minimumAge: 16))),  // 16 tomorrow
            ("2030-01-01", .refused(.underMinimum(minimumAge: 16))),  // not born yet
            ("1966-05-20", .accepted(warnings: [])),  // exactly 60
            ("1965-05-21", .accepted(warnings: [])),  // 60, the day before the 61st birthday
            ("1965-05-20", .accepted(warnings: [.healthCertificateRequired(thresholdAge: 60)])),  // 61
            ("1940-01-01", .accepted(warnings: [.healthCertificateRequired(thresholdAge: 60)])),
        ])
    func defaults(birth: String, decision: AgeDecision) {
        let policy = AgePolicy()
        #expect(policy.evaluate(birthDate: LocalDate(birth)!, on: RealNameFixtures.today) == decision)
    }

    @Test(
        "a stricter local policy with an upper limit",
        arguments: [
            ("2008-05-20", AgeDecision.accepted(warnings: [])),  // 18
            ("2008-05-21", .refused(.underMinimum(minimumAge: 18))),
            ("1971-05-20", .accepted(warnings: [.healthCertificateRequired(thresholdAge: 54)])),  // 55
            ("1966-05-20", .accepted(warnings: [.healthCertificateRequired(thresholdAge: 54)])),  // 60
            ("1965-05-20", .refused(.overMaximum(maximumAge: 60))),  // 61
        ])
    func strict(birth: String, decision: AgeDecision) {
        let policy = AgePolicy(minimumAge: 18, healthCertificateAge: 54, maximumAge: 60)
        #expect(policy.evaluate(birthDate: LocalDate(birth)!, on: RealNameFixtures.today) == decision)
    }

    @Test(
        "the most specific division's policy applies: county over city over province over default",
        arguments: [
            ("510104", "510104"), ("510105", "510100"), ("510100", "510100"), ("510703", "510000"),
            ("510000", "510000"), ("520102", nil),
        ] as [(String, String?)])
    func resolution(division: String, governing: String?) {
        let province = AgePolicy(healthCertificateAge: 60)
        let city = AgePolicy(healthCertificateAge: 55)
        let county = AgePolicy(maximumAge: 65)
        let fallback = AgePolicy(minimumAge: 17)
        let book = AgePolicyBook(
            defaultPolicy: fallback,
            policies: [
                DivisionCode("510000")!: province, DivisionCode("510100")!: city, DivisionCode("510104")!: county,
            ])
        let code = DivisionCode(division)!
        #expect(book.governingDivision(for: code)?.rawValue == governing)
        let expected = governing.map { book.policies[DivisionCode($0)!]! } ?? fallback
        #expect(book.policy(for: code) == expected)
    }

    @Test("an empty book uses Sichuan's defaults")
    func emptyBook() {
        let book = AgePolicyBook()
        #expect(book.policy(for: DivisionCode("510104")!) == AgePolicy(minimumAge: 16, healthCertificateAge: 60))
        let decision = book.evaluate(
            birthDate: LocalDate("2011-01-01")!, on: RealNameFixtures.today, in: DivisionCode("510104")!)
        #expect(!decision.isAccepted)
    }

    @Test("reasons and warnings carry stable codes and Chinese messages")
    func codes() {
        #expect(AgeRefusal.underMinimum(minimumAge: 16).code == "AGE_UNDER_MINIMUM")
        #expect(AgeRefusal.overMaximum(maximumAge: 60).code == "AGE_OVER_MAXIMUM")
        #expect(AgeWarning.healthCertificateRequired(thresholdAge: 60).code == "AGE_HEALTH_CERTIFICATE_REQUIRED")
        #expect(AgeRefusal.underMinimum(minimumAge: 16).chineseMessage.contains("16 周岁"))
        #expect(AgeWarning.healthCertificateRequired(thresholdAge: 60).chineseMessage.contains("健康证明"))
    }
}

@Suite("Age policy configuration")
struct AgePolicyParsingTests {
    @Test("per-division policies from configuration text; the most specific division governs")
    func parse() throws {
        let book = try AgePolicyBook.parse("510100:16:60, 513400:18:55:65")
        #expect(book.policy(for: DivisionCode("510104")!) == AgePolicy(minimumAge: 16, healthCertificateAge: 60))
        #expect(
            book.policy(for: DivisionCode("513401")!)
                == AgePolicy(minimumAge: 18, healthCertificateAge: 55, maximumAge: 65))
        #expect(book.policy(for: DivisionCode("510703")!) == .sichuanDefault)
        #expect(try AgePolicyBook.parse("").policies.isEmpty)
    }

    @Test(
        "malformed entries are refused",
        arguments: ["5101:16:60", "510100:16", "510100:60:16", "510100:a:60", "510100:16:60:10"])
    func malformed(text: String) {
        #expect(throws: AgePolicyBook.ParseError.self) { try AgePolicyBook.parse(text) }
    }
}
