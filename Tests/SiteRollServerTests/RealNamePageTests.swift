import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 3, items 5–7: the consoles' real-name pages, the phone registration, and the audited
/// full-number view, through the real router.
@Suite("Real name: pages")
struct RealNamePageTests {
    static let png = WorkerVerificationTests.png.base64EncodedString()

    static func form(
        _ number: String, name: String = "吴晓东", gender: String = "0", birth: String, extra: [String: String] = [:]
    )
        -> [String: String]
    {
        [
            "name": name, "idNumber": number, "gender": gender, "nation": "01", "birthDate": birth,
            "address": "四川省成都市青羊区人民中路 1 号", "issuingAuthority": "成都市公安局青羊区分局",
            "validity": "2018.01.01-2038.01.01", "portraitData": png, "idFrontData": png, "idBackData": png,
        ].merging(extra) { $1 }
    }

    @Test("a worker registers on the phone, sees the code, and signs in with the phone number")
    func phoneRegistration() async throws {
        try await TestPlatform.run { client, _ in
            let form = try await client.execute(uri: "/m/register", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(form.contains("capture=\"user\""))
            let number = WorkerVerificationTests.number("510105", "19890412", "133")
            let fields = Self.form(
                number, birth: "1989-04-12", extra: ["mobile": "13900001111", "password": "Wu2026abc"])
            let (status, html) = try await PhoneRegistrationTests.register(client, fields)
            #expect(status == .ok)
            #expect(html.contains("id=\"verification-code\""))
            #expect(html.contains("模拟身份核验服务"))
            #expect(try await client.apiLoginStatus("13900001111", password: "Wu2026abc") == 200)
            let session = try await client.consoleLogin("m", "13900001111", password: "Wu2026abc")
            let (_, home) = try await client.page("/m", as: session)
            #expect(home.contains("510105********1334") || home.contains("510105********"))
            #expect(home.contains("查看我的实名信息"))
        }
    }

    @Test("refusals come back next to their fields, with the values kept but not the password")
    func phoneErrors() async throws {
        try await TestPlatform.run { client, _ in
            let csrf = try await client.execute(uri: "/m/register", method: .get) {
                Cookies.value(named: "siteroll_csrf", in: $0) ?? ""
            }
            let fields = Self.form(
                "510105198904121330", birth: "1989-04-12", extra: ["mobile": "123", "password": "short", "_csrf": csrf])
            let body = fields.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&")
            try await client.execute(
                uri: "/m/register", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "siteroll_csrf=\(csrf)"],
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("field-idNumber has-error"))
                #expect(html.contains("field-mobile has-error"))
                #expect(html.contains("field-password has-error"))
                #expect(html.contains("value=\"吴晓东\""))
                #expect(!html.contains("short"))
            }
        }
    }

    @Test("the enterprise collects a worker; its list shows the code; another enterprise cannot open the worker")
    func enterpriseCollection() async throws {
        try await TestPlatform.run { client, platform in
            let labour = try await client.consoleLogin("corp", "sj_labour")
            let csrf = try await client.csrf(of: "/corp/workers/new", as: labour)
            let number = WorkerVerificationTests.number("510105", "19900101", "155")
            var fields = Self.form(number, birth: "1990-01-01")
            fields["_csrf"] = csrf
            let (status, html) = try await client.post("/corp/workers", form: fields, as: labour)
            #expect(status == .ok)
            #expect(html.contains("实名核验通过"))
            let (_, list) = try await client.page("/corp/workers", as: labour)
            #expect(list.contains("吴晓东"))
            let worker = try #require(try await WorkerModel.query(on: platform.db).filter(\.$name == "吴晓东").first())
            #expect(list.contains(worker.verificationCode ?? "missing"))
            #expect(try await client.page("/corp/workers/\(worker.id!)", as: labour).0 == .ok)
            let other = try await client.consoleLogin("corp", "jc_admin")
            #expect(try await client.page("/corp/workers/\(worker.id!)", as: other).0 == .notFound)
        }
    }

    @Test("regulators search verified workers in their division and open a full number only with an audit event")
    func regulatorView() async throws {
        try await TestPlatform.run { client, platform in
            let regulator = try await client.consoleLogin("gov", "jj_inspector")
            let (_, list) = try await client.page("/gov/workers?q=张建国", as: regulator)
            #expect(list.contains("510104********1232"))
            #expect(!list.contains("510104198503121232"))
            let zhang = try #require(try await WorkerModel.query(on: platform.db).filter(\.$name == "张建国").first())
            let (_, byCode) = try await client.page("/gov/workers?q=\(zhang.verificationCode!)", as: regulator)
            #expect(byCode.contains("张建国"))
            let (_, detail) = try await client.page("/gov/workers/\(zhang.id!)", as: regulator)
            #expect(!detail.contains("510104198503121232"))
            let csrf = try await client.csrf(of: "/gov/workers/\(zhang.id!)", as: regulator)
            let before = try await AuditEventModel.query(on: platform.db).filter(\.$action == "worker.id-number-viewed")
                .count()
            let (_, revealed) = try await client.post(
                "/gov/workers/\(zhang.id!)/id-number", form: ["_csrf": csrf], as: regulator)
            #expect(revealed.contains("510104198503121232"))
            let after = try await AuditEventModel.query(on: platform.db).filter(\.$action == "worker.id-number-viewed")
                .count()
            #expect(after == before + 1)

            let mianyang = try await client.consoleLogin("gov", "my_admin")
            #expect(try await client.page("/gov/workers/\(zhang.id!)", as: mianyang).0 == .notFound)
            let (_, myList) = try await client.page("/gov/workers", as: mianyang)
            #expect(!myList.contains("张建国"))
            let admin = try await client.consoleLogin("corp", "sj_admin")
            let adminCSRF = try await client.csrf(of: "/corp/workers/\(zhang.id!)", as: admin)
            #expect(
                try await client.post("/corp/workers/\(zhang.id!)/id-number", form: ["_csrf": adminCSRF], as: admin).0
                    == .forbidden)
        }
    }

    @Test("regulators keep the restriction list; entries outside their reach cannot be lifted")
    func restrictions() async throws {
        try await TestPlatform.run { client, platform in
            let regulator = try await client.consoleLogin("gov", "cd_admin")
            let csrf = try await client.csrf(of: "/gov/restrictions", as: regulator)
            let number = WorkerVerificationTests.number("510104", "19800101", "111")
            let (status, html) = try await client.post(
                "/gov/restrictions",
                form: [
                    "_csrf": csrf, "subjectKind": "worker", "subjectNumber": number, "subjectName": "黑名单甲",
                    "kind": "blacklist", "reason": "拖欠工资恶意讨薪",
                ],
                as: regulator)
            #expect(status == .ok)
            #expect(html.contains("黑名单甲 510104********"))
            #expect(!html.contains(number))
            let (bad, badHTML) = try await client.post(
                "/gov/restrictions",
                form: [
                    "_csrf": csrf, "subjectKind": "worker", "subjectNumber": "123", "subjectName": "",
                    "kind": "blacklist", "reason": "x",
                ],
                as: regulator)
            #expect(bad == .badRequest)
            #expect(badHTML.contains("身份证号校验位不正确"))
            let entry = try #require(try await RestrictionModel.query(on: platform.db).first())
            let mianyang = try await client.consoleLogin("gov", "my_admin")
            let myCSRF = try await client.csrf(of: "/gov/restrictions", as: mianyang)
            #expect(
                try await client.post("/gov/restrictions/\(entry.id!)/lift", form: ["_csrf": myCSRF], as: mianyang).0
                    == .notFound)
            let (liftStatus, listPage) = try await client.post(
                "/gov/restrictions/\(entry.id!)/lift", form: ["_csrf": csrf], as: regulator)
            #expect(liftStatus == .ok && listPage.contains("已解除该限制"))
        }
    }
}
