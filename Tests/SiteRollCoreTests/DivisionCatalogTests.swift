import Testing

@testable import SiteRollCore

/// Issue 2 item 3: the complete GB/T 2260 list for Sichuan, each division with its parent and level.
@Suite("Divisions (GB/T 2260, Sichuan)")
struct DivisionCatalogTests {
    let catalog: DivisionCatalog

    init() throws {
        catalog = try DivisionCatalog.sichuan()
    }

    @Test("one province, 21 cities and prefectures, every county under one of them")
    func completeness() {
        let byLevel = Dictionary(grouping: catalog.divisions, by: \.level)
        #expect(byLevel[.province]?.map(\.code.rawValue) == ["510000"])
        #expect(byLevel[.city]?.count == 21)
        #expect((byLevel[.county]?.count ?? 0) >= 180)
        let cities = Set(byLevel[.city]?.map(\.code) ?? [])
        for county in byLevel[.county] ?? [] {
            #expect(county.parentCode.map(cities.contains) == true, "\(county.code) has no city parent")
            #expect(county.code.impliedLevel == .county)
        }
        for city in byLevel[.city] ?? [] { #expect(city.parentCode?.rawValue == "510000") }
    }

    @Test(
        "known divisions and their names",
        arguments: [
            ("510104", "锦江区", "510100"), ("510116", "双流区", "510100"), ("510185", "简阳市", "510100"),
            ("513402", "会理市", "513400"), ("510703", "涪城区", "510700"), ("511502", "翠屏区", "511500"),
        ])
    func known(code: String, name: String, parent: String) throws {
        let division = try #require(catalog.division(DivisionCode(code)!))
        #expect(division.name == name)
        #expect(division.parentCode?.rawValue == parent)
    }

    @Test("retired codes are not current divisions")
    func retired() {
        #expect(catalog.division(DivisionCode("510122")!) == nil)  // 双流县, now 510116
        #expect(catalog.division(DivisionCode("510200")!) == nil)  // never used
    }

    @Test("path and full name from the province down")
    func path() {
        #expect(catalog.path(to: DivisionCode("510104")!).map(\.name) == ["四川省", "成都市", "锦江区"])
        #expect(catalog.fullName(of: DivisionCode("510104")!) == "四川省 / 成都市 / 锦江区")
        #expect(catalog.fullName(of: DivisionCode("999999")!) == "999999")
    }

    @Test(
        "a division reaches itself and what lies beneath, never above or beside",
        arguments: [
            ("510000", "510104", true), ("510100", "510104", true), ("510104", "510104", true),
            ("510104", "510100", false), ("510100", "510703", false), ("510700", "510703", true),
            ("510100", "511000", false), ("510000", "520102", false),
        ])
    func reach(owner: String, target: String, expected: Bool) {
        #expect(DivisionCode(owner)!.reaches(DivisionCode(target)!) == expected)
    }

    @Test("division codes are exactly six digits", arguments: ["51010", "5101044", "51010a", "", "５１０１０４"])
    func malformed(text: String) {
        #expect(DivisionCode(text) == nil)
    }

    @Test("a table with an unknown parent is refused")
    func unknownParent() {
        #expect(throws: DivisionCatalog.LoadError.unknownParent(code: "510104", parent: "510100")) {
            try DivisionCatalog.parse(tsv: "510000\t四川省\tprovince\t\n510104\t锦江区\tcounty\t510100\n")
        }
    }
}
