import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@testable import SiteRollServer

/// The one JSON-over-HTTP client of the external systems (issue 13, item 6), against a tiny
/// Hummingbird app on loopback run by the one simulator runner: what each answer becomes.
@Suite("Integration: JSON HTTP client and loopback simulator")
struct JSONHTTPClientTests {
    struct Ping: Codable, Equatable {
        var text: String
    }

    /// What the echo route saw: the headers the contracts name, in the order they came, and the body.
    struct Echo: Codable, Equatable {
        var headers: [String]
        var body: Ping
    }

    static let named: Set<String> = ["content-type", "accept", "x-request-id", "authorization"]

    /// The test server: one route per kind of answer.
    static func routes(_ router: Router<BasicRequestContext>) {
        router.post("echo") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            let headers = request.headers.filter { named.contains($0.name.canonicalName) }
                .map { "\($0.name.rawName): \($0.value)" }
            let echo = Echo(headers: headers, body: try JSONDecoder().decode(Ping.self, from: Data(buffer: body)))
            return json(.ok, String(decoding: try JSONEncoder().encode(echo), as: UTF8.self))
        }
        router.post("refuse") { _, _ in json(.conflict, #"{"code":"DUPLICATE_ID","message":"编号重复"}"#) }
        router.post("refuse-text") { _, _ in json(.badRequest, "missing field") }
        router.post("fail") { _, _ in json(.serviceUnavailable, #"{"code":"DOWN","message":"维护中"}"#) }
        router.post("slow") { _, _ in
            try await Task.sleep(for: .seconds(3))
            return json(.ok, #"{"text":"late"}"#)
        }
        router.post("big") { _, _ in json(.ok, #"{"text":""# + String(repeating: "字", count: 2_000) + #""}"#) }
        router.post("text") { _, _ in json(.ok, "<html>not json</html>") }
        router.post("created") { _, _ in json(.created, #"{"text":"created"}"#) }
        router.post("v1/verifications") { _, _ in json(.unprocessableContent, "portrait missing") }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs the test server on an ephemeral loopback port while `body` runs.
    static func withServer(_ body: @Sendable (LoopbackSimulator) async throws -> Void) async throws {
        var logger = Logger(label: "siteroll.test.json-http")
        logger.logLevel = .warning
        let server = LoopbackSimulator(
            serverName: "SiteRoll-Test-Server", announcement: "test server listening", logger: logger,
            routes: routes)
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                // The whole suite runs in parallel on two cores: give the listener time to start.
                _ = try #require(await server.url(waitingUpTo: .seconds(60)), "the runner announces its port")
                try await body(server)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func client(
        _ server: LoopbackSimulator, key: String? = "k-123", timeout: TimeAmount = .seconds(5),
        maxAnswerBytes: Int = 1 << 20, sendsAccept: Bool = true
    ) -> JSONHTTPClient {
        JSONHTTPClient(
            baseURL: { server.baseURL.map { $0 + "/" } }, apiKey: key, timeout: timeout,
            maxAnswerBytes: maxAnswerBytes, sendsAccept: sendsAccept)
    }

    /// The failure a call ends in (nil: it succeeded).
    static func failure(_ call: () async throws(JSONHTTPClient.Failure) -> Ping) async -> JSONHTTPClient.Failure? {
        do throws(JSONHTTPClient.Failure) {
            _ = try await call()
            return nil
        } catch {
            return error
        }
    }

    @Test("a 200 is decoded; the headers are the contracts', in their order")
    func success() async throws {
        try await Self.withServer { server in
            // act
            let echo: Echo = try await Self.client(server).post("echo", Ping(text: "你好"), requestID: "VR1")
            let bare: Echo = try await Self.client(server, key: "", sendsAccept: false).post(
                "echo", Ping(text: "b"), requestID: "VR2")
            let generated: Echo = try await Self.client(server, key: nil).post("echo", Ping(text: "c"))
            // check
            #expect(echo.body == Ping(text: "你好"))
            #expect(
                echo.headers == [
                    "Content-Type: application/json", "Accept: application/json", "X-Request-Id: VR1",
                    "Authorization: Bearer k-123",
                ])
            #expect(bare.headers == ["Content-Type: application/json", "X-Request-Id: VR2"], "no key, no Accept")
            let id = try #require(generated.headers.last)
            #expect(id.hasPrefix("X-Request-Id: SR") && id.count == "X-Request-Id: SR".count + 32)
        }
    }

    @Test("a 4xx is the system's refusal, with its code when the body is the contracts' error JSON")
    func refused() async throws {
        try await Self.withServer { server in
            let client = Self.client(server)
            // act
            let coded = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await client.post("refuse", Ping(text: "x"))
            }
            let plain = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await client.post("refuse-text", Ping(text: "x"))
            }
            let created = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await client.post("created", Ping(text: "x"))
            }
            // check
            guard case .refused(409, let body) = coded else {
                Issue.record("expected a refusal, got \(String(describing: coded))")
                return
            }
            #expect(JSONHTTPClient.ErrorBody.decode(body) == .init(code: "DUPLICATE_ID", message: "编号重复"))
            #expect(plain == .refused(status: 400, body: Data("missing field".utf8)))
            #expect(JSONHTTPClient.ErrorBody.decode(Data("missing field".utf8)) == nil)
            #expect(created == .refused(status: 201, body: Data(#"{"text":"created"}"#.utf8)), "only 200 answers")
        }
    }

    @Test("a 5xx, no connection and an oversized answer are 'unavailable'; a slow one times out")
    func tryLater() async throws {
        try await Self.withServer { server in
            // act
            let fail = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await Self.client(server).post("fail", Ping(text: "x"))
            }
            let slow = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await Self.client(server, timeout: .milliseconds(300)).post("slow", Ping(text: "x"))
            }
            let big = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await Self.client(server, maxAnswerBytes: 1_024).post("big", Ping(text: "x"))
            }
            let fits = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await Self.client(server, maxAnswerBytes: 16_384).post("big", Ping(text: "x"))
            }
            // check
            #expect(fail == .unavailable(status: 503))
            #expect(slow == .timeout)
            #expect(big == .unavailable(status: 0))
            #expect(fits == nil)
        }
        let closed = await Self.failure { () async throws(JSONHTTPClient.Failure) in
            try await JSONHTTPClient(baseURL: { "http://127.0.0.1:9" }, apiKey: nil, timeout: .seconds(2))
                .post("echo", Ping(text: "x"))
        }
        #expect(closed == .unavailable(status: 0), "nothing listens on port 9")
    }

    @Test("a 200 that is not the contract's JSON is malformed; no base URL is 'not configured'")
    func malformed() async throws {
        try await Self.withServer { server in
            let text = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await Self.client(server).post("text", Ping(text: "x"))
            }
            #expect(text == .malformedAnswer)
        }
        for base in [nil, ""] as [String?] {
            let none = await Self.failure { () async throws(JSONHTTPClient.Failure) in
                try await JSONHTTPClient(baseURL: { base }, apiKey: nil, timeout: .seconds(1))
                    .post("echo", Ping(text: "x"))
            }
            #expect(none == .notConfigured)
        }
    }

    @Test("the identity authority and the bank map the client's failures onto their own errors")
    func integrations() async throws {
        try await Self.withServer { server in
            let authority = HTTPIdentityAuthority(baseURL: { server.baseURL }, apiKey: nil)
            let check = IdentityCheckRequest(requestId: "VR9", name: "张三", idNumber: "x", portrait: "")
            do throws(IdentityAuthorityError) {
                _ = try await authority.verify(check)
                Issue.record("a 422 is not an answer")
            } catch {
                #expect(error == .rejected(status: 422, reason: "portrait missing"))
            }
            let bank = HTTPBankGateway(baseURL: { server.baseURL }, apiKey: nil)
            let refusals: [(String, BankGatewayError)] = [
                ("refuse", .refused(status: 409, code: "DUPLICATE_ID", message: "编号重复")),
                ("refuse-text", .refused(status: 400, code: "HTTP_400", message: "HTTP 400")),
                ("fail", .unavailable(status: 503)),
                ("text", .malformedAnswer),
            ]
            for (path, expected) in refusals {
                do throws(BankGatewayError) {
                    let _: Ping = try await bank.post(path, Ping(text: "x"))
                    Issue.record("\(path) is not an answer")
                } catch {
                    #expect(error == expected, "\(path)")
                    #expect(error.isTryLater == (path == "fail" || path == "text"), "\(path)")
                }
            }
        }
    }
}
