import Testing

@testable import SiteRollCore

/// The project, worker, contract, payroll and training code tables of standards.md c, and the platform
/// tables that stand in where the standard has none.
@Suite("Project code tables")
struct ProjectCodeTableTests {
    @Test(
        "tables have unique codes and names and the expected sizes",
        arguments: [
            (CodeTable.workTypes, 39), (CodeTable.workRoles, 2), (CodeTable.participationTypes, 12),
            (CodeTable.politicsTypes, 13), (CodeTable.cultureLevels, 9), (CodeTable.maritalStatuses, 4),
            (CodeTable.contractPeriodTypes, 2), (CodeTable.projectCategories, 13), (CodeTable.projectStatuses, 5),
            (CodeTable.approvalLevels, 6), (CodeTable.projectSizes, 3), (CodeTable.constructionNatures, 7),
            (CodeTable.projectFunctions, 18), (CodeTable.entryExitTypes, 2), (CodeTable.pieceUnits, 3),
            (CodeTable.banks, 36), (CodeTable.trainingTypes, 4), (CodeTable.managerRoles, 5),
            (CodeTable.wageBases, 3), (CodeTable.guaranteeForms, 4),
        ] as [(CodeTable, Int)])
    func shape(table: CodeTable, count: Int) {
        #expect(table.entries.count == count)
        #expect(Set(table.entries.map(\.code)).count == count)
        #expect(Set(table.entries.map(\.name)).count == count)
        #expect(table.entries.allSatisfy { !$0.code.isEmpty && !$0.name.isEmpty })
        #expect(!table.source.isEmpty)
    }

