import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollAPI
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// S1: each role sees and changes only what it may, through the consoles and the API, including
/// direct object ids of other tenants (403/404, never data). Demo accounts as in the README.
@Suite("Access: scoping matrix")
struct AccessMatrixTests {
    /// Which demo accounts each demo login may see in `/api/v1/accounts`.
    static let visibility: [(String, [String], [String])] = [
        ("sc_admin", ["cd_admin", "jj_inspector", "my_admin", "sj_admin", "sj_labour", "fc_admin"], []),
        ("cd_admin", ["cd_admin", "jj_inspector", "sj_admin", "jc_admin"], ["sc_admin", "my_admin", "fc_admin"]),
        ("jj_inspector", ["jj_inspector", "sj_admin", "sj_labour"], ["cd_admin", "jc_admin", "my_admin", "sc_admin"]),
        ("my_admin", ["my_admin", "fc_admin"], ["cd_admin", "sj_admin", "jj_inspector"]),
        ("sj_admin", ["sj_admin", "sj_labour"], ["jc_admin", "cd_admin", "fc_admin"]),
        ("sj_labour", ["sj_admin", "sj_labour"], ["jc_admin", "fc_admin"]),
        ("fc_admin", ["fc_admin"], ["sj_admin", "my_admin"]),
        ("worker_zhang", ["worker_zhang"], ["sj_admin", "jj_inspector"]),
    ]

