import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The bank over HTTP (docs/bank-gateway.md): JSON bodies, a bearer key, `X-Request-Id` on every
/// call. Timeouts, refused connections and 5xx are "try later": the caller keeps its state and
/// retries with the same instruction id. A 4xx carries the bank's stable code.
public struct HTTPBankGateway: BankGateway {
    /// Resolved per call, so that a simulator bound to an ephemeral port is found once it runs.
    let baseURL: @Sendable () async -> String?
    let apiKey: String?
    let timeout: TimeAmount
    let client: HTTPClient

    public init(
        baseURL: @escaping @Sendable () async -> String?, apiKey: String?, timeout: TimeAmount = .seconds(15),
        client: HTTPClient = .shared
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.client = client
    }

    public func balance(_ query: BankAccountQuery) async throws(BankGatewayError) -> BankAccountBalance {
        try await post("v1/accounts/balance", query)
    }

    public func statement(_ query: BankStatementQuery) async throws(BankGatewayError) -> BankStatementPage {
        try await post("v1/accounts/statement", query)
    }

    public func submitPayout(_ instruction: PayoutInstruction) async throws(BankGatewayError) -> PayoutAnswer {
        let answer: PayoutAnswer = try await post("v1/payouts", instruction)
        guard answer.instructionId == instruction.instructionId else { throw .malformedAnswer }
        return answer
    }

    public func queryPayout(_ query: PayoutQuery) async throws(BankGatewayError) -> PayoutAnswer {
        let answer: PayoutAnswer = try await post("v1/payouts/query", query)
        guard answer.instructionId == query.instructionId else { throw .malformedAnswer }
        return answer
    }

    /// The bank's error body: a stable code and a Chinese message.
    struct ErrorBody: Decodable {
        var code: String
        var message: String
    }

    /// POSTs `body` as JSON to `{base}/{path}` and decodes the 200 answer.
    func post<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body) async throws(BankGatewayError)
        -> Answer
    {
        guard let base = await baseURL(), !base.isEmpty else { throw .notConfigured }
        var http = HTTPClientRequest(url: (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/" + path)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "X-Request-Id", value: "SR" + UUID().uuidString.replacingOccurrences(of: "-", with: ""))
        if let apiKey, !apiKey.isEmpty { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        do {
            http.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        } catch {
            throw .malformedAnswer
        }
        let response: HTTPClientResponse
        let data: ByteBuffer
        do {
            response = try await client.execute(http, timeout: timeout)
            data = try await response.body.collect(upTo: 16 << 20)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw .timeout
        } catch {
            throw .unavailable(status: 0)
        }
        switch response.status.code {
        case 200:
            guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(buffer: data)) else {
                throw .malformedAnswer
            }
            return answer
        case 500...599:
            throw .unavailable(status: Int(response.status.code))
        default:
            let error = try? JSONDecoder().decode(ErrorBody.self, from: Data(buffer: data))
            throw .refused(
                status: Int(response.status.code), code: error?.code ?? "HTTP_\(response.status.code)",
                message: error?.message ?? "HTTP \(response.status.code)")
        }
    }
}

/// The simulator-only endpoints (`/sim/…`, docs/bank-gateway.md): what a builder's transfer or a
/// bank clerk would do at a real bank. Only ever sent to a simulator.
extension HTTPBankGateway {
    struct SimulatorAnswer: Decodable {
        var simulated: Bool
    }

    /// Opens (or finds) an account at the simulator.
    func simulatorOpenAccount(number: String, name: String, bankCode: String, openedOn: String)
        async throws(BankGatewayError)
    {
        let _: SimulatorAnswer = try await post(
            "sim/accounts",
            SimulatedAccount(accountNumber: number, accountName: name, bankCode: bankCode, openedOn: openedOn))
    }

    /// A labour-cost transfer in from the builder (建设单位拨付人工费).
    func simulatorLabourCost(_ transfer: SimulatedLabourCost) async throws(BankGatewayError) -> BankTransaction {
        try await post("sim/labour-cost", transfer)
    }

    /// Sets the simulator's business date (nil: today in Asia/Shanghai), so that demo months settle on their pay days.
    func simulatorClock(_ date: String?) async throws(BankGatewayError) {
        let _: SimulatorAnswer = try await post("sim/clock", SimulatedClock(today: date))
    }
}

struct SimulatedAccount: Codable, Sendable {
    var accountNumber: String
    var accountName: String
    var bankCode: String
    var openedOn: String?
    var openingBalanceFen: Int64?
}

struct SimulatedLabourCost: Codable, Sendable {
    var accountNumber: String
    var amountFen: Int64
    var payerName: String
    var payerAccountNumber: String?
    var memo: String?
    /// `yyyy-MM-dd`; the simulator's today when absent.
    var valueDate: String?
}

struct SimulatedClock: Codable, Sendable {
    var today: String?
}
