/// Why a resident identity number is refused (GB 11643, standards.md e.1; issue 3 item 2). A number is
/// checked completely and every fault is reported at once, so a person fixes everything in one go.
///
/// No case carries the number, its birth date or its sequence (S2): only the length, and the six-digit
/// address code that the masked form shows anyway.
public enum IdentityNumberFault: VerificationFinding, Equatable {
    /// Neither 18 characters nor a legacy 15-digit number (0 = nothing entered).
    case length(actual: Int)
    /// Something other than ASCII digits, or an X anywhere but at the end of an 18-character number.
    case characters
    /// The 18th character is not the one GB 11643 computes from the first 17.
    case checkDigit
    /// Positions 7–14 are not a real calendar date from 1900 on (19000229 is not: 1900 is a common year).
    case birthDate
    /// The birth date lies after the day of the check.
    case birthInFuture
    /// Positions 1–6 were never a GB/T 2260 code, or had been retired before the person was born.
    case region(code: String)
    /// The declared birth date differs from the one in the number.
    case birthMismatch
    /// The declared gender differs from the one the 17th digit encodes.
    case genderMismatch

    public var code: String {
        switch self {
        case .length: "ID_NUMBER_LENGTH"
        case .characters: "ID_NUMBER_CHARACTERS"
        case .checkDigit: "ID_NUMBER_CHECK_DIGIT"
        case .birthDate: "ID_NUMBER_BIRTH_DATE"
        case .birthInFuture: "ID_NUMBER_BIRTH_IN_FUTURE"
        case .region: "ID_NUMBER_REGION"
        case .birthMismatch: "ID_NUMBER_BIRTH_MISMATCH"
        case .genderMismatch: "ID_NUMBER_GENDER_MISMATCH"
        }
    }

    public var chineseMessage: String {
        switch self {
        case .length(0): "请填写身份证号码"
        case .length(let actual): "身份证号码应为 18 位（旧版为 15 位），现在是 \(actual) 位，请核对是否多输或漏输"
        case .characters: "身份证号码只能由数字组成，最后一位可以是 X；请使用半角字符，不要输入空格或符号"
        case .checkDigit: "身份证号码校验位不正确，请对照证件逐位核对号码"
        case .birthDate: "身份证号码第 7 至 14 位不是有效的出生日期，请核对"
        case .birthInFuture: "身份证号码中的出生日期晚于今天，请核对"
        case .region(let code): "身份证号码前 6 位地址码 \(code) 不是有效的行政区划代码，请核对"
        case .birthMismatch: "填写的出生日期与身份证号码中的出生日期不一致，请核对"
        case .genderMismatch: "填写的性别与身份证号码中的性别不一致，请核对"
        }
    }
}