    @Test("every table names its source in standards.md or marks itself as the platform's [I]")
    func sources() {
        let tables: [CodeTable] = [
            .workTypes, .workRoles, .participationTypes, .politicsTypes, .cultureLevels, .maritalStatuses,
            .contractPeriodTypes, .projectCategories, .projectStatuses, .approvalLevels, .projectSizes,
            .constructionNatures, .projectFunctions, .entryExitTypes, .pieceUnits, .banks, .trainingTypes,
        ]
        for table in tables { #expect(table.source.hasPrefix("standards.md c.")) }
        #expect(CodeTable.workTypes.source == "standards.md c.1 工种")
        #expect(CodeTable.entryExitTypes.source == "standards.md c.17b 进退场类型")
        for table in [CodeTable.managerRoles, .wageBases, .guaranteeForms] { #expect(table.source.hasPrefix("[I] ")) }
        #expect(CodeTable.managerRoles.source == "[I] 建市〔2019〕18号 R4")
        #expect(CodeTable.guaranteeForms.source == "[I] 人社部发〔2021〕65号")
    }

    @Test(
        "known entries",
        arguments: [
            (CodeTable.workTypes, "010", "砌筑工"), (CodeTable.workTypes, "390", "杂工 (普工)"),
            (CodeTable.workTypes, "900", "管理人员"), (CodeTable.workTypes, "1000", "其它"),
            (CodeTable.workRoles, "20", "建筑工人"), (CodeTable.participationTypes, "006", "劳务分包"),
            (CodeTable.participationTypes, "009", "总承包单位"), (CodeTable.politicsTypes, "13", "群众"),
            (CodeTable.cultureLevels, "99", "其他"), (CodeTable.maritalStatuses, "04", "丧偶"),
            (CodeTable.contractPeriodTypes, "1", "以完成一定工作为期限的合同"), (CodeTable.projectCategories, "01", "房屋建筑工程"),
            (CodeTable.projectStatuses, "003", "在建"), (CodeTable.approvalLevels, "005", "国家级"),
            (CodeTable.projectSizes, "03", "小型"), (CodeTable.constructionNatures, "099", "其他"),
            (CodeTable.projectFunctions, "011", "排水"), (CodeTable.entryExitTypes, "0", "退场"),
            (CodeTable.pieceUnits, "82", "立方米"), (CodeTable.banks, "105", "中国建设银行"), (CodeTable.banks, "313", "城市商业银行"),
            (CodeTable.banks, "402", "农村信用社"), (CodeTable.banks, "989", "香港地区银行"),
            (CodeTable.trainingTypes, "003002", "入场教育"), (CodeTable.managerRoles, "pm", "项目负责人（项目经理）"),
            (CodeTable.managerRoles, "labour", "劳资专管员"), (CodeTable.wageBases, "piece", "按件（计量）计酬"),
            (CodeTable.guaranteeForms, "bank", "银行保函"),
        ] as [(CodeTable, String, String)])
    func known(table: CodeTable, code: String, name: String) {
        #expect(table.name(of: code) == name)
        #expect(table.contains(code))
        #expect(table.code(named: name) == code)
    }

    @Test("codes are strings with their leading zeros kept")
    func leadingZeros() {
        #expect(CodeTable.workTypes.entries.first?.code == "010")
        #expect(!CodeTable.workTypes.contains("10"))
        #expect(CodeTable.banks.entries.first?.code == "001")
        #expect(!CodeTable.banks.contains("1"))
        #expect(CodeTable.trainingTypes.entries.map(\.code) == ["003001", "003002", "003003", "003004"])
        #expect(!CodeTable.trainingTypes.contains("3001"))
        #expect(CodeTable.projectCategories.contains("01") && !CodeTable.projectCategories.contains("1"))
        #expect(CodeTable.constructionNatures.contains("099") && !CodeTable.constructionNatures.contains("99"))
        #expect(CodeTable.projectFunctions.contains("010") && !CodeTable.projectFunctions.contains("10"))
    }

    @Test("work types run 010–390 in steps of ten without 260 and 370, then 900 and 1000")
    func workTypeCodes() {
        let expected =
            stride(from: 10, through: 390, by: 10).filter { $0 != 260 && $0 != 370 }
            .map { $0 < 100 ? "0\($0)" : "\($0)" } + ["900", "1000"]
        #expect(CodeTable.workTypes.entries.map(\.code) == expected)
    }

    @Test("entry/exit types are not attendance directions (c.17b 1/0, not c.17 01/02)")
    func entryExitTypes() {
        #expect(CodeTable.entryExitTypes.code(named: "进场") == "1")
        #expect(CodeTable.entryExitTypes.code(named: "退场") == "0")
        #expect(!CodeTable.entryExitTypes.contains("01"))
    }

    @Test("banks: the listed main entries, 312 not among them, foreign banks by their CNAPS category")
    func banks() {
        let codes = CodeTable.banks.entries.map(\.code)
        #expect(Array(codes.prefix(9)) == ["001", "100", "102", "103", "104", "105", "201", "202", "203"])
        #expect(codes.contains("301") && codes.contains("320") && !codes.contains("312"))
        #expect(Array(codes.suffix(6)) == ["501", "502", "531", "671", "969", "989"])
        #expect(CodeTable.banks.name(of: "501") == "汇丰银行")
        #expect(CodeTable.banks.name(of: "671") == "渣打银行")
    }

    @Test(
        "banks carry their current names (issue 14 item 6), codes unchanged",
        arguments: [
            ("306", "广发银行"), ("307", "平安银行"), ("314", "农村商业银行"), ("318", "渤海银行"), ("319", "徽商银行"),
            ("320", "村镇银行"), ("402", "农村信用社"), ("403", "中国邮政储蓄银行"), ("969", "澳门地区银行"),
        ])
    func bankCurrentNames(code: String, name: String) {
        #expect(CodeTable.banks.name(of: code) == name)
    }

    @Test("bank names are plain Chinese: no digits, ASCII, slashes or former names; 311 is not a bank")
    func bankNamesClean() {
        for entry in CodeTable.banks.entries {
            #expect(entry.name.unicodeScalars.allSatisfy { !$0.isASCII }, "\(entry.code) \(entry.name)")
            #expect(!entry.name.contains { $0.isNumber || $0 == "／" || $0 == "、" }, "\(entry.code) \(entry.name)")
            #expect(entry.name.hasSuffix("银行") || entry.name.hasSuffix("信用社") || entry.name.hasSuffix("）"))
            #expect(entry.name.first != "镇", "\(entry.code) \(entry.name)")
        }
        let names = CodeTable.banks.entries.map(\.name)
        for former in ["广东发展银行", "深圳发展银行", "东莞商业银行", "有限责任公司", "股份有限公司"] {
            #expect(!names.contains { $0.contains(former) }, "\(former)")
        }
        #expect(!CodeTable.banks.contains("311"))
    }

    @Test(
        "work types accepted on input: the table, or any other three digits",
        arguments: [
            ("010", true), ("390", true), ("900", true), ("1000", true), ("131", true), ("401", true), ("260", true),
            ("10", false), ("0100", false), ("2000", false), ("13a", false), ("１３１", false), ("", false),
            (" 131", false),
        ])
    func acceptableWorkType(code: String, accepted: Bool) {
        #expect(CodeTable.isAcceptableWorkType(code) == accepted)
    }
}
