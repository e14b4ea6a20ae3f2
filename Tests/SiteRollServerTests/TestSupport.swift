import FluentKit
import FluentSQL
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Where the suite's databases live: a fresh SQLite file per test, or, when
/// `SITEROLL_TEST_DATABASE_URL` names a PostgreSQL server, a fresh database per test on it.
enum TestDatabase {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["SITEROLL_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isPostgres: Bool { postgresURL != nil }

    /// A new, empty database; dropped (PostgreSQL) or left in the temp directory (SQLite).
    static func fresh() async throws -> DatabaseLocation {
        guard let adminURL = postgresURL else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "siteroll-tests-\(UUID().uuidString)")
            return .sqlite(path: directory.appendingPathComponent("test.sqlite").path)
        }
        let name = "siteroll_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        let admin = try DatabaseService(location: .postgres(url: adminURL), logger: quietLogger, connectionsPerLoop: 1)
        do {
            try await (admin.database() as! any SQLDatabase).raw("CREATE DATABASE \(unsafeRaw: name)").run()
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        guard var components = URLComponents(string: adminURL) else { throw CocoaError(.fileNoSuchFile) }
        components.path = "/" + name
        return .postgres(url: components.string!)
    }

    static func drop(_ location: DatabaseLocation) async {
        switch location {
        case .postgres(let url):
            guard let adminURL = postgresURL, let name = URLComponents(string: url)?.path.dropFirst() else { return }
            guard
                let admin = try? DatabaseService(
                    location: .postgres(url: adminURL), logger: quietLogger, connectionsPerLoop: 1)
            else {
                return
            }
            try? await (admin.database() as! any SQLDatabase).raw(
                "DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)"
            ).run()
            await admin.shutdown()
        case .sqlite(let path):
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
        case .sqliteInMemory:
            break
        }
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "siteroll.test")
        logger.logLevel = .warning
        return logger
    }()
}

/// A SiteRoll application built exactly as `siteroll serve` builds it, on a fresh database.
struct TestPlatform {
    var services: SiteRollServices
    var location: DatabaseLocation

    static func configuration(location: DatabaseLocation, demo: Bool) -> SiteRollConfiguration {
        var configuration = SiteRollConfiguration()
        configuration.demo = demo
        // The demo's wage history (payrolls paid through the bank simulator) takes seconds to load:
        // only the tests about it ask for it (`PayrollTests.withWageHistory`).
        configuration.demoWages = false
        // Warning runs happen when a test asks (a loaded suite outlasts the scheduler's start delay).
        configuration.warningIntervalMinutes = 0
        // Bank follow-ups likewise: the job's first round finds nothing due (a new batch waits out
        // the grace period) and the next is an hour away, so the bank tests call `followUpDue` themselves.
        configuration.bankFollowUpSeconds = 3600
        configuration.bcryptCost = 4
        // Many applications run at once in the suite: keep each one's share of PostgreSQL small.
        configuration.databasePoolSize = 1
        // Two cores run the whole suite at once: a request may wait long for its turn, which is
        // load, not a fault (pool timeouts are not what these tests are about).
        configuration.databasePoolTimeout = 120
        configuration.dataDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("siteroll-data-\(UUID().uuidString)").path
        configuration.dataKey = Data(repeating: 7, count: 32).base64EncodedString()
        switch location {
        case .postgres(let url): configuration.databaseURL = url
        case .sqlite(let path): configuration.databaseURL = "sqlite:" + path
        case .sqliteInMemory: configuration.databaseURL = "sqlite::memory:"
        }
        return configuration
    }

    /// Runs `test` against a router-level client of a freshly built platform (`live`: a real
    /// server on a free loopback port, `client.port`, for clients that speak HTTP themselves).
    static func run<T: Sendable>(
        demo: Bool = true, adminPassword: String? = nil, identities: String? = nil, live: Bool = false,
        configure: (inout SiteRollConfiguration) -> Void = { _ in },
        _ test: @Sendable (any TestClientProtocol, TestPlatform) async throws -> T
    ) async throws -> T {
        // The whole suite starts at once; on PostgreSQL each platform holds connections, and more
        // than `max_connections` at a time fail as "too many clients": take turns.
        await PlatformGate.shared.enter()
        defer { Task { await PlatformGate.shared.leave() } }
        let location = try await TestDatabase.fresh()
        var configuration = configuration(location: location, demo: demo)
        configuration.initialAdminPassword = adminPassword
        configuration.simulatorIdentities = identities ?? "*\t*\tmatch\n"
        configuration.identityAuthorityTimeout = 2
        if live { configuration.port = 0 }
        configure(&configuration)
        let services = try await makeServices(configuration, logger: TestDatabase.quietLogger)
        let app = try await buildApplication(services: services, logger: TestDatabase.quietLogger)
        let platform = TestPlatform(services: services, location: location)
        do {
            let value = try await app.test(live ? .live : .router) { client in try await test(client, platform) }
            await TestDatabase.drop(location)
            return value
        } catch {
            await TestDatabase.drop(location)
            throw error
        }
    }

    var db: any Database { services.database.database() }
}

/// Demo logins, as the README lists them.
enum Demo {
    static let password = DemoData.password
}

