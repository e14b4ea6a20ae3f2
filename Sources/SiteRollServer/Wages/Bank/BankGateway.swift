import Foundation

/// The bank holding a project's dedicated wage account (专户, W7) and paying wages on the general
/// contractor's behalf (总包代发, E9, W12). One real HTTP implementation (`HTTPBankGateway`,
/// contract in docs/bank-gateway.md) and a simulator speaking the same contract on loopback.
/// Account and card numbers travel only in request bodies: never in a URL, a header or a log line.
public protocol BankGateway: Sendable {
    func balance(_ query: BankAccountQuery) async throws(BankGatewayError) -> BankAccountBalance
    func statement(_ query: BankStatementQuery) async throws(BankGatewayError) -> BankStatementPage
    /// Sends a pay-on-behalf batch. The same `instructionId` sent again answers the bank's stored
    /// result (`duplicate: true`) and never pays twice; the same id with other content is refused (409).
    func submitPayout(_ instruction: PayoutInstruction) async throws(BankGatewayError) -> PayoutAnswer
    /// The bank's current answer for an instruction it received (404 `INSTRUCTION_NOT_FOUND` if none).
    func queryPayout(_ query: PayoutQuery) async throws(BankGatewayError) -> PayoutAnswer
}

public struct BankAccountQuery: Codable, Sendable, Equatable {
    public var accountNumber: String

    public init(accountNumber: String) { self.accountNumber = accountNumber }
}

public struct BankAccountBalance: Codable, Sendable, Equatable {
    public var accountName: String
    public var accountMasked: String
    /// `active`, `frozen` or `closed`.
    public var status: String
    public var balanceFen: Int64
    public var availableFen: Int64
    public var currency: String
    /// ISO 8601 instant of the figure.
    public var asOf: String
    /// The bank as it names itself.
    public var bank: String
    public var simulated: Bool
}

public struct BankStatementQuery: Codable, Sendable, Equatable {
    public var accountNumber: String
    /// Value dates, `yyyy-MM-dd`, both inclusive.
    public var from: String
    public var to: String
    public var pageToken: String?
    /// At most 500.
    public var pageSize: Int?

    public init(accountNumber: String, from: String, to: String, pageToken: String? = nil, pageSize: Int? = nil) {
        self.accountNumber = accountNumber
        self.from = from
        self.to = to
        self.pageToken = pageToken
        self.pageSize = pageSize
    }
}

public struct BankStatementPage: Codable, Sendable, Equatable {
    public var accountMasked: String
    public var transactions: [BankTransaction]
    public var nextPageToken: String?
    public var simulated: Bool
}

/// One movement on an account. `transactionId` is stable: the same movement always has the same id.
public struct BankTransaction: Codable, Sendable, Equatable {
    public var transactionId: String
    /// `in` or `out`.
    public var direction: String
    public var amountFen: Int64
    public var balanceAfterFen: Int64
    /// The booking date, `yyyy-MM-dd` (Asia/Shanghai).
    public var valueDate: String
    /// ISO 8601 instant.
    public var occurredAt: String
    public var counterpartyName: String?
    public var counterpartyMasked: String?
    public var memo: String?
    /// `LABOUR_COST` (人工费拨付), `PAYROLL` (代发工资), `REFUND` (退汇) or `OTHER`.
    public var purpose: String
    /// The pay-on-behalf instruction and line a movement belongs to.
    public var instructionId: String?
    public var lineRef: String?
}

public struct PayoutInstruction: Codable, Sendable, Equatable {
    /// The idempotency key: at most 64 characters of `A-Z a-z 0-9 - _`.
    public var instructionId: String
    public var payerAccountNumber: String
    public var payerAccountName: String
    public var currency: String
    public var memo: String
    public var lines: [PayoutLine]

    public init(
        instructionId: String, payerAccountNumber: String, payerAccountName: String, currency: String = "CNY",
        memo: String, lines: [PayoutLine]
    ) {
        self.instructionId = instructionId
        self.payerAccountNumber = payerAccountNumber
        self.payerAccountName = payerAccountName
        self.currency = currency
        self.memo = memo
        self.lines = lines
    }
}

