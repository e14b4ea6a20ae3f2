/// Code tables about projects, their participating units, workers, labour contracts, payroll and training
/// (standards.md c), plus the few platform tables that projects need where the national standard gives no
/// codes (marked [I] in their source).
extension CodeTable {
    /// standards.md c.1 工种 `workType` [C2]: the 39 main codes, 010–390 in steps of ten (260 and 370 are
    /// unused), 900 管理人员 and the four-digit 1000 其它. Later sub-codes (011, 131, 401–440 …) come from a
    /// single, unofficial source, so they are accepted on input (`isAcceptableWorkType`) but not listed here.
    public static let workTypes = CodeTable(
        source: "standards.md c.1 工种",
        [
            ("010", "砌筑工"), ("020", "钢筋工"), ("030", "架子工"), ("040", "混凝土工"), ("050", "模板工"),
            ("060", "机械设备安装工"), ("070", "通风工"), ("080", "安装起重工"), ("090", "安装钳工"),
            ("100", "电气设备安装调试工"), ("110", "管道工"), ("120", "变电安装工"), ("130", "建筑电工"), ("140", "司泵工"),
            ("150", "挖掘铲运和桩工机械司机"), ("160", "桩机操作工"), ("170", "起重信号工"), ("180", "建筑起重机械安装拆卸工"),
            ("190", "装饰装修工"), ("200", "室内成套设施安装工"), ("210", "建筑门窗幕墙安装工"), ("220", "幕墙制作工"),
            ("230", "防水工"), ("240", "木工"), ("250", "石工"), ("270", "电焊工"), ("280", "爆破工"), ("290", "除尘工"),
            ("300", "测量放线工"), ("310", "线路架设工"), ("320", "古建筑传统石工"), ("330", "古建筑传统瓦工"),
            ("340", "古建筑传统彩画工"), ("350", "古建筑传统木工"), ("360", "古建筑传统油工"), ("380", "金属工"),
            ("390", "杂工 (普工)"), ("900", "管理人员"), ("1000", "其它"),
        ])

