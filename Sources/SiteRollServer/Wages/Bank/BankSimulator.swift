import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A simulator of the dedicated-account bank speaking exactly the HTTP contract of
/// docs/bank-gateway.md, with its books in a `BankSimulatorLedger`. Every answer says
/// `"simulated": true` and carries `X-Simulator: SiteRoll`, and every log line names it a
/// simulator, so nothing downstream can mistake a simulated payment for a real one.
/// Besides the contract it mounts `/sim/…`: what a builder or a bank clerk would do at a real bank.
public struct BankSimulator: Sendable {
    let ledger: BankSimulatorLedger
    /// When set, every call must carry `Authorization: Bearer <key>`.
    let apiKey: String?

    /// `stateFile`: where the books are kept (nil: in memory only).
    public init(stateFile: String?, apiKey: String? = nil) throws {
        ledger = try BankSimulatorLedger(file: stateFile)
        self.apiKey = apiKey
    }

    struct Failure: Encodable {
        var code: String
        var message: String
        var simulated = true
    }

    struct Done: Encodable {
        var status = "ok"
        var simulated = true
    }

    /// Mounts the contract (`/v1/…`), the simulator's own endpoints (`/sim/…`) and `GET /health`.
    public func addRoutes(to router: Router<BasicRequestContext>, logger: Logger) {
        route(router, "v1/accounts/balance", logger) { (query: BankAccountQuery) in try await ledger.balance(query) }
        route(router, "v1/accounts/statement", logger) { (query: BankStatementQuery) in
            try await ledger.statement(query)
        }
        router.post("v1/payouts") { request, _ -> Response in
            try await handle(request, logger) { (instruction: PayoutInstruction) -> Response in
                let fault = await ledger.takeFault()
                if fault?.kind == "unavailable" {
                    logger.notice("bank SIMULATOR plays a fault: unavailable, nothing paid")
                    return Self.json(.serviceUnavailable, Failure(code: "SIMULATED_UNAVAILABLE", message: "模拟器：银行暂不可用"))
                }
                let answer = try await ledger.payout(instruction)
                logger.info(
                    "bank SIMULATOR pay-on-behalf (simulated, no real money moved)",
                    metadata: [
                        "instructionId": "\(instruction.instructionId)", "lines": "\(answer.lines.count)",
                        "paid": "\(answer.lines.filter { $0.status == "paid" }.count)",
                        "duplicate": "\(answer.duplicate)",
                    ])
                if fault?.kind == "lose-answer" {
                    logger.notice("bank SIMULATOR plays a fault: the answer is lost after paying")
                    if let delay = fault?.delayMilliseconds, delay > 0 {
                        try await Task.sleep(for: .milliseconds(delay))
                        return Self.json(.ok, answer)
                    }
                    return Self.json(.gatewayTimeout, Failure(code: "SIMULATED_LOST_ANSWER", message: "模拟器：应答在途中丢失"))
                }
                return Self.json(.ok, answer)
            }
        }
        route(router, "v1/payouts/query", logger) { (query: PayoutQuery) in try await ledger.query(query) }
        route(router, "sim/accounts", logger) { (request: SimulatedAccount) in
            let account = try await ledger.open(request)
            logger.info("bank SIMULATOR account open", metadata: ["account": "\(account.masked)"])
            return Done()
        }
        route(router, "sim/labour-cost", logger) { (transfer: SimulatedLabourCost) in
            let transaction = try await ledger.labourCost(transfer)
            logger.info(
                "bank SIMULATOR labour-cost transfer in (simulated)",
                metadata: ["amountFen": "\(transfer.amountFen)", "transactionId": "\(transaction.transactionId)"])
            return transaction
        }
        route(router, "sim/cards", logger) { (card: SimulatedCard) in
            try await ledger.registerCard(
                number: card.cardNumber, holderName: card.holderName, closed: card.closed ?? false)
            return Done()
        }
        route(router, "sim/clock", logger) { (clock: SimulatedClock) in
            try await ledger.setClock(clock.today)
            logger.notice("bank SIMULATOR business date set", metadata: ["today": "\(clock.today ?? "real")"])
            return Done()
        }
        route(router, "sim/faults", logger) { (fault: BankSimulatorLedger.Fault) in
            guard ["unavailable", "lose-answer"].contains(fault.kind) else {
                throw BankSimulatorLedger.Refusal(
                    status: 400, code: "INVALID_REQUEST", message: "kind 应为 unavailable 或 lose-answer")
            }
            await ledger.addFault(fault)
            return Done()
        }
        router.get("health") { _, _ in Self.json(.ok, Done()) }
    }

    /// A POST whose JSON body decodes to `Body` and whose answer encodes as JSON.
    private func route<Body: Decodable & Sendable, Answer: Encodable>(
        _ router: Router<BasicRequestContext>, _ path: RouterPath, _ logger: Logger,
        _ body: @escaping @Sendable (Body) async throws -> Answer
    ) {
        router.post(path) { request, _ -> Response in
            try await handle(request, logger) { (decoded: Body) in Self.json(.ok, try await body(decoded)) }
        }
    }

    private func handle<Body: Decodable>(
        _ request: Request, _ logger: Logger, _ work: (Body) async throws -> Response
    ) async throws -> Response {
        var request = request
        let requestID = request.headers[.xRequestID] ?? ""
        var response: Response
        if let apiKey, request.headers[.authorization] != "Bearer \(apiKey)" {
            response = Self.json(.unauthorized, Failure(code: "UNAUTHORIZED", message: "缺少或错误的接口密钥"))
        } else if let body = try? await request.collectBody(upTo: 8 << 20),
            let decoded = try? JSONDecoder().decode(Body.self, from: Data(buffer: body))
        {
            do {
                response = try await work(decoded)
            } catch let refusal as BankSimulatorLedger.Refusal {
                logger.info(
                    "bank SIMULATOR refused a request",
                    metadata: ["code": "\(refusal.code)", "path": "\(request.uri.path)"])
                response = Self.json(
                    HTTPResponse.Status(code: refusal.status), Failure(code: refusal.code, message: refusal.message))
            }
        } else {
            response = Self.json(.badRequest, Failure(code: "INVALID_REQUEST", message: "请求体不是约定格式的 JSON"))
        }
        if !requestID.isEmpty { response.headers[.xRequestID] = String(requestID.prefix(64)) }
        return response
    }

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .xSimulator: "SiteRoll"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct SimulatedCard: Codable, Sendable {
    var cardNumber: String
    var holderName: String?
    var closed: Bool?
}

extension BankSimulator {
    /// Where the in-process simulator keeps its books: `<data dir>/bank-simulator.json`, so that a
    /// restarted demo still agrees with what SiteRoll stored.
    static func stateFile(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("bank-simulator.json").path
    }

    /// This simulator served over HTTP: on an ephemeral loopback port inside `siteroll serve --demo`
    /// and the tests when no `bank.url` is configured, so that pay-on-behalf takes the same HTTP path
    /// as production; on the given port under `siteroll simulate bank`.
    package func loopback(host: String = "127.0.0.1", port: Int = 0, logger: Logger) -> LoopbackSimulator {
        LoopbackSimulator(
            serverName: "SiteRoll-Bank-Simulator",
            announcement: "bank SIMULATOR listening (pay-on-behalf and statements are simulated)", host: host,
            port: port, logger: logger
        ) { addRoutes(to: $0, logger: logger) }
    }
}
