import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SiteRollServer

/// Issue 2 item 6: the operator and integrator surfaces answer, and errors are stable JSON.
@Suite("HTTP: operations, contract and errors")
struct SurfaceTests {
    @Test("/health checks the database")
    func health() async throws {
        try await TestPlatform.run(demo: false) { client, _ in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains(#""status":"ok""#))
                #expect(body.contains(TestDatabase.isPostgres ? "postgresql" : "sqlite"))
            }
        }
    }

    @Test("/metrics speaks Prometheus and counts requests")
    func metrics() async throws {
        try await TestPlatform.run(demo: false) { client, _ in
            try await client.execute(uri: "/health", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("hb_requests"))
            }
        }
    }

    @Test("/openapi.yaml is the shipped contract and /docs renders it in Chinese")
    func contract() async throws {
        try await TestPlatform.run(demo: false) { client, _ in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("operationId: getCurrentAccount"))
            }
            try await client.execute(uri: "/docs", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("/api/v1/auth/login"))
                #expect(html.contains("账号密码登录，换取访问令牌"))
                #expect(html.contains("需要令牌"))
            }
        }
    }

    @Test(
        "bad input gets a stable code and a Chinese message, never a 500",
        arguments: [
            ("/api/v1/auth/login", "{not json", 400, "INVALID_REQUEST"),
            ("/api/v1/auth/login", #"{"username":"x"}"#, 400, "INVALID_REQUEST"),
            ("/api/v1/auth/login", #"{"username":"nobody","password":"x"}"#, 401, "INVALID_CREDENTIALS"),
            ("/api/v1/auth/login", #"{"username":"","password":""}"#, 400, "CREDENTIALS_REQUIRED"),
            ("/api/v1/auth/token", #"{"appId":"nope","appSecret":"nope"}"#, 401, "APP_CREDENTIALS_INVALID"),
        ])
    func badInput(uri: String, body: String, status: Int, code: String) async throws {
        try await TestPlatform.run(demo: false) { client, _ in
            try await client.execute(
                uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status.code == status)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
                #expect(json?["code"] == code)
                #expect(json?["message"]?.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } == true)
            }
        }
    }

    @Test("unknown paths, bad tokens and bad ids answer 4xx JSON")
    func notFound() async throws {
        try await TestPlatform.run { client, _ in
            try await client.execute(uri: "/api/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("NOT_FOUND"))
            }
            try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer forged"]) {
                response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("INVALID_TOKEN"))
            }
            try await client.execute(uri: "/api/v1/me", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            let token = try await client.apiToken("sc_admin")
            let (status, _) = try await client.apiGet("/api/v1/accounts/not-a-uuid", token: token)
            #expect(status == .badRequest)
            let (divisionStatus, _) = try await client.apiGet("/api/v1/divisions/12345", token: token)
            #expect(divisionStatus == .badRequest)
            let (missing, _) = try await client.apiGet("/api/v1/divisions/519999", token: token)
            #expect(missing == .notFound)
        }
    }

    @Test("an oversized form is refused with 413 in Chinese, not a 500")
    func oversized() async throws {
        try await TestPlatform.run(demo: false) { client, _ in
            try await client.execute(
                uri: "/gov/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(repeating: UInt8(ascii: "a"), count: ConsoleSessionMiddleware.maxFormBytes + 1)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("PAYLOAD_TOO_LARGE"))
            }
        }
    }

    @Test("an unknown console page is a Chinese page in the layout")
    func consoleNotFound() async throws {
        try await TestPlatform.run { client, _ in
            let session = try await client.consoleLogin("gov", "sc_admin")
            let (status, html) = try await client.page("/gov/no-such-page", as: session)
            #expect(status == .notFound)
            #expect(html.contains("页面不存在"))
            #expect(html.contains("退出"))
        }
    }
}

/// Issue 2 item 6: divisions through the API.
@Suite("HTTP: divisions")
struct DivisionAPITests {
    @Test("provinces, children and the path of a district")
    func divisions() async throws {
        try await TestPlatform.run { client, _ in
            let token = try await client.apiToken("jj_inspector")
            let (_, provinces) = try await client.apiGet("/api/v1/divisions", token: token)
            #expect((provinces as? [[String: Any]])?.first?["name"] as? String == "四川省")
            let (_, cities) = try await client.apiGet("/api/v1/divisions?parent=510000", token: token)
            #expect((cities as? [[String: Any]])?.count == 21)
            let (_, detail) = try await client.apiGet("/api/v1/divisions/510104", token: token)
            let path = ((detail as? [String: Any])?["path"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(path == ["四川省", "成都市", "锦江区"])
        }
    }
}

/// Every word a person sees is Chinese: each audit action and entity kind written anywhere in the
/// server has a Chinese name for the audit pages.
@Suite("Audit names")
struct AuditNameTests {
    static func sources() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SiteRollServer")
        let files =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
    }

    @Test("every recorded action and entity kind has a Chinese name")
    func named() throws {
        let text = try Self.sources()
        let lines = text.split(separator: "\n").filter { $0.contains("action:") || $0.contains("draft.action =") }
        let action = try Regex(#""([a-z]+(?:-[a-z]+)*\.[a-z]+(?:-[a-z]+)*|logout)""#)
        var actions: Set<String> = []
        for line in lines {
            for match in line.matches(of: action) { actions.insert(String(line[match.range].dropFirst().dropLast())) }
        }
        #expect(actions.count > 40)
        #expect(actions.filter { AuditSearch.actionNames[$0] == nil }.sorted() == [])
        let entity = try Regex(#"entityType: "([a-z_]+)""#)
        let kinds = Set(text.matches(of: entity).map { String(text[$0.range].dropFirst(13).dropLast()) })
        #expect(kinds.filter { AuditSearch.entityNames[$0] == nil }.sorted() == [])
    }
}
