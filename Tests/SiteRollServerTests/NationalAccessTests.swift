import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import SiteRollNational
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 15 item 4 (A1, S3): platform access over HTTP on both databases — an enterprise applies,
/// a regulator of the projects' division approves, the secret is shown once, the app signs to
/// /open.api, a rotation keeps the old secret for the overlap only, a revocation answers -1 at
/// once; rejection needs a reason; other divisions and the applicant cannot decide; every step
/// is audited.
@Suite("National access: applications, approval, rotation, revocation")
struct NationalAccessTests {
    static let address = "203.0.113.7"

    /// The gateway reads the caller's address from `X-Forwarded-For` here (the router-level test
    /// client has no peer address).
    static func behindProxy(_ configuration: inout SiteRollConfiguration) {
        configuration.trustForwardedFor = true
    }

    /// Signs and posts a national call from `address`; the answer's code.
    static func code(
        _ client: some TestClientProtocol, appID: String, secret: String, method: String = "CheckSign.Query",
        from address: String = Self.address, at date: Date = ServerClock.now()
    ) async throws -> Int? {
        let credentials = NationalGatewayTests.Credentials(appID: appID, secret: secret)
        let fields = NationalGatewayTests.fields(credentials, method: method, data: "{}", at: date)
        let body = fields.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&")
        return try await client.execute(
            uri: "/open.api", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .xForwardedFor: address],
            body: ByteBuffer(string: body)
        ) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any]
            return (json?["code"] as? NSNumber)?.intValue
        }
    }

    /// The text of an element with this id in a page (`<code id="…">value</code>`).
    static func element(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: #"id="\#(id)">"#) else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "<" })
    }

    static func application(_ platform: TestPlatform, system: String) async throws -> NationalAccessApplicationModel {
        try #require(
            try await NationalAccessApplicationModel.query(on: platform.db).filter(\.$systemName == system).first())
    }

    /// jc_admin applies for 锦江区东大街安置房项目 from 203.0.113.7; the application's page path.
    static func apply(
        _ client: some TestClientProtocol, _ platform: TestPlatform, as corp: ConsoleSession, system: String,
        addresses: String = "203.0.113.7\r\n2001:DB8::0:7"
    ) async throws -> (HTTPResponse.Status, String?, String) {
        let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
        let csrf = try await client.csrf(of: "/corp/access/new", as: corp)
        let pairs: [(String, String)] = [
            ("_csrf", csrf), ("systemName", system), ("vendor", "成都测试软件有限公司"), ("contactName", "刘洋"),
            ("contactPhone", "13880001234"), ("sourceIPs", addresses), ("project", project.id!.uuidString),
            ("method", "Project.Query"), ("method", "Team.Add"), ("notes", "测试"),
        ]
        let body = pairs.map { "\($0.0)=\($0.1.formEncoded)" }.joined(separator: "&")
        return try await client.execute(
            uri: "/corp/access/applications", method: .post,
            headers: [.cookie: corp.cookieHeader, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { ($0.status, $0.headers[.location], String(buffer: $0.body)) }
    }

    @Test("apply → approve → secret shown once → code 0 → rotate with overlap → revoke → -1, all audited")
    func lifecycle() async throws {
        try await TestPlatform.run(configure: Self.behindProxy) { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            let contractorSecret = try #require(try await platform.services.nationalApps.find(project.code)?.secret)
            let corp = try await client.consoleLogin("corp", "jc_admin")
            let gov = try await client.consoleLogin("gov", "cd_admin")

            // apply
            let (status, location, _) = try await Self.apply(client, platform, as: corp, system: "班组通")
            #expect(status == .seeOther)
            let applicationPage = try #require(location)
            #expect(applicationPage.hasPrefix("/corp/access/applications/"))
            let application = try await Self.application(platform, system: "班组通")
            #expect(application.status == "pending" && application.divisionCode == "510104")
            #expect(application.sourceIPs == "203.0.113.7,2001:db8::7", "addresses kept in their canonical form")
            let (_, mine) = try await client.page(applicationPage, as: corp)
            #expect(mine.contains("待审核") && mine.contains(#"id="withdraw-form""#))

            // the regulator sees it pending, with what approval will do to the contractor's app
            let (_, list) = try await client.page("/gov/access", as: gov)
            #expect(list.contains("班组通"))
            let reviewPage = "/gov/access/applications/\(application.id!)"
            let (_, review) = try await client.page(reviewPage, as: gov)
            #expect(review.contains(#"id="approve-form""#) && review.contains("重新签发密钥"))

            // approve: the regulator never sees the secret
            let (_, approved) = try await ProjectTests.submit(client, reviewPage + "/approve", ["note": "同意"], as: gov)
            #expect(approved.contains("已批准"))
            #expect(!approved.contains(#"id="national-secret""#))
            let credential = try #require(
                try await AppCredentialModel.query(on: platform.db).filter(\.$appID == project.code).first())
            #expect(credential.secretRevealPending && credential.allowedIPs == "203.0.113.7,2001:db8::7")
            #expect(credential.methods == "Project.Query,Team.Add,CheckSign.Query,AsyncHandleResult.Query")

            // the secret is shown once to the applicant's administrator
            let (_, waiting) = try await client.page("/corp/access", as: corp)
            #expect(waiting.contains("待领取"))
            let reveal = "/corp/access/apps/\(credential.id!)/reveal"
            let (_, shown) = try await ProjectTests.submit(client, reveal, [:], as: corp)
            let secret = try #require(Self.element("national-secret", in: shown))
            #expect(secret.count == 32 && Self.element("national-appid", in: shown) == project.code)
            let (again, refused) = try await ProjectTests.submit(client, reveal, [:], as: corp)
            #expect(again == .conflict && refused.contains("ACCESS_SECRET_SHOWN") && !refused.contains(secret))
            let (_, afterwards) = try await client.page("/corp/access", as: corp)
            #expect(afterwards.contains("已设置") && !afterwards.contains(secret))

            // the app signs: 0 from its address, -4 from another, the contractor's old secret -2
            #expect(try await Self.code(client, appID: project.code, secret: secret) == 0)
            #expect(try await Self.code(client, appID: project.code, secret: secret, from: "198.51.100.1") == -4)
            #expect(try await Self.code(client, appID: project.code, secret: contractorSecret) == -2)
            #expect(try await Self.code(client, appID: project.code, secret: secret, method: "Payroll.Add") == -3)
            let used = try await AppCredentialModel.find(credential.id, on: platform.db)
            #expect(used?.lastUsedAt != nil, "an accepted call is the app's last use")

            // rotate: the new secret once, the old one for the overlap only
            let (_, rotated) = try await ProjectTests.submit(
                client, "/corp/access/apps/\(credential.id!)/rotate", [:], as: corp)
            let newSecret = try #require(Self.element("national-secret", in: rotated))
            #expect(newSecret != secret && rotated.contains("原密钥 24 小时内仍可使用"))
            #expect(try await Self.code(client, appID: project.code, secret: secret) == 0, "old secret in the overlap")
            let token = try await WorkforceAPITests.appToken(client, appID: project.code, secret: secret)
            #expect(!token.isEmpty, "/api/v1 takes the previous secret within the overlap too")
            #expect(try await Self.code(client, appID: project.code, secret: newSecret) == 0)
            let later = Date().addingTimeInterval(25 * 3600)
            let (old, new) = try await ServerClock.$fixed.withValue(ServerClock.Fixed(later)) {
                () async throws -> (Int?, Int?) in
                (
                    try await Self.code(client, appID: project.code, secret: secret, at: later),
                    try await Self.code(client, appID: project.code, secret: newSecret, at: later)
                )
            }
            #expect(old == -2 && new == 0, "after the overlap only the new secret verifies")

            // figures: calls by code on both sides
            let (_, figures) = try await client.page("/gov/access", as: gov)
            #expect(figures.contains(#"data-appid="\#(project.code)""#))
            #expect(figures.contains("设备"), "gate devices are in the same list")
            let calls = try await NationalAccessQueries(platform.db).callFigures(
                appIDs: [project.code], since: Date().addingTimeInterval(-3600))
            #expect(calls[project.code]?.byCode[-4] == 1 && calls[project.code]?.byCode[-3] == 1)

            // revoke: a reason is required; then -1 at once
            let revoke = "/gov/access/apps/\(credential.id!)/revoke"
            let (blank, _) = try await ProjectTests.submit(client, revoke, ["reason": " "], as: gov)
            #expect(blank == .unprocessableContent)
            let (_, revoked) = try await ProjectTests.submit(client, revoke, ["reason": "厂商合同终止"], as: gov)
            #expect(revoked.contains("已注销"))
            #expect(try await Self.code(client, appID: project.code, secret: newSecret) == -1)

            let actions = Set(
                try await AuditEventModel.query(on: platform.db).filter(\.$action =~ "national-access.").all()
                    .filter { $0.entityID == application.id!.uuidString || $0.entityID == credential.id!.uuidString }
                    .map(\.action))
            #expect(
                actions == [
                    "national-access.applied", "national-access.approved", "national-access.secret-shown",
                    "national-access.rotated", "national-access.revoked",
                ])
            let enterprise = try #require(application.enterpriseID.uuidString as String?)
            let filed = try await AuditEventModel.query(on: platform.db).filter(\.$action == "national-access.approved")
                .filter(\.$enterpriseID == enterprise).count()
            #expect(filed == 1, "the regulator's decision is in the applicant's audit log too")
        }
    }

    @Test("a rejection needs a reason; the applicant reads it; a decided application cannot be decided again")
    func rejection() async throws {
        try await TestPlatform.run { client, platform in
            let application = try await Self.application(platform, system: "锦城劳务班组管理系统")
            let gov = try await client.consoleLogin("gov", "cd_admin")
            let page = "/gov/access/applications/\(application.id!)"
            let (blank, refused) = try await ProjectTests.submit(client, page + "/reject", ["reason": ""], as: gov)
            #expect(blank == .unprocessableContent && refused.contains("驳回理由"))
            #expect(try await NationalAccessApplicationModel.find(application.id, on: platform.db)?.status == "pending")
            _ = try await ProjectTests.submit(client, page + "/reject", ["reason": "来源地址不是本单位出口"], as: gov)
            #expect(
                try await NationalAccessApplicationModel.find(application.id, on: platform.db)?.status == "rejected")
            let (twice, _) = try await ProjectTests.submit(client, page + "/approve", [:], as: gov)
            #expect(twice == .conflict)
            let corp = try await client.consoleLogin("corp", "jc_admin")
            let (_, mine) = try await client.page("/corp/access/applications/\(application.id!)", as: corp)
            #expect(mine.contains("已驳回") && mine.contains("来源地址不是本单位出口"))
            let events = try await AuditEventModel.query(on: platform.db).filter(
                \.$action == "national-access.rejected"
            )
            .count()
            #expect(events == 1)
        }
    }

    @Test("a regulator of another division neither sees nor decides; the applicant cannot approve its own")
    func reach() async throws {
        try await TestPlatform.run { client, platform in
            let application = try await Self.application(platform, system: "锦城劳务班组管理系统")
            let page = "/gov/access/applications/\(application.id!)"
            let mianyang = try await client.consoleLogin("gov", "my_admin")
            let (_, list) = try await client.page("/gov/access", as: mianyang)
            #expect(!list.contains("锦城劳务班组管理系统"))
            let (seen, _) = try await client.page(page, as: mianyang)
            #expect(seen == .notFound)
            let (decided, _) = try await ProjectTests.submit(client, page + "/approve", [:], as: mianyang)
            #expect(decided == .notFound)
            let corp = try await client.consoleLogin("corp", "jc_admin")
            let (own, _) = try await ProjectTests.submit(client, page + "/approve", [:], as: corp)
            #expect(own != .ok && own != .seeOther, "a corp session has no way into /gov")
            let other = try await client.consoleLogin("corp", "fc_admin")
            let (foreign, _) = try await client.page("/corp/access/applications/\(application.id!)", as: other)
            #expect(foreign == .notFound)
            let labour = try await client.consoleLogin("corp", "sj_labour")
            let (_, officer) = try await client.page("/corp/access", as: labour)
            #expect(!officer.contains(#"id="apply-link""#), "only enterprise administrators apply")
            #expect(try await NationalAccessApplicationModel.find(application.id, on: platform.db)?.status == "pending")
            // The province reaches every division.
            let province = try await client.consoleLogin("gov", "sc_admin")
            let (_, all) = try await client.page("/gov/access", as: province)
            #expect(all.contains("锦城劳务班组管理系统"))
        }
    }

    @Test("the form refuses no address, a bad or ranged address, no method and a project outside reach")
    func refusals() async throws {
        try await TestPlatform.run { client, platform in
            let corp = try await client.consoleLogin("corp", "jc_admin")
            let before = try await NationalAccessApplicationModel.query(on: platform.db).count()
            for (addresses, words) in [
                ("", "至少一个"), ("300.1.1.1", "不是有效的"), ("10.0.0.0/8", "不支持网段"), ("0.0.0.0", "未指定地址"),
            ] {
                let (status, location, page) = try await Self.apply(
                    client, platform, as: corp, system: "坏地址", addresses: addresses)
                #expect(status == .unprocessableContent && location == nil, "\(addresses)")
                #expect(page.contains(words), "\(addresses)")
                #expect(page.contains(#"value="坏地址""#), "what was typed comes back")
            }
            let csrf = try await client.csrf(of: "/corp/access/new", as: corp)
            let (outside, page) = try await client.post(
                "/corp/access/applications",
                form: [
                    "_csrf": csrf, "systemName": "越界", "vendor": "某厂商", "contactName": "刘洋",
                    "contactPhone": "13880001234", "sourceIPs": "203.0.113.9", "project": UUID().uuidString,
                ], as: corp)
            #expect(outside == .unprocessableContent && page.contains("未参建") && page.contains("至少选择一个接口方法"))
            #expect(try await NationalAccessApplicationModel.query(on: platform.db).count() == before)
        }
    }

    @Test("the pending demo application can be withdrawn by its enterprise, once")
    func withdraw() async throws {
        try await TestPlatform.run { client, platform in
            let application = try await Self.application(platform, system: "锦城劳务班组管理系统")
            let corp = try await client.consoleLogin("corp", "jc_admin")
            let page = "/corp/access/applications/\(application.id!)"
            let (_, done) = try await ProjectTests.submit(client, page + "/withdraw", ["reason": "换用总包系统"], as: corp)
            #expect(done.contains("已撤回"))
            let (again, _) = try await ProjectTests.submit(client, page + "/withdraw", [:], as: corp)
            #expect(again == .conflict)
        }
    }
}

