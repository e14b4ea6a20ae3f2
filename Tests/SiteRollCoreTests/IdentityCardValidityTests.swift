import Testing

@testable import SiteRollCore

/// The validity period printed on the card (issue 3 item 2: an expired card is refused).
@Suite("Identity card validity")
struct IdentityCardValidityTests {
    @Test(
        "the printed forms parse to a start and an end (nil = 长期)",
        arguments: [
            ("2015.03.12-2035.03.12", "2015-03-12", "2035-03-12"),
            ("2015-03-12至2035-03-12", "2015-03-12", "2035-03-12"),
            ("20150312-20350312", "2015-03-12", "2035-03-12"),
            ("2015-03-12-2035-03-12", "2015-03-12", "2035-03-12"),
            ("2015/3/12~2035/3/12", "2015-03-12", "2035-03-12"),
            ("2015年03月12日至2035年03月12日", "2015-03-12", "2035-03-12"),
            (" 2015.03.12 － 2035.03.12 ", "2015-03-12", "2035-03-12"),
            ("2015.03.12-长期", "2015-03-12", nil),
            ("2015-03-12-长期", "2015-03-12", nil),
            ("20150312至长期有效", "2015-03-12", nil),
        ] as [(String, String, String?)])
    func parses(text: String, start: String, end: String?) throws {
        let validity = try #require(IdentityCardValidity(parsing: text))
        #expect(validity.start == LocalDate(start))
        #expect(validity.end == end.flatMap(LocalDate.init))
        #expect(validity.isLongTerm == (end == nil))
    }

    @Test(
        "faults and warnings on a given day",
        arguments: [
            ("2015.03.12-2035.03.12", [IdentityCardValidityFault](), [IdentityCardValidityWarning]()),
            ("2015.03.12-长期", [], []),
            ("2016.05.20-2026.05.20", [], []),  // valid through the printed end date
            ("2016.05.19-2026.05.19", [.expired], []),
            ("2035.03.12-2015.03.12", [.endBeforeStart, .notYetValid, .expired], []),
            ("2026.05.21-2046.05.21", [.notYetValid], []),
            ("2015.03.12-2036.03.12", [], [.unusualTerm]),  // 21 years: a year mistyped?
            ("2024.02.29-2029.02.28", [], []),
            ("2024.02.29-2034.03.01", [], []),
            ("2015.03.12", [.unreadable], []),
            ("2015.03.12-2035.02.30", [.unreadable], []),
            ("长期", [.unreadable], []),
            ("", [.unreadable], []),
            ("2015.03.12-2025.03.12-2035.03.12", [.unreadable], []),
        ])
    func check(text: String, faults: [IdentityCardValidityFault], warnings: [IdentityCardValidityWarning]) {
        let check = IdentityCardValidity.check(text, today: RealNameFixtures.today)
        #expect(check.faults == faults)
        #expect(check.warnings == warnings)
        #expect(check.isAcceptable == faults.isEmpty)
    }

    @Test("the printed form round-trips")
    func printed() {
        #expect(IdentityCardValidity(parsing: "20150312-长期")?.printed == "2015.03.12-长期")
        #expect(IdentityCardValidity(parsing: "2015-03-12至2035-03-12")?.printed == "2015.03.12-2035.03.12")
    }

    @Test("codes are stable")
    func codes() {
        let all: [any VerificationFinding] = [
            IdentityCardValidityFault.unreadable, IdentityCardValidityFault.endBeforeStart,
            IdentityCardValidityFault.expired, IdentityCardValidityFault.notYetValid,
            IdentityCardValidityWarning.unusualTerm,
        ]
        #expect(
            all.map(\.code) == [
                "ID_CARD_VALIDITY_FORMAT", "ID_CARD_VALIDITY_ORDER", "ID_CARD_EXPIRED", "ID_CARD_NOT_YET_VALID",
                "ID_CARD_VALIDITY_TERM",
            ])
    }
}
