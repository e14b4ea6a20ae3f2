import Foundation

/// 民族 (`nation`), GB/T 3304-1991 codes (standards.md c.26 [I]). The national interface takes the text
/// printed on the ID card ("汉", "彝") rather than a code [C]; SiteRoll stores the code and sends the
/// text. Sichuan has large 彝 (07), 藏 (04) and 羌 (33) populations, so the whole list matters here.
extension CodeTable {
    /// The 56 nationalities 01–56 as standards.md c.26 lists them, plus GB/T 3304's two residual codes
    /// 97 其他 (e.g. people of not-yet-identified groups, whose cards print their own name) and
    /// 98 外国血统中国籍人士 (naturalised citizens), which the section does not mention [I].
    public static let nations = CodeTable(
        source: "GB/T 3304-1991 民族, standards.md c.26",
        [
            ("01", "汉族"), ("02", "蒙古族"), ("03", "回族"), ("04", "藏族"), ("05", "维吾尔族"), ("06", "苗族"),
            ("07", "彝族"), ("08", "壮族"), ("09", "布依族"), ("10", "朝鲜族"), ("11", "满族"), ("12", "侗族"),
            ("13", "瑶族"), ("14", "白族"), ("15", "土家族"), ("16", "哈尼族"), ("17", "哈萨克族"), ("18", "傣族"),
            ("19", "黎族"), ("20", "傈僳族"), ("21", "佤族"), ("22", "畲族"), ("23", "高山族"), ("24", "拉祜族"),
            ("25", "水族"), ("26", "东乡族"), ("27", "纳西族"), ("28", "景颇族"), ("29", "柯尔克孜族"), ("30", "土族"),
            ("31", "达斡尔族"), ("32", "仫佬族"), ("33", "羌族"), ("34", "布朗族"), ("35", "撒拉族"), ("36", "毛南族"),
            ("37", "仡佬族"), ("38", "锡伯族"), ("39", "阿昌族"), ("40", "普米族"), ("41", "塔吉克族"), ("42", "怒族"),
            ("43", "乌孜别克族"), ("44", "俄罗斯族"), ("45", "鄂温克族"), ("46", "德昂族"), ("47", "保安族"),
            ("48", "裕固族"), ("49", "京族"), ("50", "塔塔尔族"), ("51", "独龙族"), ("52", "鄂伦春族"), ("53", "赫哲族"),
            ("54", "门巴族"), ("55", "珞巴族"), ("56", "基诺族"), ("97", "其他"), ("98", "外国血统中国籍人士"),
        ])

    /// The GB/T 3304 code for a nationality as printed on the card ("汉") or written in full ("汉族").
    /// The suffix is only added for names that are not already table entries: "土" is 土族 (30), and
    /// "土家" is 土家族 (15) — exact matching keeps the two apart.
    public static func nationCode(forPrintedName printed: String) -> String? {
        let name = printed.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        return nations.code(named: name) ?? nations.code(named: name + "族")
    }
}
