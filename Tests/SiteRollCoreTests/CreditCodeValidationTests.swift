import Testing

@testable import SiteRollCore

/// GB 32100 and GB 11714 (standards.md e.2), issue 3 item 1: every fault at once, with the worked examples.
@Suite("Credit code validation")
struct CreditCodeValidationTests {
    let validator = CreditCodeValidator(divisions: RealNameFixtures.divisions)

    @Test(
        "credit codes: faults and warnings",
        arguments: [
            // The standards' worked examples.
            ("91350100M000100Y43", [CreditCodeFault](), [CreditCodeWarning]()),
            ("9144030071526726XG", [], []),
            ("91350100m000100y43", [], []),
            (" 91350100M000100Y43 ", [], []),
            // Central registration authority: 100000 is not a GB/T 2260 row but is accepted.
            ("91100000M000100Y4U", [], []),
            // 双流县's code, retired, still identifies the authority that registered the firm.
            ("91510122M000100Y4U", [], []),
            ("91350100M000100Y44", [.checkCharacter], []),
            ("91350100M000100Y4", [.length(actual: 17, organisationCodeAllowed: false)], []),
            ("", [.length(actual: 0, organisationCodeAllowed: false)], []),
            ("91350100I000100Y43", [.characters(invalid: "I")], []),
            (
                "91350100M000100Y4-3",
                [.length(actual: 19, organisationCodeAllowed: false), .characters(invalid: "-")], []
            ),
            ("9135O100S000100Y43", [.characters(invalid: "OS")], []),
            ("91999999M000100Y42", [.division(code: "999999")], []),
            ("91999999M000100Y43", [.checkCharacter, .division(code: "999999")], []),
            ("31350100M000100Y49", [], [.unusualEntityType("31")]),
            ("91350100M000100Y56", [], [.innerOrganisationCode]),
        ])
    func creditCodes(input: String, faults: [CreditCodeFault], warnings: [CreditCodeWarning]) {
        let result = validator.validate(input)
        #expect(result.faults == faults)
        #expect(result.warnings == warnings)
        #expect(result.kind == .creditCode)
        #expect(result.isValid == faults.isEmpty)
    }

    @Test("the registration division of a credit code")
    func division() {
        #expect(validator.validate("91350100M000100Y43").registrationDivision == "350100")
        #expect(validator.validate("M000100Y4", allowingOrganisationCode: true).registrationDivision == nil)
    }

    @Test(
        "organisation codes where a unit has none (corpCode)",
        arguments: [
            ("M000100Y4", "M000100Y4", [CreditCodeFault]()),
            ("71526726X", "71526726X", []),
            ("71526726-x", "71526726X", []),
            ("M000100Y-4", "M000100Y4", []),
            ("000000000", "000000000", []),  // 11 − 0 = 11 is written 0
            ("M000100Y5", "M000100Y5", [.organisationCodeCheckCharacter]),
            ("M000100Y*", "M000100Y*", [.organisationCodeCharacters]),
            ("M00010_Y4", "M00010_Y4", [.organisationCodeCharacters]),
        ])
    func organisationCodes(input: String, normalized: String, faults: [CreditCodeFault]) {
        let result = validator.validate(input, allowingOrganisationCode: true)
        #expect(result.kind == .organisationCode)
        #expect(result.normalized == normalized)
        #expect(result.faults == faults)
    }

    @Test("a credit code is still checked as one where organisation codes are allowed")
    func bothAllowed() {
        #expect(validator.validate("91350100M000100Y43", allowingOrganisationCode: true).isValid)
        #expect(
            validator.validate("M000100Y", allowingOrganisationCode: true).faults == [
                .length(actual: 8, organisationCodeAllowed: true)
            ])
        #expect(validator.validate("M000100Y4").faults == [.length(actual: 9, organisationCodeAllowed: false)])
    }

    @Test(
        "GB 11714 check characters (the standards' worked examples)",
        arguments: [("M000100Y", "4"), ("71526726", "X"), ("00000000", "0"), ("M000100", nil), ("M000100_", nil)]
            as [(String, Character?)])
    func organisationCheck(body: String, check: Character?) {
        #expect(OrganisationCode.checkCharacter(forFirst8: body) == check)
    }

    @Test("every fault and warning has a stable code and a Chinese message")
    func codes() {
        let all: [any VerificationFinding] = [
            CreditCodeFault.length(actual: 0, organisationCodeAllowed: true),
            CreditCodeFault.characters(invalid: "I"), CreditCodeFault.checkCharacter,
            CreditCodeFault.division(code: "999999"), CreditCodeFault.organisationCodeCharacters,
            CreditCodeFault.organisationCodeCheckCharacter, CreditCodeWarning.unusualEntityType("31"),
            CreditCodeWarning.innerOrganisationCode,
        ]
        #expect(
            all.map(\.code) == [
                "CREDIT_CODE_LENGTH", "CREDIT_CODE_CHARACTERS", "CREDIT_CODE_CHECK_CHARACTER", "CREDIT_CODE_DIVISION",
                "ORGANISATION_CODE_CHARACTERS", "ORGANISATION_CODE_CHECK_CHARACTER", "CREDIT_CODE_ENTITY_TYPE",
                "CREDIT_CODE_ORGANISATION_CODE",
            ])
        for finding in all { #expect(!finding.chineseMessage.isEmpty) }
    }
}