public struct PayoutLine: Codable, Sendable, Equatable {
    /// Unique within the instruction; the answer's lines carry it back.
    public var lineRef: String
    public var payeeName: String
    public var payeeCardNumber: String
    /// Code table c.20.
    public var payeeBankCode: String
    public var amountFen: Int64

    public init(lineRef: String, payeeName: String, payeeCardNumber: String, payeeBankCode: String, amountFen: Int64) {
        self.lineRef = lineRef
        self.payeeName = payeeName
        self.payeeCardNumber = payeeCardNumber
        self.payeeBankCode = payeeBankCode
        self.amountFen = amountFen
    }
}

public struct PayoutQuery: Codable, Sendable, Equatable {
    public var instructionId: String

    public init(instructionId: String) { self.instructionId = instructionId }
}

public struct PayoutAnswer: Codable, Sendable, Equatable {
    public var instructionId: String
    /// The bank's own batch number.
    public var batchId: String
    /// `completed` (every line final) or `processing` (ask again with the query).
    public var status: String
    /// ISO 8601 instant the bank first received the instruction.
    public var receivedAt: String
    public var totalFen: Int64
    public var paidFen: Int64
    public var lines: [PayoutLineResult]
    /// True when this answer is the stored result of an instruction received before.
    public var duplicate: Bool
    public var simulated: Bool
}

public struct PayoutLineResult: Codable, Sendable, Equatable {
    public var lineRef: String
    /// `paid`, `failed` or `pending`.
    public var status: String
    public var amountFen: Int64
    public var reasonCode: String?
    /// The bank's reason in Chinese.
    public var reason: String?
    public var bankReference: String?
    /// `yyyy-MM-dd`.
    public var settledOn: String?
}

/// The reasons a line fails that SiteRoll knows; a bank may send others with its own text.
public enum PayoutFailure: String, Sendable, CaseIterable {
    case wrongCard = "WRONG_CARD"
    case accountClosed = "ACCOUNT_CLOSED"
    case nameMismatch = "NAME_MISMATCH"
    case insufficientFunds = "INSUFFICIENT_FUNDS"

    public var chinese: String {
        switch self {
        case .wrongCard: "卡号有误"
        case .accountClosed: "收款账户已销户"
        case .nameMismatch: "户名不符"
        case .insufficientFunds: "专户余额不足"
        }
    }
}

/// Why the bank gave no usable answer.
public enum BankGatewayError: Error, Sendable, Equatable {
    /// No bank URL configured (and no simulator running).
    case notConfigured
    case timeout
    /// No connection, or a 5xx.
    case unavailable(status: Int)
    /// A 2xx that is not the contract's JSON.
    case malformedAnswer
    /// A 4xx with the bank's stable code and message.
    case refused(status: Int, code: String, message: String)

    /// The bank may or may not have acted: keep everything and try again later with the same ids.
    public var isTryLater: Bool {
        switch self {
        case .timeout, .unavailable, .malformedAnswer, .notConfigured: true
        case .refused: false
        }
    }

    public var code: String {
        switch self {
        case .notConfigured: "BANK_NOT_CONFIGURED"
        case .timeout: "BANK_TIMEOUT"
        case .unavailable: "BANK_UNAVAILABLE"
        case .malformedAnswer: "BANK_MALFORMED_ANSWER"
        case .refused(_, let code, _): code
        }
    }

    public var chineseMessage: String {
        switch self {
        case .notConfigured: "平台尚未配置专户银行接口地址（bank.url），请联系平台运维"
        case .timeout: "银行接口响应超时，请稍后重试"
        case .unavailable: "银行接口暂时无法访问，请稍后重试"
        case .malformedAnswer: "银行接口的应答无法识别，请稍后重试"
        case .refused(_, _, let message): "银行拒绝了本次请求：\(message)"
        }
    }
}