    @Test("list and fetch by id: inside reach visible, outside reach 404", arguments: visibility)
    func matrix(login: String, sees: [String], hidden: [String]) async throws {
        try await TestPlatform.run { client, platform in
            let token = try await client.apiToken(login)
            let (status, list) = try await client.apiGet("/api/v1/accounts", token: token)
            #expect(status == .ok)
            let names = Set(((list as? [[String: Any]]) ?? []).compactMap { $0["username"] as? String })
            for name in sees { #expect(names.contains(name), "\(login) should see \(name)") }
            for name in hidden { #expect(!names.contains(name), "\(login) must not see \(name)") }
            let ids = try await Dictionary(
                uniqueKeysWithValues: AccountModel.query(on: platform.db).all().map { ($0.username, $0.id!.uuidString) }
            )
            for name in sees {
                let (code, _) = try await client.apiGet("/api/v1/accounts/\(ids[name]!)", token: token)
                #expect(code == .ok, "\(login) fetching \(name)")
            }
            for name in hidden {
                let (code, body) = try await client.apiGet("/api/v1/accounts/\(ids[name]!)", token: token)
                #expect(code == .notFound, "\(login) fetching \(name)")
                #expect((body as? [String: Any])?["username"] == nil)
            }
        }
    }

    @Test("a regulator admin creates accounts for its division or below, never above or beside")
    func regulatorCreation() async throws {
        try await TestPlatform.run { client, platform in
            let token = try await client.apiToken("cd_admin")
            func create(_ username: String, role: String, division: String) async throws -> (Int, String) {
                try await client.execute(
                    uri: "/api/v1/accounts", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(
                        string:
                            #"{"username":"\#(username)","displayName":"测试","role":"\#(role)","password":"Passw0rd1","divisionCode":"\#(division)"}"#
                    )
                ) { (Int($0.status.code), String(buffer: $0.body)) }
            }
            #expect(try await create("cd_new", role: "regulator", division: "510100").0 == 201)
            #expect(try await create("jj_new", role: "regulatorAdmin", division: "510104").0 == 201)
            let above = try await create("sc_new", role: "regulator", division: "510000")
            #expect(above.0 == 400)
            #expect(above.1.contains("只能为本行政区划或下级区划创建账号"))
            #expect(try await create("my_new", role: "regulator", division: "510703").0 == 400)
            #expect(try await create("bad_div", role: "regulator", division: "510199").0 == 400)
            #expect(try await create("corp_new", role: "labourOfficer", division: "510104").0 == 403)
            #expect(try await create("cd_new", role: "regulator", division: "510100").0 == 409)
            let created = try await AccountModel.query(on: platform.db).filter(\.$username ~~ ["cd_new", "jj_new"])
                .all()
            #expect(created.count == 2)
            #expect(try await AccountModel.query(on: platform.db).filter(\.$username == "sc_new").count() == 0)
        }
    }

    @Test("a plain regulator and a labour officer create nobody")
    func nonAdmins() async throws {
        try await TestPlatform.run { client, _ in
            for login in ["jj_inspector", "sj_labour", "worker_zhang"] {
                let token = try await client.apiToken(login)
                try await client.execute(
                    uri: "/api/v1/accounts", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(
                        string:
                            #"{"username":"x_\#(login)","displayName":"测试","role":"regulator","password":"Passw0rd1","divisionCode":"510104"}"#
                    )
                ) { response in #expect(response.status == .forbidden, "\(login)") }
            }
        }
    }

    @Test("consoles refuse other kinds of account, and other tenants' pages read as not found")
    func consoles() async throws {
        try await TestPlatform.run { client, platform in
            let wrong = try await client.consoleLogin("gov", "sj_admin")
            #expect(wrong.cookie == nil)
            #expect(wrong.body.contains("WRONG_CONSOLE"))

            let corp = try await client.consoleLogin("corp", "sj_admin")
            #expect(corp.status == .seeOther)
            // The browser sends the corp cookie to /gov too: it is no gov session, so back to the gov login.
            let (govStatus, _) = try await client.execute(
                uri: "/gov", method: .get, headers: [.cookie: corp.cookieHeader]
            ) {
                ($0.status, $0.headers[.location])
            }
            #expect(govStatus == .seeOther)
            // A corp session presented under the gov cookie's name is a session of the wrong kind: refused.
            let forged = ConsoleSession(audience: "gov", cookie: corp.cookie, status: .ok, body: "")
            let (forgedStatus, forgedHTML) = try await client.page("/gov/accounts", as: forged)
            #expect(forgedStatus == .forbidden)
            #expect(!forgedHTML.contains("sc_admin"))

            let jincheng = try #require(
                try await EnterpriseModel.query(on: platform.db).filter(\.$name == "成都锦城劳务有限公司").first())
            let fucheng = try #require(
                try await EnterpriseModel.query(on: platform.db).filter(\.$name == "绵阳涪城建筑工程有限公司").first())
            let jj = try await client.consoleLogin("gov", "jj_inspector")
            let (inside, insideHTML) = try await client.page("/gov/enterprises", as: jj)
            #expect(inside == .ok)
            #expect(insideHTML.contains("四川蜀建建设工程有限公司"))
            #expect(!insideHTML.contains("成都锦城劳务有限公司"))
            let (other, otherHTML) = try await client.page("/gov/enterprises/\(jincheng.id!)", as: jj)
            #expect(other == .notFound)
            #expect(!otherHTML.contains(jincheng.creditCode))
            let cd = try await client.consoleLogin("gov", "cd_admin")
            #expect(try await client.page("/gov/enterprises/\(jincheng.id!)", as: cd).0 == .ok)
            #expect(try await client.page("/gov/enterprises/\(fucheng.id!)", as: cd).0 == .notFound)

            let scAdmin = try #require(
                try await AccountModel.query(on: platform.db).filter(\.$username == "sc_admin").first())
            #expect(try await client.page("/corp/accounts/\(scAdmin.id!)", as: corp).0 == .notFound)
            let worker = try await client.consoleLogin("m", "worker_zhang")
            let (home, homeHTML) = try await client.page("/m", as: worker)
            #expect(home == .ok)
            #expect(homeHTML.contains("张建国"))
            #expect(homeHTML.contains("510104********"))
            #expect(!homeHTML.contains("510104198503121"))
        }
    }

