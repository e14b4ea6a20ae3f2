import Foundation
import SiteRollClient
import SiteRollCore
import SiteRollNational
import Testing

/// The conformance kit's made-up identities pass SiteRollCore's own validators (standards.md e.1,
/// e.2, e.4), so a platform that checks as the national one does accepts them.
@Suite("Conformance samples: ID numbers, credit codes, cards, JPEG")
struct ConformanceSampleTests {
    @Test("citizen IDs: GB 11643 check character, a Sichuan address, 30 to 45 years old on the day")
    func citizenIDs() throws {
        var random = SystemRandomNumberGenerator()
        let validator = IdentityNumberValidator(divisions: try NationalDivisionTable.bundled())
        let now = Date()
        let today = LocalDate.today(in: NationalTimestamp.timeZone, now: now)
        for _ in 0..<200 {
            let number = ConformanceSamples.citizenID(
                birthDate: ConformanceSamples.birthDate(today: now, using: &random), using: &random)
            #expect(number.count == 18 && number.hasPrefix("510104"))
            #expect(IdentityNumber.hasValidCheckCharacter(number), "\(number)")
            let facts = try #require(validator.validate(number, today: today).facts, "\(number)")
            #expect((30...45).contains(facts.birthDate.age(on: today)), "\(number)")
        }
    }

    @Test("credit codes: GB 32100 check character, division 510104, a valid inner organisation code")
    func creditCodes() throws {
        var random = SystemRandomNumberGenerator()
        let validator = CreditCodeValidator(divisions: try NationalDivisionTable.bundled())
        for _ in 0..<200 {
            let code = ConformanceSamples.creditCode(using: &random)
            let validation = validator.validate(code)
            #expect(validation.isValid && validation.warnings.isEmpty, "\(code): \(validation)")
            #expect(validation.registrationDivision == "510104")
        }
    }

    @Test("bank cards pass Luhn; mobiles are 11 digits from 1; the JPEG is a small JPEG")
    func cardsPhonesAndPicture() {
        var random = SystemRandomNumberGenerator()
        #expect(ConformanceSamples.luhnCheckDigit("7992739871") == 3, "the textbook Luhn example")
        for _ in 0..<100 {
            let card = ConformanceSamples.bankCard(using: &random)
            #expect(
                card.count == 19
                    && ConformanceSamples.luhnCheckDigit(String(card.dropLast())) == card.last?.wholeNumberValue)
            let mobile = ConformanceSamples.mobile(using: &random)
            #expect(mobile.count == 11 && mobile.hasPrefix("1") && mobile.allSatisfy(\.isNumber))
            #expect(ConformanceSamples.workerName(using: &random).hasPrefix("测试工人"))
        }
        let jpeg = ConformanceSamples.jpeg
        #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]) && jpeg.suffix(2) == Data([0xFF, 0xD9]))
        #expect(jpeg.count == 159 && jpeg.base64EncodedString().utf8.count <= 50 * 1024)
    }
}
