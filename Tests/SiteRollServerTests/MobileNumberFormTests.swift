import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer

/// Issue 14 item 4: the phone registration and enterprise registration refuse a 10-digit number
/// with `PhoneNumber`'s rule, in Chinese, beside the field.
@Suite("Real name: mobile numbers on the registration forms")
struct MobileNumberFormTests {
    @Test("the phone registration refuses a 10-digit mobile number beside the field")
    func workerMobile() async throws {
        try await TestPlatform.run { client, _ in
            let csrf = try await client.execute(uri: "/m/register", method: .get) {
                Cookies.value(named: "siteroll_csrf", in: $0) ?? ""
            }
            let number = WorkerVerificationTests.number("510105", "19890412", "133")
            let fields = RealNamePageTests.form(
                number, birth: "1989-04-12", extra: ["mobile": "1390000111", "password": "Wu2026abc", "_csrf": csrf])
            try await client.execute(
                uri: "/m/register", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "siteroll_csrf=\(csrf)"],
                body: ByteBuffer(string: fields.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&"))
            ) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("field-mobile has-error"))
                #expect(html.contains("手机号" + PhoneNumber.mobileRule))
            }
        }
    }

    @Test(
        "enterprise registration: a 10-digit number is refused beside the contact phone; a mobile or landline passes",
        arguments: [("1380000000", false), ("13800000000", true), ("028-86001234", true)])
    func enterpriseContact(phone: String, passes: Bool) async throws {
        try await TestPlatform.run { client, _ in
            var form = EnterpriseVerificationTests.form(code: EnterpriseVerificationTests.creditCode())
            form["contactPhone"] = phone
            let (status, html) = try await EnterpriseVerificationTests.post(client, form)
            #expect((status == 200) == passes)
            #expect(html.contains("field-contactPhone has-error") == !passes)
            if !passes { #expect(html.contains("联系电话" + PhoneNumber.mobileRule)) }
        }
    }
}
