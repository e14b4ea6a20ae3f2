import Testing

@testable import SiteRollCore

/// The national code tables of standards.md c that real-name verification needs.
@Suite("Code tables")
struct CodeTableTests {
    @Test(
        "tables have unique codes and the expected sizes",
        arguments: [
            (CodeTable.idCardTypes, 17), (CodeTable.genders, 2), (CodeTable.nations, 58),
            (CodeTable.enterpriseRegistrationTypes, 32), (CodeTable.creditCodeEntityTypes, 12),
        ])
    func shape(table: CodeTable, count: Int) {
        #expect(table.entries.count == count)
        #expect(Set(table.entries.map(\.code)).count == count)
        #expect(Set(table.entries.map(\.name)).count == count)
        #expect(!table.source.isEmpty)
    }

    @Test(
        "known entries",
        arguments: [
            (CodeTable.idCardTypes, "01", "居民身份证"), (CodeTable.idCardTypes, "17", "香港身份证"),
            (CodeTable.genders, "0", "男"), (CodeTable.genders, "1", "女"), (CodeTable.nations, "01", "汉族"),
            (CodeTable.nations, "04", "藏族"), (CodeTable.nations, "07", "彝族"), (CodeTable.nations, "33", "羌族"),
            (CodeTable.nations, "56", "基诺族"), (CodeTable.enterpriseRegistrationTypes, "173", "私营有限责任公司"),
            (CodeTable.enterpriseRegistrationTypes, "810", "军队单位"), (CodeTable.creditCodeEntityTypes, "91", "企业（市场监管）"),
        ])
    func known(table: CodeTable, code: String, name: String) {
        #expect(table.name(of: code) == name)
        #expect(table.contains(code))
        #expect(table.code(named: name) == code)
    }

    @Test("nations 01–56 are consecutive GB/T 3304 codes")
    func nationsConsecutive() {
        let codes = CodeTable.nations.entries.prefix(56).map(\.code)
        #expect(codes == (1...56).map { $0 < 10 ? "0\($0)" : "\($0)" })
        #expect(!CodeTable.nations.contains("57"))
    }

    @Test(
        "a nationality as printed on the card",
        arguments: [
            ("汉", "01"), ("汉族", "01"), ("彝", "07"), (" 羌 ", "33"), ("土", "30"), ("土家", "15"), ("土家族", "15"),
            ("蒙古", "02"), ("其他", "97"), ("火星", nil), ("", nil),
        ] as [(String, String?)])
    func printedNation(printed: String, code: String?) {
        #expect(CodeTable.nationCode(forPrintedName: printed) == code)
    }

    @Test("gender codes follow the national platform, and the 17th digit of a number")
    func gender() {
        #expect(Gender.male.nationalCode == "0")
        #expect(Gender.female.nationalCode == "1")
        #expect(Gender(nationalCode: "1") == .female)
        #expect(Gender(nationalCode: "2") == nil)
        #expect(Gender(chineseName: "男") == .male)
        #expect(
            (0...9).map { Gender(sequenceDigit: $0) } == [
                .female, .male, .female, .male, .female, .male, .female, .male, .female, .male,
            ])
        #expect(CodeTable.residentIdentityCardType == "01")
    }
}
