import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 3, item 1: enterprise verification at `/corp/register`, and regulators' suspension (E1, G1).
@Suite("Real name: enterprise verification")
struct EnterpriseVerificationTests {
    static func creditCode(_ first17: String = "91510105MA6C8L2P3") -> String {
        first17 + String(CreditCode.checkCharacter(forFirst17: first17)!)
    }

    static func form(code: String, admin: String = "qy_admin", validUntil: String = "2029-06-30") -> [String: String] {
        [
            "creditCode": code, "name": "四川青羊安装工程有限公司", "registrationType": "173", "divisionCode": "510105",
            "address": "成都市青羊区光华大道 3 号", "legalRepName": "何志明",
            "legalRepIDNumber": WorkerVerificationTests.number("510105", "19750505", "331"), "contactName": "何小姐",
            "contactPhone": "028-86001234", "qualificationCategory": "机电工程施工总承包", "qualificationGrade": "二级",
            "qualificationNumber": "D251000123", "qualificationValidUntil": validUntil, "adminUsername": admin,
            "adminDisplayName": "青羊安装 何志明", "adminPassword": "Qingyang2026",
        ]
    }

    static func post(_ client: some TestClientProtocol, _ fields: [String: String]) async throws -> (Int, String) {
        let csrf = try await client.execute(uri: "/corp/register", method: .get) {
            Cookies.value(named: "siteroll_csrf", in: $0) ?? ""
        }
        var fields = fields
        fields["_csrf"] = csrf
        return try await client.execute(
            uri: "/corp/register", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "siteroll_csrf=\(csrf)"],
            body: ByteBuffer(string: fields.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&"))
        ) { (Int($0.status.code), String(buffer: $0.body)) }
    }

    @Test("a valid enterprise gets its code and an active administrator at once")
    func passes() async throws {
        try await TestPlatform.run { client, platform in
            let code = Self.creditCode()
            let (status, html) = try await Self.post(client, Self.form(code: code))
            #expect(status == 200)
            #expect(html.contains("企业实名核验通过"))
            let enterprise = try #require(
                try await EnterpriseModel.query(on: platform.db).filter(\.$creditCode == code).first())
            let verification = try #require(enterprise.verificationCode)
            #expect(verification.hasPrefix("E") && html.contains(verification))
            #expect(enterprise.legalRepIDCipher?.contains("51010519750505") == false)
            #expect(try await client.consoleLogin("corp", "qy_admin", password: "Qingyang2026").status == .seeOther)
            let regulator = try await client.consoleLogin("gov", "cd_admin")
            let (_, list) = try await client.page("/gov/enterprises?q=\(verification)", as: regulator)
            #expect(list.contains("四川青羊安装工程有限公司"))
        }
    }

    @Test("every fault at once: check character, expired qualification, taken username, bad legal representative")
    func faults() async throws {
        try await TestPlatform.run { client, platform in
            var fields = Self.form(code: "91510105MA6C8L2P3X", admin: "sj_admin", validUntil: "2020-01-01")
            fields["legalRepIDNumber"] = "510105197505053311"
            let (status, html) = try await Self.post(client, fields)
            #expect(status == 422)
            for message in ["校验", "资质证书已过有效期", "该用户名已被使用"] {
                #expect(html.contains(message), "missing \(message)")
            }
            #expect(try await EnterpriseModel.query(on: platform.db).filter(\.$name == "四川青羊安装工程有限公司").count() == 0)
            // The credit code of an enterprise already on the platform cannot be taken.
            let existing = try #require(try await EnterpriseModel.query(on: platform.db).first())
            let (_, taken) = try await Self.post(client, Self.form(code: existing.creditCode, admin: "another_admin"))
            #expect(taken.contains("已由其他企业登记"))
        }
    }

    @Test("a connected system submits an enterprise through /api/v1; an enterprise account may not")
    func api() async throws {
        try await TestPlatform.run { client, platform in
            let (appID, secret) = try await platform.services.appTokens.register(
                name: "某实名制系统", enterpriseID: nil, divisionCode: "510100", actor: .system)
            let token = try await client.execute(
                uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"appId":"\#(appID)","appSecret":"\#(secret)"}"#)
            ) {
                (try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any])?["token"] as? String
                    ?? ""
            }
            var fields: [String: Any] = Self.form(code: Self.creditCode("91510105MA6C8L2P4"), admin: "api_admin")
            fields["legalRepIdNumber"] = fields.removeValue(forKey: "legalRepIDNumber")
            fields["qualifications"] = [
                ["category": "机电工程施工总承包", "grade": "二级", "certificateNumber": "D251000124", "validUntil": "2029-06-30"]
            ]
            for key in [
                "qualificationCategory", "qualificationGrade", "qualificationNumber", "qualificationValidUntil",
            ] {
                fields.removeValue(forKey: key)
            }
            let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
            for (bearer, expected) in [(try await client.apiToken("sj_admin"), 403), (token, 200)] {
                try await client.execute(
                    uri: "/api/v1/verifications/enterprises", method: .post,
                    headers: [.authorization: "Bearer \(bearer)", .contentType: "application/json"],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(Int(response.status.code) == expected)
                    if expected == 200 {
                        let result =
                            try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                        #expect(result?["status"] as? String == "passed")
                        #expect((result?["verificationCode"] as? String)?.hasPrefix("E") == true)
                    }
                }
            }
        }
    }

    @Test("a regulator suspends an enterprise in reach: its staff cannot sign in until reinstated")
    func suspension() async throws {
        try await TestPlatform.run { client, platform in
            let jincheng = try #require(
                try await EnterpriseModel.query(on: platform.db).filter(\.$name == "成都锦城劳务有限公司").first())
            let staff = try await client.consoleLogin("corp", "jc_admin")
            let mianyang = try await client.consoleLogin("gov", "my_admin")
            let myCSRF = try await client.csrf(of: "/gov/enterprises", as: mianyang)
            #expect(
                try await client.post(
                    "/gov/enterprises/\(jincheng.id!)/suspend", form: ["_csrf": myCSRF, "reason": "拖欠工资未整改"],
                    as: mianyang
                ).0
                    == .notFound)
            let regulator = try await client.consoleLogin("gov", "cd_admin")
            let csrf = try await client.csrf(of: "/gov/enterprises/\(jincheng.id!)", as: regulator)
            #expect(
                try await client.post(
                    "/gov/enterprises/\(jincheng.id!)/suspend", form: ["_csrf": csrf, "reason": "拖欠工资未整改"],
                    as: regulator
                ).1.contains("已暂停该企业"))
            #expect(try await client.page("/corp", as: staff).0 == .seeOther)
            #expect(try await client.apiLoginStatus("jc_admin", password: Demo.password) == 403)
            #expect(
                try await client.post(
                    "/gov/enterprises/\(jincheng.id!)/reinstate", form: ["_csrf": csrf], as: regulator
                ).1.contains("已恢复该企业"))
            #expect(try await client.apiLoginStatus("jc_admin", password: Demo.password) == 200)
            #expect(
                try await AuditEventModel.query(on: platform.db).filter(\.$action == "enterprise.suspended").count()
                    == 1)
        }
    }
}