    @Test("audit search stays inside the regulator's divisions")
    func auditScope() async throws {
        try await TestPlatform.run { client, _ in
            _ = try await client.apiToken("fc_admin")  // a login in Mianyang: an event under 510703
            let my = try await client.apiToken("my_admin")
            let (_, myEvents) = try await client.apiGet("/api/v1/audit-events?limit=200", token: my)
            let myDivisions = Set(((myEvents as? [[String: Any]]) ?? []).compactMap { $0["divisionCode"] as? String })
            #expect(!myDivisions.isEmpty)
            #expect(myDivisions.allSatisfy { $0.hasPrefix("5107") })
            let jj = try await client.apiToken("jj_inspector")
            let (_, jjEvents) = try await client.apiGet("/api/v1/audit-events?limit=200", token: jj)
            let jjDivisions = Set(((jjEvents as? [[String: Any]]) ?? []).compactMap { $0["divisionCode"] as? String })
            #expect(jjDivisions == ["510104"])
            let corp = try await client.apiToken("sj_admin")
            #expect(try await client.apiGet("/api/v1/audit-events", token: corp).0 == .forbidden)
            let session = try await client.consoleLogin("gov", "my_admin")
            let (status, html) = try await client.page("/gov/audit?action=login.succeeded", as: session)
            #expect(status == .ok)
            #expect(html.contains("fc_admin"))
            #expect(!html.contains("sj_admin"))
        }
    }
}

