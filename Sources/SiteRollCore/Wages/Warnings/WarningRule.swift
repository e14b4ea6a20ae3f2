/// The wage-payment warning catalogue (standards.md d.6, WW-01…WW-14), derived from the rules of
/// d.1–d.3. Every rule carries its own version: a change to what a rule checks or how it explains
/// itself bumps it, and `WarningCatalogue.version` names the whole set that a run evaluated, so a
/// warning always says under which rules it was raised. The catalogue itself is [I] (a proposal):
/// thresholds are `WarningPolicy`, which operators configure per division.
public enum WarningRuleID: String, Sendable, CaseIterable, Hashable, Codable, Comparable {
    case ww01 = "WW-01"
    case ww02 = "WW-02"
    case ww03 = "WW-03"
    case ww04 = "WW-04"
    case ww05 = "WW-05"
    case ww06 = "WW-06"
    case ww07 = "WW-07"
    case ww08 = "WW-08"
    case ww09 = "WW-09"
    case ww10 = "WW-10"
    case ww11 = "WW-11"
    case ww12 = "WW-12"
    case ww13 = "WW-13"
    case ww14 = "WW-14"

    public static func < (lhs: WarningRuleID, rhs: WarningRuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var rule: WarningRule { WarningCatalogue.rule(self) }

    /// Rules whose subjects are pay months: outside the evaluated window they are left as they are.
    public var isMonthly: Bool { [.ww04, .ww05, .ww06].contains(self) }
}

/// How urgent a warning is; W18's penalty tiers decide the defaults.
public enum WarningSeverity: String, Sendable, CaseIterable, Codable, Comparable {
    case high
    case medium
    case low

    public var chineseName: String {
        switch self {
        case .high: "严重"
        case .medium: "较重"
        case .low: "一般"
        }
    }

    private var rank: Int {
        switch self {
        case .high: 0
        case .medium: 1
        case .low: 2
        }
    }

