import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer

/// Issue 14 item 3 (M1): the phone registration checks the ID number before any photo, reports
/// every fault at once with each pointing at its step, keeps what was typed and photographed, and
/// answers a success with 303 to a result page only the registering browser can open.
@Suite("Real name: the phone registration's steps, duplicate check and result page")
struct PhoneRegistrationTests {
    /// The form's CSRF token (also its cookie's value).
    static func formToken(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/m/register", method: .get) {
            Cookies.value(named: "siteroll_csrf", in: $0) ?? ""
        }
    }

    static func checkID(_ client: some TestClientProtocol, _ number: String, token: String, given: String? = nil)
        async throws -> (HTTPResponse.Status, [String: Any])
    {
        try await client.execute(
            uri: "/m/register/check-id", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "siteroll_csrf=\(token)"],
            body: ByteBuffer(string: "_csrf=\(given ?? token)&idNumber=\(number)")
        ) { response in
            (
                response.status,
                (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            )
        }
    }

    /// Posts the registration; answers status, Location, the receipt cookie and the body.
    static func post(_ client: some TestClientProtocol, _ fields: [String: String], token: String) async throws -> (
        status: HTTPResponse.Status, location: String, receipt: String?, html: String
    ) {
        var fields = fields
        fields["_csrf"] = token
        return try await client.execute(
            uri: "/m/register", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "siteroll_csrf=\(token)"],
            body: ByteBuffer(string: fields.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&"))
        ) { response in
            (
                response.status, response.headers[.location] ?? "",
                Cookies.value(named: "siteroll_registration", in: response), String(buffer: response.body)
            )
        }
    }

    /// Registers and follows the redirect as the same browser: the result page's status and HTML.
    static func register(_ client: some TestClientProtocol, _ fields: [String: String]) async throws -> (
        HTTPResponse.Status, String
    ) {
        let token = try await formToken(client)
        let posted = try await post(client, fields, token: token)
        guard posted.status == .seeOther, let receipt = posted.receipt else { return (posted.status, posted.html) }
        return try await client.execute(
            uri: posted.location, method: .get,
            headers: [.cookie: "siteroll_csrf=\(token); siteroll_registration=\(receipt)"]
        ) { response in (response.status, String(buffer: response.body)) }
    }

    static let zhang = "510104198503121232"

    @Test("the ID step: a fresh number may register, a registered one is told so, a wrong check character is refused")
    func checkID() async throws {
        try await TestPlatform.run { client, _ in
            let token = try await Self.formToken(client)
            let fresh = WorkerVerificationTests.number("510105", "19890412", "133")
            let (status, answer) = try await Self.checkID(client, fresh, token: token)
            #expect(status == .ok)
            #expect(answer["ok"] as? Bool == true)
            let (_, registered) = try await Self.checkID(client, Self.zhang, token: token)
            #expect(registered["ok"] as? Bool == false)
            #expect(registered["code"] as? String == "ALREADY_REGISTERED")
            #expect((registered["message"] as? String ?? "").contains("直接登录"))
            let wrong = String(fresh.dropLast()) + (fresh.last == "1" ? "2" : "1")
            let (_, refused) = try await Self.checkID(client, wrong, token: token)
            #expect(refused["code"] as? String == "ID_NUMBER_CHECK_DIGIT")
            let child = WorkerVerificationTests.number("510105", "20200101", "133")
            let (_, young) = try await Self.checkID(client, child, token: token)
            #expect(young["code"] as? String == "AGE_UNDER_MINIMUM")
            // The same shape for every answer: ok, code, message and nothing else.
            for body in [answer, registered, refused, young] { #expect(Set(body.keys) == ["ok", "code", "message"]) }
        }
    }

    @Test("the ID step's check needs the form's token")
    func checkIDNeedsToken() async throws {
        try await TestPlatform.run { client, _ in
            let token = try await Self.formToken(client)
            let (status, _) = try await Self.checkID(client, Self.zhang, token: token, given: "forged")
            #expect(status == .forbidden)
        }
    }

    @Test("look-ups from one address are throttled like sign-in failures")
    func checkIDThrottled() async throws {
        let strict: (inout SiteRollConfiguration) -> Void = {
            $0.loginThrottle = LoginThrottlePolicy(sourceFreeFailures: 3)
        }
        try await TestPlatform.run(configure: strict) { client, _ in
            let token = try await Self.formToken(client)
            for sequence in ["131", "133", "135"] {
                let number = WorkerVerificationTests.number("510105", "19890412", sequence)
                #expect(try await Self.checkID(client, number, token: token).0 == .ok)
            }
            let (status, answer) = try await Self.checkID(client, Self.zhang, token: token)
            #expect(status == .tooManyRequests)
            #expect(answer["code"] as? String == "ID_CHECK_THROTTLED")
            #expect(answer["ok"] as? Bool == false)
            // Signing in from the same address is not slowed by the look-ups.
            let session = try await client.consoleLogin("m", "worker_zhang")
            #expect(session.cookie != nil)
        }
    }

    @Test("a refusal lists every fault at once, each linking to its step, and keeps the accepted photos")
    func everyFault() async throws {
        try await TestPlatform.run { client, _ in
            let token = try await Self.formToken(client)
            var fields = RealNamePageTests.form(
                Self.zhang, name: "", birth: "1985-03-12", extra: ["mobile": "1390000111", "password": "short"])
            fields["idFrontData"] = ""
            let posted = try await Self.post(client, fields, token: token)
            #expect(posted.status == .unprocessableContent)
            let html = posted.html
            for field in ["name", "idNumber", "idFront", "mobile", "password"] {
                #expect(html.contains("href=\"#s-\(field)\""), "summary link to \(field)")
                #expect(html.contains("field-\(field) has-error"), "fault beside \(field)")
            }
            #expect(html.contains("该身份证号已注册过"))
            #expect(html.contains("共 "))
            // The first link is the first step at fault.
            let first = try #require(html.range(of: "class=\"fault-link\""))
            #expect(html[first.lowerBound...].prefix(40).contains("data-step=\"0\""))
            // The portrait passed: kept, with its preview; the missing card image is not.
            #expect(html.contains("name=\"portraitData\" id=\"portraitData\" value=\"\(RealNamePageTests.png)\""))
            #expect(html.contains("src=\"data:image/png;base64,"))
            #expect(html.contains("name=\"idFrontData\" id=\"idFrontData\" value=\"\""))
            #expect(html.contains("value=\"四川省成都市青羊区人民中路 1 号\""))
            #expect(!html.contains("short"))
        }
    }

    @Test("the form carries the server's limits for the browser's checks")
    func rules() async throws {
        try await TestPlatform.run { client, _ in
            let html = try await client.execute(uri: "/m/register", method: .get) { String(buffer: $0.body) }
            #expect(html.contains("data-min-age=\"16\""))
            #expect(html.contains("data-name-max=\"30\""))
            #expect(html.contains("data-password-min=\"8\""))
            #expect(html.contains("data-check-url=\"/m/register/check-id\""))
            #expect(html.contains("data-today=\"\(LocalDate.today(in: ChineseFormat.timeZone).description)\""))
        }
    }

    @Test("a success answers 303; the result page opens only in the registering browser")
    func postRedirectGet() async throws {
        try await TestPlatform.run { client, _ in
            let token = try await Self.formToken(client)
            let number = WorkerVerificationTests.number("510105", "19890412", "133")
            let fields = RealNamePageTests.form(
                number, birth: "1989-04-12", extra: ["mobile": "13900001111", "password": "Wu2026abc"])
            let posted = try await Self.post(client, fields, token: token)
            #expect(posted.status == .seeOther)
            #expect(posted.location.hasPrefix("/m/register/result/VR"))
            let receipt = try #require(posted.receipt)
            #expect(!receipt.contains("1334") && !receipt.contains("吴"))
            func open(_ cookie: String, _ path: String = posted.location) async throws -> (HTTPResponse.Status, String)
            {
                try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]) {
                    ($0.status, String(buffer: $0.body))
                }
            }
            let (status, html) = try await open("siteroll_csrf=\(token); siteroll_registration=\(receipt)")
            #expect(status == .ok)
            #expect(html.contains("id=\"verification-code\""))
            // Twice: a refresh shows the same page and registers nothing more.
            #expect(try await open("siteroll_csrf=\(token); siteroll_registration=\(receipt)").0 == .ok)
            // Another browser, no receipt, or another serial: nothing to see.
            #expect(try await open("siteroll_csrf=other; siteroll_registration=\(receipt)").0 == .notFound)
            #expect(try await open("siteroll_csrf=\(token)").0 == .notFound)
            #expect(
                try await open(
                    "siteroll_csrf=\(token); siteroll_registration=\(receipt)", "/m/register/result/VR2026010100000000"
                ).0 == .notFound)
            // Posting the same form again is refused as already registered.
            let again = try await Self.post(client, fields, token: token)
            #expect(again.status == .unprocessableContent)
            #expect(again.html.contains("该身份证号已注册过"))
        }
    }
}