    /// Whether a `workType` may be stored. Standards.md c.1: provinces and later versions add three-digit
    /// sub-codes that no reliable source lists, so input accepts any code in `workTypes` or any other
    /// three ASCII digits; only the table itself is authoritative for names and strict checks.
    public static func isAcceptableWorkType(_ code: String) -> Bool {
        if workTypes.contains(code) { return true }
        return code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// standards.md c.2 工人类型 `workRole` [C2].
    public static let workRoles = CodeTable(
        source: "standards.md c.2 工人类型", [("10", "管理人员"), ("20", "建筑工人")])

    /// standards.md c.5 参建单位类型 `corpType` of a participating unit [C2]. Not the enterprise
    /// registration type that `Corp.Upload` also calls `corpType` (c.6, `enterpriseRegistrationTypes`).
    public static let participationTypes = CodeTable(
        source: "standards.md c.5 参建单位类型",
        [
            ("001", "专业分包"), ("002", "设备分包"), ("003", "材料分包"), ("004", "后勤服务"), ("005", "特殊设备"),
            ("006", "劳务分包"), ("007", "监理"), ("008", "建设单位"), ("009", "总承包单位"), ("010", "勘察"),
            ("011", "设计单位"), ("012", "其它"),
        ])

    /// standards.md c.7 政治面貌 `politicsType` [C2].
    public static let politicsTypes = CodeTable(
        source: "standards.md c.7 政治面貌",
        [
            ("01", "中共党员"), ("02", "中共预备党员"), ("03", "共青团员"), ("04", "民革党员"), ("05", "民盟盟员"),
            ("06", "民建会员"), ("07", "民进会员"), ("08", "农工党党员"), ("09", "致公党党员"), ("10", "九三学社社员"),
            ("11", "台盟盟员"), ("12", "无党派人士"), ("13", "群众"),
        ])

    /// standards.md c.8 文化程度 `cultureLevelType` [C2].
    public static let cultureLevels = CodeTable(
        source: "standards.md c.8 文化程度",
        [
            ("01", "小学"), ("02", "初中"), ("03", "高中"), ("04", "中专"), ("05", "大专"), ("06", "本科"), ("07", "硕士"),
            ("08", "博士"), ("99", "其他"),
        ])

    /// standards.md c.9 婚姻状况 `maritalStatus` [C].
    public static let maritalStatuses = CodeTable(
        source: "standards.md c.9 婚姻状况", [("01", "未婚"), ("02", "已婚"), ("03", "离异"), ("04", "丧偶")])

    /// standards.md c.10 合同期限类型 `contractPeriodType` [C2].
    public static let contractPeriodTypes = CodeTable(
        source: "standards.md c.10 合同期限类型", [("0", "固定期限合同"), ("1", "以完成一定工作为期限的合同")])

    /// standards.md c.11 项目分类 `category` [C].
    public static let projectCategories = CodeTable(
        source: "standards.md c.11 项目分类",
        [
            ("01", "房屋建筑工程"), ("02", "市政公用工程"), ("03", "机电安装工程"), ("04", "铁路工程"), ("05", "公路工程"),
            ("06", "港口与航道工程"), ("07", "水利水电工程"), ("08", "电力工程"), ("09", "矿山工程"), ("10", "冶炼工程"),
            ("11", "化工石油工程"), ("12", "通信工程"), ("99", "其他"),
        ])

    /// standards.md c.12 项目状态 `prjStatus` [C].
    public static let projectStatuses = CodeTable(
        source: "standards.md c.12 项目状态",
        [("001", "筹备"), ("002", "立项"), ("003", "在建"), ("004", "完工"), ("005", "停工")])

    /// standards.md c.13 立项级别 `approvalLevelNum` [C]. The order is the standard's (国家级 is 005, after 区县级).
    public static let approvalLevels = CodeTable(
        source: "standards.md c.13 立项级别",
        [("001", "部级"), ("002", "省级"), ("003", "地市级"), ("004", "区县级"), ("005", "国家级"), ("006", "其他")])

    /// standards.md c.14 建设规模 `prjSize` [C].
    public static let projectSizes = CodeTable(
        source: "standards.md c.14 建设规模", [("01", "大型"), ("02", "中型"), ("03", "小型")])

    /// standards.md c.15 建设性质 `propertyNum` [C].
    public static let constructionNatures = CodeTable(
        source: "standards.md c.15 建设性质",
        [
            ("001", "新建"), ("002", "改建"), ("003", "扩建"), ("004", "恢复"), ("005", "迁建"), ("006", "拆除"),
            ("099", "其他"),
        ])

    /// standards.md c.16 工程用途 `functionNum` [C, may be incomplete]. 010 给水 and 011 排水 come last, as in
    /// the source; they are not children of 100.
    public static let projectFunctions = CodeTable(
        source: "standards.md c.16 工程用途",
        [
            ("100", "居住建筑"), ("200", "居住建筑配套工程"), ("300", "公共建筑"), ("301", "办公建筑"), ("302", "商业建筑"),
            ("303", "旅游建筑"), ("304", "科教文卫建筑"), ("305", "交通运输类"), ("306", "通信建筑"),
            ("307", "公共建筑配套工程"), ("400", "商住楼"), ("500", "农业建筑"), ("600", "农业建筑配套工程"),
            ("700", "工业建筑"), ("800", "工业建筑配套工程"), ("999", "其他"), ("010", "给水"), ("011", "排水"),
        ])

    /// standards.md c.17b 进退场类型 `type` of `WorkerEntryExit` [C2]. Not the attendance `direction` (c.17,
    /// 01 入场 / 02 出场): the two look alike and are easy to mix up.
    public static let entryExitTypes = CodeTable(
        source: "standards.md c.17b 进退场类型", [("1", "进场"), ("0", "退场")])

    /// standards.md c.19 计量单位 `unit` of piece-rate work [C].
    public static let pieceUnits = CodeTable(
        source: "standards.md c.19 计量单位", [("80", "米"), ("81", "平方米"), ("82", "立方米")])

    /// standards.md c.20 银行代码 [C]: the main entries. These are CNAPS bank categories, the first three
    /// digits of a 12-digit 联行号, so a `bankLinkNumber` can be checked against its bank code. Codes are the
    /// source's; names are the banks' current ones (issue 14 item 6): 306 广东发展银行 has been 广发银行 since
    /// 2011, 307 深圳发展银行 became 平安银行 in 2012; the source's garbled labels are repaired (320 村镇银行,
    /// 314 every rural commercial bank, not only Jiangsu's; 402 农村信用社; 969/989 without ASCII
    /// brackets), and its 311 "上海银联商务/东莞商业银行" is left out: it names no bank category (东莞银行's
    /// 联行号 begin with 313, 银联商务 is 001). Of the foreign and Hong Kong/Macau banks (501–785) only the
    /// four that standards.md names are listed. Sichuan: 成都银行 and other city commercial banks → 313,
    /// rural commercial banks → 314, 四川农信 → 402, 邮储银行's 联行号 → 403.
    public static let banks = CodeTable(
        source: "standards.md c.20 银行代码",
        [
            ("001", "银联商务（收单）"), ("100", "中国邮政储蓄银行（收单）"), ("102", "中国工商银行"), ("103", "中国农业银行"),
            ("104", "中国银行"), ("105", "中国建设银行"), ("201", "国家开发银行"), ("202", "中国进出口银行"),
            ("203", "中国农业发展银行"), ("301", "交通银行"), ("302", "中信银行"), ("303", "中国光大银行"), ("304", "华夏银行"),
            ("305", "中国民生银行"), ("306", "广发银行"), ("307", "平安银行"), ("308", "招商银行"), ("309", "兴业银行"),
            ("310", "上海浦东发展银行"), ("313", "城市商业银行"), ("314", "农村商业银行"), ("315", "恒丰银行"),
            ("316", "浙商银行"), ("317", "农村合作银行"), ("318", "渤海银行"), ("319", "徽商银行"), ("320", "村镇银行"),
            ("401", "城市信用社"), ("402", "农村信用社"), ("403", "中国邮政储蓄银行"), ("501", "汇丰银行"), ("502", "东亚银行"),
            ("531", "花旗银行"), ("671", "渣打银行"), ("969", "澳门地区银行"), ("989", "香港地区银行"),
        ])

    /// standards.md c.21 项目培训类型 `trainingTypeCode` [C]. Six digits: the leading "003" is part of the code.
    public static let trainingTypes = CodeTable(
        source: "standards.md c.21 项目培训类型",
        [("003001", "安全教育"), ("003002", "入场教育"), ("003003", "退场教育"), ("003004", "技能培训")])

    /// The key posts of a project's management team (管理人员任职) that 建市〔2019〕18号 requires on site and
    /// that attendance checks. The national `manageType` codes were not recovered (standards.md c.27), so
    /// these codes are SiteRoll's own and must be mapped before any upload.
    public static let managerRoles = CodeTable(
        source: "[I] 建市〔2019〕18号 R4",
        [
            ("pm", "项目负责人（项目经理）"), ("technical", "技术负责人"), ("quality", "质量负责人"), ("safety", "安全负责人"),
            ("labour", "劳资专管员"),
        ])

    /// How a labour contract computes wages. A platform table: the national contract object has no such code,
    /// but the payroll check needs to know whether attendance days, months or measured quantities
    /// (`pieceUnits`) drive the amount.
    public static let wageBases = CodeTable(
        source: "[I] platform", [("day", "按日计酬"), ("month", "按月计酬"), ("piece", "按件（计量）计酬")])

    /// The forms a project's wage guarantee (工资保证金) may take under 人社部发〔2021〕65号: a cash deposit in
    /// the dedicated account, or a bank, insurance or guarantor-company letter of guarantee in its place.
    public static let guaranteeForms = CodeTable(
        source: "[I] 人社部发〔2021〕65号",
        [("cash", "现金存储"), ("bank", "银行保函"), ("insurance", "工程保证保险"), ("guarantor", "担保公司保函")])
}
