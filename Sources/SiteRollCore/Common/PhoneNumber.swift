import Foundation

/// Telephone numbers typed into a form (issue 14 item 4): one rule for every mobile number — the
/// phone registration, enterprise registration, team leaders and managers, on the consoles and
/// `/api/v1` alike — and the looser one for a contact number that may be a landline.
public enum PhoneNumber {
    /// A mainland mobile number: 11 ASCII digits, 1 then 3–9 (the 13x–19x blocks of the numbering
    /// plan; no 10x, 11x or 12x number is a subscriber's mobile). Surrounding spaces are dropped;
    /// spaces or dashes inside are not accepted, because the number is also the worker's login name.
    public static func mobile(_ text: String) -> String? {
        let number = text.trimmingCharacters(in: .whitespaces)
        let digits = Array(number.utf8)
        guard digits.count == 11, digits.allSatisfy({ (48...57).contains($0) }), digits[0] == 49,
            (51...57).contains(digits[1])
        else { return nil }
        return number
    }

    /// What is wrong with a mobile number, to be shown after the field's label; nil when it is one.
    public static func mobileProblem(_ text: String) -> String? {
        mobile(text) == nil ? mobileRule : nil
    }

    /// The rule a person is told when a mobile number is refused.
    public static let mobileRule = "应为 11 位手机号码（以 13 至 19 开头）"

    /// A contact number: a mobile number, or a landline of 7 to 20 digits with dashes or spaces
    /// (`028-85551234`). An all-digit number starting with 1 is meant as a mobile, so it must be one:
    /// no landline number starts with 1 once its area code (0…) is left off.
    public static func contactProblem(_ text: String) -> String? {
        let number = text.trimmingCharacters(in: .whitespaces)
        if number.first == "1" && number.allSatisfy({ $0.isASCII && $0.isNumber }) && number.count >= 7 {
            return mobileProblem(number)
        }
        let digits = number.filter { $0.isASCII && $0.isNumber }
        guard digits.count >= 7, digits.count <= 20,
            number.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "-" || $0 == " " })
        else { return "应为手机号码或带区号的固定电话（如 028-85551234）" }
        return nil
    }
}