    public static func < (lhs: WarningSeverity, rhs: WarningSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// Who must act on a warning (R3: the general contractor bears overall responsibility, the
/// subcontractor direct responsibility for its own workers; W10: the 建设单位 for transfers).
public enum WarningAddressee: String, Sendable, CaseIterable, Codable {
    case generalContractor
    case builder
    case employer
    case project

    public var chineseName: String {
        switch self {
        case .generalContractor: "总承包单位"
        case .builder: "建设单位"
        case .employer: "用工单位"
        case .project: "项目部（总承包单位）"
        }
    }
}

/// Where a warning stands.
public enum WarningStatus: String, Sendable, CaseIterable, Codable {
    case open
    case acknowledged
    case resolved
    case dismissed

    public var chineseName: String {
        switch self {
        case .open: "待处理"
        case .acknowledged: "已知悉"
        case .resolved: "已解除"
        case .dismissed: "已驳回"
        }
    }

    /// Still a live problem: shown in open counts.
    public var isActive: Bool { self == .open || self == .acknowledged }
}

/// One rule of the catalogue.
public struct WarningRule: Sendable, Hashable {
    public var id: WarningRuleID
    public var version: Int
    /// Short Chinese title, as a board lists it.
    public var title: String
    /// The legal basis in Chinese (d.1–d.3), shown on every warning.
    public var basis: String
    public var addressee: WarningAddressee
    public var severity: WarningSeverity
    /// What made it go away, completing "原因已消除：…".
    public var fixedText: String
}

public enum WarningCatalogue {
    /// The rule-set version shown with every warning and every run. Bump it with any rule version.
    public static let version = "2026.1"

    public static let rules: [WarningRule] = [
        WarningRule(
            id: .ww01, version: 1, title: "未按时开设农民工工资专用账户",
            basis: "《保障农民工工资支付条例》第二十六条；人社部发〔2021〕53号：施工总承包单位应在签订施工合同之日起30日内开设农民工工资专用账户",
            addressee: .generalContractor, severity: .high, fixedText: "已登记农民工工资专用账户"),
        WarningRule(
            id: .ww02, version: 1, title: "人工费用未按月拨付",
            basis: "《保障农民工工资支付条例》第二十四条、第二十九条：人工费用拨付周期不得超过1个月，建设单位应按时足额拨付到专用账户",
            addressee: .builder, severity: .high, fixedText: "专用账户已收到新的人工费用拨付"),
        WarningRule(
            id: .ww03, version: 1, title: "人工费用拨付不足",
            basis: "四川省规定人工费用按月拨付且不低于规定比例；《保障农民工工资支付条例》第二十九条（平台以应发工资为基数，见规则说明）",
            addressee: .builder, severity: .medium, fixedText: "累计拨付的人工费用已达到规定比例"),
        WarningRule(
            id: .ww04, version: 1, title: "工资未按时提交或发放",
            basis: "《保障农民工工资支付条例》第十二条至第十四条、第三十一条；成都市：每月10日前通过专用账户支付上月工资",
            addressee: .generalContractor, severity: .high, fixedText: "工资表已提交且工资已足额发放"),
        WarningRule(
            id: .ww05, version: 1, title: "有考勤无工资记录",
            basis: "《保障农民工工资支付条例》第十二条、第三十一条：按月足额支付，分包单位按月考核工作量并编制工资支付表",
            addressee: .employer, severity: .medium, fixedText: "已补充该工人当月的工资记录"),
        WarningRule(
            id: .ww06, version: 1, title: "实发工资少于应发工资",
            basis: "《保障农民工工资支付条例》第十二条：工资应当按照约定足额支付",
            addressee: .employer, severity: .high, fixedText: "该月工资已足额发放"),
        WarningRule(
            id: .ww07, version: 1, title: "工资卡非本人或多人共用",
            basis: "《保障农民工工资支付条例》第十一条、第三十一条；人社部发〔2021〕53号：工资直接发放到农民工本人账户，一人一卡、本人持卡",
            addressee: .employer, severity: .high, fixedText: "工资卡已更正为本人名下、未与他人共用的卡"),
        WarningRule(
            id: .ww08, version: 1, title: "未签合同、未培训或未实名即在场作业",
            basis: "《建筑工人实名制管理办法（试行）》第八条；《保障农民工工资支付条例》第二十八条：未订立劳动合同、未进行基本安全培训并实名登记的不得进入施工现场",
            addressee: .generalContractor, severity: .high, fixedText: "劳动合同、安全培训和实名登记均已齐备"),
        WarningRule(
            id: .ww09, version: 1, title: "长期未从业再进场未重新培训",
            basis: "《建筑工人实名制管理办法（试行）》：一年以上无数据更新的建筑工人再次从业，应重新进行基本安全培训并记录",
            addressee: .employer, severity: .medium, fixedText: "已登记重新进行的基本安全培训"),
        WarningRule(
            id: .ww10, version: 1, title: "未配备劳资专管员",
            basis: "《保障农民工工资支付条例》第二十八条：施工总承包单位应在工程项目部配备劳资专管员",
            addressee: .generalContractor, severity: .medium, fixedText: "已任命劳资专管员"),
        WarningRule(
            id: .ww11, version: 1, title: "维权信息告示牌信息不全",
            basis: "《保障农民工工资支付条例》第三十四条：施工现场设置维权信息告示牌，载明建设单位、施工总承包单位、劳资专管员、最低工资标准、工资支付日期和投诉渠道等信息",
            addressee: .generalContractor, severity: .low, fixedText: "维权信息告示牌所需信息已齐全"),
        WarningRule(
            id: .ww12, version: 1, title: "未存储工资保证金或保证金已到期",
            basis: "《保障农民工工资支付条例》第三十二条；人社部发〔2021〕65号：施工总承包单位应存储工资保证金或提供银行保函",
            addressee: .generalContractor, severity: .high, fixedText: "已登记在有效期内的工资保证金"),
        WarningRule(
            id: .ww13, version: 1, title: "工人年龄不符合本地区规定",
            basis: "《劳动法》第十五条（不得招用未满16周岁的未成年人）；成都市：60周岁以上工人须提供一年内有效的健康证明（按地区年龄政策配置）",
            addressee: .employer, severity: .medium, fixedText: "已不在场或已符合本地区年龄规定"),
        WarningRule(
            id: .ww14, version: 1, title: "管理人员连续缺勤",
            basis: "成都市（2021）：项目管理人员无故连续5天未到岗考勤应予预警",
            addressee: .project, severity: .low, fixedText: "该管理人员已恢复考勤或已退场"),
    ]

    private static let byID: [WarningRuleID: WarningRule] = Dictionary(uniqueKeysWithValues: rules.map { ($0.id, $0) })

    public static func rule(_ id: WarningRuleID) -> WarningRule {
        // The catalogue has a rule for every WarningRuleID (a core test checks every case).
        byID[id]!
    }
}