extension TestClientProtocol {
    /// Signs in through `/api/v1/auth/login` and returns the bearer token.
    func apiToken(_ username: String, password: String = Demo.password) async throws -> String {
        try await execute(
            uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"username":"\#(username)","password":"\#(password)"}"#)
        ) { response in
            #expect(response.status == .ok, "login of \(username) should succeed")
            let body = try JSONDecoder().decode([String: AnyDecodable].self, from: Data(buffer: response.body))
            return body["token"]?.string ?? ""
        }
    }

    /// The status of a password login through the API, for lock-out tests.
    func apiLoginStatus(_ username: String, password: String) async throws -> Int {
        try await execute(
            uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"username":"\#(username)","password":"\#(password)"}"#)
        ) { Int($0.status.code) }
    }

    /// GET with a bearer token; returns status and the decoded JSON.
    func apiGet(_ uri: String, token: String) async throws -> (HTTPResponse.Status, Any) {
        try await execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
            (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) ?? [:])
        }
    }

    /// Signs into a console with the login form, CSRF cookie included; returns the session cookie.
    /// `device` is the known-browser cookie of an earlier sign-in, if this "browser" has one.
    func consoleLogin(
        _ audience: String, _ username: String, password: String = Demo.password, device: String? = nil
    ) async throws -> ConsoleSession {
        let csrf = try await execute(uri: "/\(audience)/login", method: .get) { response in
            #expect(response.status == .ok)
            return Cookies.value(named: "siteroll_csrf", in: response) ?? ""
        }
        let cookies = "siteroll_csrf=\(csrf)" + (device.map { "; siteroll_device=\($0)" } ?? "")
        return try await execute(
            uri: "/\(audience)/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookies],
            body: ByteBuffer(string: "_csrf=\(csrf)&username=\(username)&password=\(password.formEncoded)&returnTo=")
        ) { response in
            let session = Cookies.value(named: "siteroll_\(audience)", in: response)
            return ConsoleSession(
                audience: audience, cookie: session, status: response.status, body: String(buffer: response.body),
                device: Cookies.value(named: "siteroll_device", in: response))
        }
    }

}

/// Reads a `Set-Cookie` value from a response.
enum Cookies {
    static func value(named name: String, in response: TestResponse) -> String? {
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
        }
        return nil
    }
}

struct ConsoleSession: Sendable {
    var audience: String
    var cookie: String?
    var status: HTTPResponse.Status
    var body: String
    /// The known-browser cookie the sign-in set.
    var device: String? = nil

    var cookieHeader: String { "siteroll_\(audience)=\(cookie ?? "")" }
}

extension TestClientProtocol {
    /// GET a console page with the session cookie; returns status and HTML.
    func page(_ uri: String, as session: ConsoleSession) async throws -> (HTTPResponse.Status, String) {
        try await execute(uri: uri, method: .get, headers: [.cookie: session.cookieHeader]) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// Reads the CSRF token a console page carries in its forms.
    func csrf(of uri: String, as session: ConsoleSession) async throws -> String {
        let (_, html) = try await page(uri, as: session)
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    /// POST a console form with the session cookie, and, as a browser does, follow a success's
    /// 303 to the page that shows the result (issue 14 item 5: post-redirect-get). A redirect to
    /// a sign-in page is returned as it is.
    func post(_ uri: String, form: [String: String], as session: ConsoleSession) async throws -> (
        HTTPResponse.Status, String
    ) {
        let body = form.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&")
        let (status, html, location) = try await execute(
            uri: uri, method: .post,
            headers: [.cookie: session.cookieHeader, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { response in (response.status, String(buffer: response.body), response.headers[.location]) }
        return try await followed(status, html, location, as: session)
    }

    /// The page a form's 303 leads to, fetched with the same session.
    func followed(_ status: HTTPResponse.Status, _ html: String, _ location: String?, as session: ConsoleSession)
        async throws -> (HTTPResponse.Status, String)
    {
        guard status == .seeOther, let location, !location.contains("/login") else { return (status, html) }
        return try await page(location, as: session)
    }
}

extension TestClientProtocol {
    /// POST a multipart form (file uploads) with the session cookie.
    func postMultipart(
        _ uri: String, fields: [String: String], files: [String: (name: String, type: String, data: Data)],
        as session: ConsoleSession
    ) async throws -> (HTTPResponse.Status, String) {
        let boundary = "----SiteRollTest\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (name, value) in fields {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, file) in files {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n"
                        .utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let (status, html, location) = try await execute(
            uri: uri, method: .post,
            headers: [.cookie: session.cookieHeader, .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(bytes: body)
        ) { response in (response.status, String(buffer: response.body), response.headers[.location]) }
        return try await followed(status, html, location, as: session)
    }
}

extension String {
    var formEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}

/// Just enough JSON decoding for assertions.
struct AnyDecodable: Decodable {
    var value: Any

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            value = string
        } else if let bool = try? container.decode(Bool.self) {
            value = bool
        } else if let number = try? container.decode(Double.self) {
            value = number
        } else if let object = try? container.decode([String: AnyDecodable].self) {
            value = object
        } else if let array = try? container.decode([AnyDecodable].self) {
            value = array
        } else {
            value = NSNull()
        }
    }

    var string: String? { value as? String }
}

/// At most `limit` test platforms at once (each has a database and a pool). A platform is never
/// started from inside another's test, so a turn is always given back.
actor PlatformGate {
    static let shared = PlatformGate(limit: 48)

    let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func enter() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
