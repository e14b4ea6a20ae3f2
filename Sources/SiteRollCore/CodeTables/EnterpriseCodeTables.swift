/// Code tables about enterprises: the registration type reported with `Corp.Upload` and the first two
/// characters of a unified social credit code.
extension CodeTable {
    /// standards.md c.6 企业登记注册类型 (Corp.Upload `corpType`) [C]. Codes ending in 0 are the groups;
    /// the national platform accepts either a group or one of its members.
    public static let enterpriseRegistrationTypes = CodeTable(
        source: "standards.md c.6 企业登记注册类型",
        [
            ("100", "内资企业"), ("110", "国有企业"), ("120", "集体企业"), ("130", "股份合作企业"), ("140", "联营企业"),
            ("141", "国有联营企业"), ("142", "集体联营企业"), ("143", "国有与集体联营企业"), ("149", "其他联营企业"),
            ("150", "有限责任公司"), ("151", "国有独资公司"), ("159", "其他有限责任公司"), ("160", "股份有限公司"),
            ("170", "私营企业"), ("171", "私营独资企业"), ("172", "私营合伙企业"), ("173", "私营有限责任公司"),
            ("174", "私营股份有限公司"), ("190", "其他企业"), ("200", "港、澳、台商投资企业"),
            ("210", "合资经营企业（港或澳、台资）"), ("220", "合作经营企业（港或澳、台资）"),
            ("230", "港、澳、台商独资经营企业"), ("240", "港、澳、台商投资股份有限公司"), ("290", "其他港、澳、台商投资企业"),
            ("300", "外商投资企业"), ("310", "中外合资经营企业"), ("320", "中外合作经营企业"), ("330", "外资企业"),
            ("340", "外商投资股份有限公司"), ("390", "其他外商投资企业"), ("810", "军队单位"),
        ])

    /// standards.md e.2, the common registration-authority + entity-type pairs (characters 1–2 of a
    /// GB 32100 code) [I]. Not exhaustive — GB 32100 has further authorities (司法行政, 宗教, 工会 …) — so
    /// `CreditCodeValidator` reports a pair outside this list as a warning, not a fault.
    public static let creditCodeEntityTypes = CodeTable(
        source: "standards.md e.2 登记管理部门和机构类别代码（常见）",
        [
            ("11", "机关（机构编制）"), ("12", "事业单位（机构编制）"), ("13", "中央编办直接管理机构编制的群众团体"),
            ("19", "其他（机构编制）"), ("51", "社会团体（民政）"), ("52", "民办非企业单位（民政）"), ("53", "基金会（民政）"),
            ("59", "其他（民政）"), ("91", "企业（市场监管）"), ("92", "个体工商户（市场监管）"),
            ("93", "农民专业合作社（市场监管）"), ("Y1", "其他"),
        ])
}
