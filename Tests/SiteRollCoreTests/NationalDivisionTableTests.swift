import Testing

@testable import SiteRollCore

/// The national GB/T 2260 history (Resources/divisions-national.tsv) and the address-code rule of issue 3.
@Suite("National division table")
struct NationalDivisionTableTests {
    let table = RealNameFixtures.divisions

    @Test("the shipped table loads with its distinct codes (DIVISIONS-SOURCE.md counts)")
    func loads() {
        #expect(table.codeCount == 7199)
        #expect(table.name(of: "510104") == "锦江区")
        #expect(table.name(of: "510122") == "双流县")
        #expect(table.name(of: "999999") == nil)
    }

    @Test("a renamed code has several rows; its name depends on the year")
    func renamed() {
        #expect(table.entries(for: "120110").map(\.name) == ["东郊区", "东丽区"])
        #expect(table.entries(for: "120110").map(\.until) == [1991, nil])
        #expect(table.name(of: "120110") == "东丽区")
        #expect(table.name(of: "120110", inYear: 1985) == "东郊区")
        #expect(table.name(of: "120110", inYear: 2000) == "东丽区")
        #expect(table.name(of: "510122", inYear: 2020) == "双流县")
    }

    @Test(
        "an address code is valid if in force in some year from the birth year on, a year of slack",
        arguments: [
            ("510122", 1985, true), ("510122", 2014, true), ("510122", 2015, true), ("510122", 2016, false),
            ("510122", nil, true), ("510116", 1985, true), ("510116", nil, true), ("510104", 2026, true),
            ("110103", 2010, true), ("110103", 2011, false),
            // Source quirk 150427 赤峰县 1983–1982: the later year is taken as the end.
            ("150427", 1984, true), ("150427", 1985, false),
            ("999999", nil, false), ("510200", 1985, true), ("510200", 1998, false), ("51010", nil, false),
        ] as [(String, Int?, Bool)])
    func addressCode(code: String, birthYear: Int?, valid: Bool) {
        #expect(table.isValidAddressCode(code, birthYear: birthYear) == valid)
    }

    @Test("malformed rows are refused with their line number")
    func malformed() throws {
        let good = try NationalDivisionTable.parse(tsv: "# c\ncode\tname\tsince\tuntil\n510122\t双流县\t\t2014\n")
        #expect(good.entries(for: "510122") == [.init(code: "510122", name: "双流县", since: nil, until: 2014)])
        #expect(throws: NationalDivisionTable.LoadError.malformedLine(number: 2, line: "510122\t双流县\t\t14")) {
            try NationalDivisionTable.parse(tsv: "# c\n510122\t双流县\t\t14\n")
        }
        #expect(throws: NationalDivisionTable.LoadError.self) {
            try NationalDivisionTable.parse(tsv: "5101\t双流县\t\t\n")
        }
    }
}