/// S1: sessions, CSRF, lock-out, the first administrator.
@Suite("Access: sign-in")
struct SignInTests {
    @Test("console login sets an HttpOnly SameSite cookie and the home page shows real data")
    func consoleLogin() async throws {
        try await TestPlatform.run { client, _ in
            let csrf = try await client.execute(uri: "/gov/login", method: .get) { response in
                Cookies.value(named: "siteroll_csrf", in: response) ?? ""
            }
            try await client.execute(
                uri: "/gov/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "siteroll_csrf=\(csrf)"],
                body: ByteBuffer(string: "_csrf=\(csrf)&username=cd_admin&password=Demo%402026&returnTo=%2Fgov%2Faudit")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/gov/audit")
                let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("siteroll_gov=") } ?? ""
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
            }
            let session = try await client.consoleLogin("gov", "cd_admin")
            let (status, html) = try await client.page("/gov", as: session)
            #expect(status == .ok)
            #expect(html.contains("成都市住建局管理员"))
            #expect(html.contains("四川省 / 成都市"))
            #expect(html.contains("登录成功"))
        }
    }

    @Test("forms without the right CSRF token are refused")
    func csrf() async throws {
        try await TestPlatform.run { client, _ in
            try await client.execute(
                uri: "/gov/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=cd_admin&password=Demo%402026")
            ) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("CSRF_TOKEN_INVALID"))
            }
            let session = try await client.consoleLogin("gov", "cd_admin")
            let (status, _) = try await client.post(
                "/gov/accounts",
                form: [
                    "_csrf": "forged", "username": "x_user", "displayName": "x", "role": "regulator",
                    "password": "Passw0rd1", "divisionCode": "510100",
                ],
                as: session)
            #expect(status == .forbidden)
            let token = try await client.csrf(of: "/gov/accounts", as: session)
            let (created, html) = try await client.post(
                "/gov/accounts",
                form: [
                    "_csrf": token, "username": "x_user", "displayName": "新监管员", "role": "regulator",
                    "password": "Passw0rd1", "divisionCode": "510104",
                ],
                as: session)
            #expect(created == .ok)
            #expect(html.contains("已创建账号 x_user"))
        }
    }

    @Test(
        "S1: wrong passwords make the name wait instead of locking it; a known name and an unknown one answer alike; the owner's own browser still signs in; the first wait alerts the regulators"
    )
    func throttle() async throws {
        try await TestPlatform.run { client, platform in
            // The owner signed in from this browser before: it carries a known-device cookie.
            let earlier = try await client.consoleLogin("corp", "jc_admin")
            let device = try #require(earlier.device)
            // A stranger tries five passwords on the owner's name and on a name that does not exist.
            for _ in 1...5 {
                #expect(try await client.apiLoginStatus("jc_admin", password: "wrong") == 401)
                #expect(try await client.apiLoginStatus("no_such_user", password: "wrong") == 401)
            }
            // Now both names wait, with the same answer: nothing tells which one exists.
            var answers: [String] = []
            for name in ["jc_admin", "no_such_user"] {
                try await client.execute(
                    uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"username":"\#(name)","password":"Demo@2026"}"#)
                ) { response in
                    #expect(response.status == .tooManyRequests)
                    let body = String(buffer: response.body)
                    #expect(body.contains("LOGIN_THROTTLED") && body.contains("登录尝试过于频繁"))
                    answers.append(body.replacingOccurrences(of: name, with: ""))
                }
            }
            #expect(answers.count == 2 && answers[0].count == answers[1].count)
            // Even the right password from a new browser waits ...
            let stranger = try await client.consoleLogin("corp", "jc_admin")
            #expect(stranger.cookie == nil && stranger.body.contains("登录尝试过于频繁"))
            // ... but the owner's known browser passes, and its correct password clears the count.
            let owner = try await client.consoleLogin("corp", "jc_admin", device: device)
            #expect(owner.cookie != nil)
            #expect(try await client.apiLoginStatus("jc_admin", password: Demo.password) == 200)
            // No lock is stored on the account; the alert is in the audit trail, filed for regulators.
            let row = try #require(
                try await AccountModel.query(on: platform.db).filter(\.$username == "jc_admin").first())
            #expect(row.lockedUntil == nil)
            let alerts = try await AuditEventModel.query(on: platform.db).filter(\.$action == "login.throttled").all()
            #expect(alerts.count == 2)
            #expect(alerts.allSatisfy { $0.divisionCode.hasPrefix("51") })
            #expect(try await LoginThrottleModel.query(on: platform.db).count() >= 2)
            // The stored keys are digests: the typed names are nowhere in the table.
            let keys = try await LoginThrottleModel.query(on: platform.db).all().compactMap(\.id)
            #expect(keys.allSatisfy { $0.count == 64 && !$0.contains("jc_admin") })
        }
    }

    @Test("an account created with an initial password must set its own before anything else")
    func initialPassword() async throws {
        try await TestPlatform.run { client, _ in
            let admin = try await client.consoleLogin("gov", "cd_admin")
            let csrf = try await client.csrf(of: "/gov/accounts", as: admin)
            let (created, _) = try await client.post(
                "/gov/accounts",
                form: [
                    "_csrf": csrf, "username": "new_reg", "displayName": "新人", "role": "regulator",
                    "password": "Initial123", "divisionCode": "510104",
                ],
                as: admin)
            #expect(created == .ok)
            let session = try await client.consoleLogin("gov", "new_reg", password: "Initial123")
            let location = try await client.execute(
                uri: "/gov/audit", method: .get, headers: [.cookie: session.cookieHeader]
            ) {
                $0.headers[.location]
            }
            #expect(location == "/gov/password")
            let token = try await client.csrf(of: "/gov/password", as: session)
            let (changed, html) = try await client.post(
                "/gov/password",
                form: ["_csrf": token, "current": "Initial123", "new": "MyOwn2026", "confirm": "MyOwn2026"],
                as: session)
            #expect(changed == .ok)
            #expect(html.contains("密码已修改"))
            #expect(try await client.page("/gov/audit", as: session).0 == .ok)
            #expect(try await client.apiLoginStatus("new_reg", password: "Initial123") == 401)
            #expect(try await client.apiLoginStatus("new_reg", password: "MyOwn2026") == 200)
        }
    }

    @Test("logout ends the session; a revoked API token is refused")
    func logout() async throws {
        try await TestPlatform.run { client, _ in
            let token = try await client.apiToken("sj_admin")
            #expect(try await client.apiGet("/api/v1/me", token: token).0 == .ok)
            try await client.execute(
                uri: "/api/v1/auth/token", method: .delete, headers: [.authorization: "Bearer \(token)"]
            ) {
                #expect($0.status == .noContent)
            }
            #expect(try await client.apiGet("/api/v1/me", token: token).0 == .unauthorized)
            let session = try await client.consoleLogin("corp", "sj_admin")
            let csrf = try await client.csrf(of: "/corp", as: session)
            let (status, _) = try await client.post("/corp/logout", form: ["_csrf": csrf], as: session)
            #expect(status == .seeOther)
            #expect(try await client.page("/corp", as: session).0 == .seeOther)
        }
    }

    @Test("first start creates the administrator with a one-time password that must be changed")
    func firstAdministrator() async throws {
        try await TestPlatform.run(demo: false, adminPassword: "Start1234") { client, platform in
            let admin = try #require(
                try await AccountModel.query(on: platform.db).filter(\.$username == "admin").first())
            #expect(admin.divisionCode == "510000")
            #expect(admin.role == .regulatorAdmin)
            let token = try await client.apiToken("admin", password: "Start1234")
            let (_, me) = try await client.apiGet("/api/v1/me", token: token)
            #expect((me as? [String: Any])?["divisionName"] as? String == "四川省")
            #expect(try await AccountModel.query(on: platform.db).count() == 1)
        }
        let generated = FirstAdministrator.oneTimePassword()
        #expect(generated.count == 16)
        #expect(PasswordPolicyCheck.isAcceptable(generated))
    }

    @Test("system credentials exchange for a token that reads divisions but is no person")
    func appToken() async throws {
        try await TestPlatform.run { client, platform in
            let enterprise = try #require(try await EnterpriseModel.query(on: platform.db).first())
            let (appID, secret) = try await platform.services.appTokens.register(
                name: "测试考勤系统", enterpriseID: enterprise.id, divisionCode: enterprise.divisionCode, actor: .system)
            let token = try await client.execute(
                uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"appId":"\#(appID)","appSecret":"\#(secret)"}"#)
            ) { response in
                #expect(response.status == .ok)
                return (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["token"]
                    as? String ?? ""
            }
            #expect(try await client.apiGet("/api/v1/divisions", token: token).0 == .ok)
            // Every operation only a person may call refuses the app's token with 403, and the
            // contract says so: schemathesis found four that did not (issue 12 item 3).
            let project = try #require(try await ProjectModel.query(on: platform.db).first()?.id)
            let account = try #require(try await AccountModel.query(on: platform.db).first()?.id)
            let yaml = try APISpec.yaml()
            for (template, path) in [
                ("/me", "/me"), ("/accounts", "/accounts"), ("/accounts/{accountId}", "/accounts/\(account)"),
                ("/audit-events", "/audit-events"), ("/projects", "/projects"),
                ("/projects/{projectId}", "/projects/\(project)"),
                ("/projects/{projectId}/workers", "/projects/\(project)/workers"),
            ] {
                #expect(try await client.apiGet("/api/v1" + path, token: token).0 == .forbidden, "\(path)")
                #expect(ContractText.statuses(in: yaml, path: template, method: "get").contains("403"), "\(template)")
            }
        }
    }
}

/// The response codes the published contract lists for one operation, read from its text.
enum ContractText {
    static func statuses(in yaml: String, path: String, method: String) -> Set<String> {
        let lines = yaml.components(separatedBy: "\n")
        guard let pathLine = lines.firstIndex(of: "  \(path):"),
            let methodLine = lines[(pathLine + 1)...].firstIndex(of: "    \(method):")
        else { return [] }
        var found: Set<String> = []
        for line in lines[(methodLine + 1)...] {
            // The next operation or path ends this one.
            if line.hasPrefix("    ") && !line.hasPrefix("     ") || line.hasPrefix("  /") { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("        \""), trimmed.count == 6, trimmed.hasSuffix("\":") {
                found.insert(String(trimmed.dropFirst().prefix(3)))
            }
        }
        return found
    }
}

enum PasswordPolicyCheck {
    static func isAcceptable(_ password: String) -> Bool {
        SiteRollCore.PasswordPolicy().violations(of: password).isEmpty
    }
}