/// The counting query behind the figures, on whichever engine the suite runs on.
@Suite("Store: national access queries")
struct NationalAccessQueryTests {
    @Test("calls are grouped by app and code in the database; a reveal and a decision are taken once")
    func figures() async throws {
        try await StoreQueryTests.withDatabase { database in
            let db = database.database()
            let now = Date()
            for (app, code, ago) in [
                ("A1", 0, 10.0), ("A1", 0, 20), ("A1", -2, 30), ("A1", -4, 40), ("A1", 9999, 50), ("A1", 0, 9 * 86400),
                ("B2", -1, 5),
            ] {
                try await NationalCallModel(appID: app, method: "CheckSign.Query", code: code, at: now - ago).create(
                    on: db)
            }
            let queries = NationalAccessQueries(db)
            let figures = try await queries.callFigures(
                appIDs: ["A1", "B2", "C3"], since: now.addingTimeInterval(-7 * 86400))
            let a = try #require(figures["A1"])
            #expect(a.calls == 5 && a.byCode == [0: 2, -2: 1, -4: 1, 9999: 1] && a.errors == 3)
            #expect(abs((a.lastCallAt?.timeIntervalSince(now) ?? 0) + 10) < 1)
            #expect(figures["B2"]?.byCode == [-1: 1] && figures["C3"] == nil)

            let credential = AppCredentialModel(
                appID: "A1", name: "测试", secretHash: "x", enterpriseID: nil, divisionCode: "510104")
            credential.kind = "national"
            credential.secretRevealPending = true
            try await credential.create(on: db)
            #expect(try await queries.claimReveal(credential.id!))
            #expect(try await !queries.claimReveal(credential.id!))
            try await queries.touch(credential.id!, at: now)
            #expect(try await AppCredentialModel.find(credential.id, on: db)?.lastUsedAt != nil)
        }
    }
}
