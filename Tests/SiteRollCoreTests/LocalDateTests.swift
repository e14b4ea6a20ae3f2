import Foundation
import Testing

@testable import SiteRollCore

@Suite("Local dates")
struct LocalDateTests {
    @Test(
        "yyyy-MM-dd parsing accepts only real days",
        arguments: [
            ("2026-05-20", true), ("2000-02-29", true), ("1900-02-29", false), ("2023-02-29", false),
            ("2024-02-29", true), ("2026-04-31", false), ("2026-13-01", false), ("2026-5-20", false),
            ("20260520", false), ("２026-05-20", false), ("", false),
        ])
    func parsing(text: String, valid: Bool) {
        #expect((LocalDate(text) != nil) == valid)
        if valid { #expect(LocalDate(text)?.description == text) }
    }

    @Test(
        "age in completed years goes up on the birthday",
        arguments: [
            ("2010-05-20", "2026-05-20", 16), ("2010-05-21", "2026-05-20", 15), ("2010-05-19", "2026-05-20", 16),
            ("2000-02-29", "2018-02-28", 17), ("2000-02-29", "2018-03-01", 18), ("2000-02-29", "2020-02-29", 20),
            ("2030-01-01", "2026-05-20", -4),
        ])
    func age(birth: String, on day: String, age: Int) {
        #expect(LocalDate(birth)!.age(on: LocalDate(day)!) == age)
    }

    @Test("ordering, adding years and the text form")
    func basics() throws {
        #expect(LocalDate("2025-12-31")! < LocalDate("2026-01-01")!)
        #expect(LocalDate("2024-02-29")!.adding(years: 1) == LocalDate("2025-02-28"))
        #expect(LocalDate(compact: "20000229") == LocalDate("2000-02-29"))
        #expect(LocalDate(compact: "19000229") == nil)
        let encoded = try JSONEncoder().encode([LocalDate("2026-05-20")!])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["2026-05-20"]"#)
        #expect(try JSONDecoder().decode([LocalDate].self, from: encoded) == [LocalDate("2026-05-20")!])
    }

    @Test("the calendar day of an instant depends on the time zone")
    func fromDate() throws {
        let instant = Date(timeIntervalSince1970: 1_779_292_800)  // 2026-05-20T16:00:00Z
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        #expect(LocalDate(instant, in: shanghai) == LocalDate("2026-05-21"))
        #expect(LocalDate(instant, in: TimeZone(secondsFromGMT: 0)!) == LocalDate("2026-05-20"))
    }
}
