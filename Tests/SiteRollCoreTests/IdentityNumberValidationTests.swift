import Testing

@testable import SiteRollCore

/// GB 11643 (standards.md e.1), issue 3 item 2: every kind of fault, reported all at once.
@Suite("Identity number validation")
struct IdentityNumberValidationTests {
    let validator = IdentityNumberValidator(divisions: RealNameFixtures.divisions)

    @Test(
        "valid numbers and what they say",
        arguments: [
            // The standard's own sample: 北京市朝阳区, 1949-12-31, sequence 002 → female.
            ("11010519491231002X", "11010519491231002X", "1949-12-31", Gender.female, "朝阳区", false),
            ("11010519491231002x", "11010519491231002X", "1949-12-31", .female, "朝阳区", false),
            ("  11010519491231002X\n", "11010519491231002X", "1949-12-31", .female, "朝阳区", false),
            // 510122 双流县 was retired in 2015; a number issued before keeps it.
            ("510122198503121235", "510122198503121235", "1985-03-12", .male, "双流县", false),
            // Born in the last table year of 双流县: a year of slack.
            ("510122201506011247", "510122201506011247", "2015-06-01", .female, "双流县", false),
            // The new code in the number of someone born long before it existed.
            ("510116198503121238", "510116198503121238", "1985-03-12", .male, "双流区", false),
            // 会理市 since 2021 (the supplement of the table).
            ("513402199001011237", "513402199001011237", "1990-01-01", .male, "会理市", false),
            // Legacy 15 digits: "19" inserted and the check character appended.
            ("510104850312123", "510104198503121232", "1985-03-12", .male, "锦江区", true),
            // 2000 is a leap year (divisible by 400).
            ("110105200002290013", "110105200002290013", "2000-02-29", .male, "朝阳区", false),
        ])
    func valid(input: String, number: String, birth: String, gender: Gender, place: String, legacy: Bool) throws {
        let facts = try #require(validator.validate(input, today: RealNameFixtures.today).facts)
        #expect(facts.number == number)
        #expect(facts.birthDate == RealNameFixtures.date(birth))
        #expect(facts.gender == gender)
        #expect(facts.addressCode == String(number.prefix(6)))
        #expect(facts.addressName == place)
        #expect(facts.wasLegacy == legacy)
    }

    @Test(
        "numbers with faults report every one",
        arguments: [
            ("", [IdentityNumberFault.length(actual: 0)]),
            ("11010519491231002", [.length(actual: 17)]),
            ("1101051949123100X", [.length(actual: 17)]),
            ("11010519491231002X1", [.length(actual: 19), .characters]),
            ("11010519491231002Y", [.characters]),
            ("1101051949123100X2", [.characters]),
            ("1101051949123100２X", [.characters]),
            ("110105 19491231002X", [.length(actual: 19), .characters]),
            ("51010485031212X", [.characters]),
            ("110105194912310021", [.checkDigit]),
            ("110105190002290017", [.birthDate]),
            ("110105194913310011", [.checkDigit, .birthDate]),
            ("11010520300101001X", [.birthInFuture]),
            ("99999919850312123X", [.region(code: "999999")]),
            // 510200 was 重庆市 while Chongqing belonged to Sichuan (until the 1996 table).
            ("510200198503121232", []),
            ("510200200001010014", [.region(code: "510200")]),
            // 双流县 ended with the 2014 table; nobody born in 2016 was issued a number with it.
            ("510122201606011244", [.region(code: "510122")]),
            ("999999190002290013", [.checkDigit, .birthDate, .region(code: "999999")]),
        ])
    func invalid(input: String, faults: [IdentityNumberFault]) {
        let result = validator.validate(input, today: RealNameFixtures.today)
        #expect(result.faults == faults)
        #expect((result.facts != nil) == faults.isEmpty)
    }

    @Test("the declared birth date and gender must agree with the number")
    func mismatches() {
        let today = RealNameFixtures.today
        let agreeing = validator.validate(
            "11010519491231002X", today: today, declaredBirthDate: RealNameFixtures.date("1949-12-31"),
            declaredGender: .female)
        #expect(agreeing.facts != nil)
        let both = validator.validate(
            "11010519491231002X", today: today, declaredBirthDate: RealNameFixtures.date("1949-12-30"),
            declaredGender: .male)
        #expect(both.faults == [.birthMismatch, .genderMismatch])
        let withOtherFaults = validator.validate("110105194912310021", today: today, declaredGender: .male)
        #expect(withOtherFaults.faults == [.checkDigit, .genderMismatch])
    }

    @Test("a birth on the day of the check is not in the future")
    func bornToday() {
        let today = RealNameFixtures.date("2030-01-01")
        #expect(validator.validate("11010520300101001X", today: today).facts?.birthDate == today)
    }

    @Test("every fault has a stable code and a message that never shows the number")
    func messages() {
        let faults: [IdentityNumberFault] = [
            .length(actual: 0), .length(actual: 17), .characters, .checkDigit, .birthDate, .birthInFuture,
            .region(code: "999999"), .birthMismatch, .genderMismatch,
        ]
        #expect(
            Set(faults.map(\.code)) == [
                "ID_NUMBER_LENGTH", "ID_NUMBER_CHARACTERS", "ID_NUMBER_CHECK_DIGIT", "ID_NUMBER_BIRTH_DATE",
                "ID_NUMBER_BIRTH_IN_FUTURE", "ID_NUMBER_REGION", "ID_NUMBER_BIRTH_MISMATCH",
                "ID_NUMBER_GENDER_MISMATCH",
            ])
        for fault in faults {
            #expect(!fault.chineseMessage.isEmpty)
            #expect(!fault.chineseMessage.contains("19491231"))
        }
    }

    @Test(
        "masking shows the address code and the last four",
        arguments: [
            ("510104198503121234", "510104********1234"), ("11010519491231002x", "110105********002X"),
            (" 510104850312123 ", "510104*****2123"), ("5101041985", "**********"), ("", ""),
        ])
    func masking(number: String, masked: String) {
        #expect(IdentityNumber.masked(number) == masked)
    }

    @Test("legacy numbers convert only from 15 ASCII digits")
    func legacy() {
        #expect(IdentityNumber.upgradedLegacyNumber("510104850312123") == "510104198503121232")
        #expect(IdentityNumber.upgradedLegacyNumber("51010485031212") == nil)
        #expect(IdentityNumber.upgradedLegacyNumber("51010485031212X") == nil)
    }
}
