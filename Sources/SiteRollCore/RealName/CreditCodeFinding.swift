/// Why an enterprise's code is refused (issue 3 item 1: "every reason, in Chinese, at once").
public enum CreditCodeFault: VerificationFinding, Equatable {
    /// Not 18 characters (nor, where allowed, a 9-character organisation code).
    case length(actual: Int, organisationCodeAllowed: Bool)
    /// Characters outside GB 32100's 31 symbols (no I, O, S, V, Z), as entered, upper-cased.
    case characters(invalid: String)
    /// The 18th character is not the one GB 32100 computes from the first 17.
    case checkCharacter
    /// Positions 3–8 were never a GB/T 2260 code (standards.md e.2, e.3).
    case division(code: String)
    /// A 9-character organisation code with characters other than digits and A–Z (check: digit or X).
    case organisationCodeCharacters
    /// A 9-character organisation code whose check character is wrong (GB 11714).
    case organisationCodeCheckCharacter

    public var code: String {
        switch self {
        case .length: "CREDIT_CODE_LENGTH"
        case .characters: "CREDIT_CODE_CHARACTERS"
        case .checkCharacter: "CREDIT_CODE_CHECK_CHARACTER"
        case .division: "CREDIT_CODE_DIVISION"
        case .organisationCodeCharacters: "ORGANISATION_CODE_CHARACTERS"
        case .organisationCodeCheckCharacter: "ORGANISATION_CODE_CHECK_CHARACTER"
        }
    }

    public var chineseMessage: String {
        switch self {
        case .length(0, true): "请填写统一社会信用代码（没有统一社会信用代码的单位填写组织机构代码）"
        case .length(0, false): "请填写统一社会信用代码"
        case .length(let actual, true):
            "统一社会信用代码应为 18 位（没有的单位填写 9 位组织机构代码），现在是 \(actual) 位，请核对"
        case .length(let actual, false): "统一社会信用代码应为 18 位，现在是 \(actual) 位，请核对"
        case .characters(let invalid):
            "统一社会信用代码含有不允许的字符“\(invalid)”：只能是数字和大写字母，且不使用 I、O、S、V、Z"
        case .checkCharacter: "统一社会信用代码校验位不正确，请对照营业执照逐位核对"
        case .division(let code): "统一社会信用代码第 3 至 8 位 \(code) 不是有效的行政区划代码，请核对"
        case .organisationCodeCharacters: "组织机构代码应为 8 位数字或大写字母加 1 位校验码（数字或 X），请核对"
        case .organisationCodeCheckCharacter: "组织机构代码校验码不正确，请对照证书核对"
        }
    }
}

/// Worth a regulator's second look, not a refusal.
public enum CreditCodeWarning: VerificationFinding, Equatable {
    /// Characters 1–2 are not one of the common authority + type pairs of standards.md e.2. That list is
    /// marked [I] and not exhaustive, and the check character already guards against typing errors, so
    /// refusing would shut out real units (e.g. a 律师事务所, 31); construction firms are almost always 91.
    case unusualEntityType(String)
    /// Positions 9–17 fail the GB 11714 organisation-code check although the outer check character is
    /// right. Not a typing error then; standards.md calls the inner check optional, and some code ranges
    /// may not follow it, so a regulator looks rather than the system refusing.
    case innerOrganisationCode

    public var code: String {
        switch self {
        case .unusualEntityType: "CREDIT_CODE_ENTITY_TYPE"
        case .innerOrganisationCode: "CREDIT_CODE_ORGANISATION_CODE"
        }
    }

    public var chineseMessage: String {
        switch self {
        case .unusualEntityType(let prefix):
            "统一社会信用代码前两位“\(prefix)”不是常见的登记管理部门和机构类别（企业通常为 91），请核对"
        case .innerOrganisationCode: "统一社会信用代码第 9 至 17 位（组织机构代码）校验不通过，请核对"
        }
    }
}
