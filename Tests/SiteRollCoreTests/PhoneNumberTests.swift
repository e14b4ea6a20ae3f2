import Testing

@testable import SiteRollCore

/// Issue 14 item 4: one rule for mobile numbers, used by every form, the phone registration and
/// `/api/v1`; contact numbers may be landlines, but a number that starts with 1 is a mobile.
@Suite("Phone numbers")
struct PhoneNumberTests {
    @Test(
        "mobile numbers: 11 ASCII digits, 1 then 3–9",
        arguments: [
            ("13800138000", true), ("19912345678", true), ("16612345678", true), (" 13900001111 ", true),
            ("1380013800", false), ("138001380001", false), ("12345678901", false), ("10086100861", false),
            ("23800138000", false), ("138-0013-8000", false), ("138 0013 8000", false), ("+8613800138000", false),
            ("１３８００１３８０００", false), ("1380013800a", false), ("", false), ("028-85551234", false),
        ] as [(String, Bool)])
    func mobile(text: String, valid: Bool) {
        #expect((PhoneNumber.mobile(text) != nil) == valid)
        #expect((PhoneNumber.mobileProblem(text) == nil) == valid)
    }

    @Test("the accepted mobile number is the trimmed text")
    func trimmed() {
        #expect(PhoneNumber.mobile(" 13800138000\t") == "13800138000")
    }

    @Test(
        "contact numbers: a mobile, or a landline of 7–20 digits with dashes or spaces",
        arguments: [
            ("13800138000", nil), ("028-85551234", nil), ("028 8555 1234", nil), ("85551234", nil),
            ("1380013800", PhoneNumber.mobileRule), ("12345678", PhoneNumber.mobileRule),
            ("138001380001", PhoneNumber.mobileRule), ("12333", "应为手机号码或带区号的固定电话（如 028-85551234）"),
            ("028-855", "应为手机号码或带区号的固定电话（如 028-85551234）"),
            ("电话 028-85551234", "应为手机号码或带区号的固定电话（如 028-85551234）"),
            ("０２８-85551234", "应为手机号码或带区号的固定电话（如 028-85551234）"),
        ] as [(String, String?)])
    func contact(text: String, problem: String?) {
        #expect(PhoneNumber.contactProblem(text) == problem)
    }

    @Test("the rule a person reads is Chinese and names the length")
    func message() {
        #expect(PhoneNumber.mobileRule.contains("11 位手机号码"))
    }
}
