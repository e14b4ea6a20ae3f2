import AsyncHTTPClient
import Foundation
import NIOCore

/// The bank over HTTP (docs/bank-gateway.md): JSON bodies, a bearer key, `X-Request-Id` on every
/// call. Timeouts, refused connections and 5xx are "try later": the caller keeps its state and
/// retries with the same instruction id. A 4xx carries the bank's stable code.
public struct HTTPBankGateway: BankGateway {
    let http: JSONHTTPClient

    /// `baseURL` is resolved per call, so that a simulator bound to an ephemeral port is found once it runs.
    public init(
        baseURL: @escaping @Sendable () async -> String?, apiKey: String?, timeout: TimeAmount = .seconds(15),
        client: HTTPClient = .shared
    ) {
        // Statements may be long: answers are read up to 16 MB.
        http = JSONHTTPClient(
            baseURL: baseURL, apiKey: apiKey, timeout: timeout, maxAnswerBytes: 16 << 20, sendsAccept: true,
            client: client)
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

    /// POSTs `body` as JSON to `{base}/{path}` (a new `X-Request-Id` each call) and decodes the 200 answer.
    func post<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body) async throws(BankGatewayError)
        -> Answer
    {
        do throws(JSONHTTPClient.Failure) {
            return try await http.post(path, body)
        } catch {
            switch error {
            case .notConfigured: throw .notConfigured
            case .timeout: throw .timeout
            case .unavailable(let status): throw .unavailable(status: status)
            case .malformedAnswer: throw .malformedAnswer
            case .refused(let status, let data):
                // A 4xx carries the bank's stable code and message; without them, the status stands in.
                let said = JSONHTTPClient.ErrorBody.decode(data)
                throw .refused(
                    status: status, code: said?.code ?? "HTTP_\(status)", message: said?.message ?? "HTTP \(status)")
            }
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
