import Foundation
import SiteRollCore
import SiteRollStore

/// The bank simulator's books: accounts, balances, the cards it knows (closed ones and holders'
/// names), every movement, and every pay-on-behalf batch by instruction id. Kept in a JSON file
/// when given one, so that a restarted demo still agrees with what SiteRoll stored. Account and
/// card numbers are kept only as SHA-256 digests with their masked form: the file never holds one.
actor BankSimulatorLedger {
    struct Account: Codable, Sendable {
        var masked: String
        var name: String
        var bankCode: String
        var openedOn: String
        var balanceFen: Int64
    }

    struct Card: Codable, Sendable {
        var masked: String
        /// The holder as this bank knows them: registered with `/sim/cards` or learnt from the first payment.
        var holderName: String?
        var closed: Bool
    }

    struct Movement: Codable, Sendable {
        var account: String
        var transaction: BankTransaction
    }

    struct Batch: Codable, Sendable {
        /// SHA-256 of the instruction as received: the same id with other content is refused.
        var digest: String
        var answer: PayoutAnswer
    }

    struct State: Codable, Sendable {
        var accounts: [String: Account] = [:]
        var cards: [String: Card] = [:]
        var movements: [Movement] = []
        var batches: [String: Batch] = [:]
        var sequence = 0
        /// The simulated business date (`/sim/clock`); nil: today in Asia/Shanghai.
        var clock: String?
    }

    /// A refusal with the contract's status, stable code and Chinese message.
    struct Refusal: Error, Sendable, Equatable {
        var status: Int
        var code: String
        var message: String
    }

    /// A fault to play on the next `POST /v1/payouts` (never persisted).
    struct Fault: Codable, Sendable, Equatable {
        /// `unavailable`: answer 503 and do nothing. `lose-answer`: pay, then answer 503 (or
        /// answer only after `delayMilliseconds`), as a gateway that lost the bank's answer would.
        var kind: String
        var count: Int?
        var delayMilliseconds: Int?
    }

    static let bankName = "模拟银行（SiteRoll 模拟器）"
    static let timeZone = ChineseFormat.timeZone

    var state: State
    private let file: URL?
    private var faults: [Fault] = []

    /// Loads the books from `file` when it exists; starts empty otherwise.
    init(file: String?) throws {
        let url = file.map { URL(fileURLWithPath: $0) }
        self.file = url
        if let url, FileManager.default.fileExists(atPath: url.path) {
            state = try JSONDecoder().decode(State.self, from: Data(contentsOf: url))
        } else {
            state = State()
        }
    }

    static func key(_ number: String) -> String { Digest.sha256Hex("bank-sim|" + number) }

    static func masked(_ number: String) -> String { WageAccountService.maskedAccount(number) }

    /// GB/T card numbers (ISO/IEC 7812): 12 to 19 digits with a valid Luhn check digit.
    static func passesLuhn(_ number: String) -> Bool {
        let digits = number.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == number.count, (12...19).contains(digits.count) else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            let value = index % 2 == 1 ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        return sum % 10 == 0
    }

    var today: LocalDate { state.clock.flatMap(LocalDate.init) ?? LocalDate.today(in: Self.timeZone) }

    func now() -> String {
        guard let clock = state.clock.flatMap(LocalDate.init) else { return Self.iso(ServerClock.now()) }
        // A simulated day: 10:00 Beijing time, one second per movement to keep the order readable.
        var components = DateComponents(
            timeZone: Self.timeZone, year: clock.year, month: clock.month, day: clock.day, hour: 10)
        components.second = state.sequence % 3600
        return Self.iso(Calendar(identifier: .gregorian).date(from: components) ?? ServerClock.now())
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    func next(_ prefix: String) -> String {
        state.sequence += 1
        let digits = String(state.sequence)
        return prefix + today.description.replacingOccurrences(of: "-", with: "")
            + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    func save() throws {
        guard let file else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(state).write(to: file, options: .atomic)
    }

    // MARK: Accounts

    func lookup(_ number: String) throws(Refusal) -> Account {
        guard let account = state.accounts[Self.key(number)] else {
            throw Refusal(status: 404, code: "ACCOUNT_NOT_FOUND", message: "账户不存在（模拟银行中没有该账号）")
        }
        return account
    }

    func balance(_ query: BankAccountQuery) throws(Refusal) -> BankAccountBalance {
        let account = try lookup(query.accountNumber)
        return BankAccountBalance(
            accountName: account.name, accountMasked: account.masked, status: "active", balanceFen: account.balanceFen,
            availableFen: account.balanceFen, currency: "CNY", asOf: now(), bank: Self.bankName, simulated: true)
    }

    func statement(_ query: BankStatementQuery) throws(Refusal) -> BankStatementPage {
        let account = try lookup(query.accountNumber)
        guard let from = LocalDate(query.from), let to = LocalDate(query.to), from <= to else {
            throw Refusal(status: 400, code: "INVALID_REQUEST", message: "起止日期应为 yyyy-MM-dd，且开始不晚于结束")
        }
        let key = Self.key(query.accountNumber)
        let size = min(max(query.pageSize ?? 200, 1), 500)
        let offset = query.pageToken.flatMap { Int($0) } ?? 0
        let all = state.movements.filter {
            $0.account == key && $0.transaction.valueDate >= from.description
                && $0.transaction.valueDate <= to.description
        }
        let page = all.dropFirst(offset).prefix(size).map(\.transaction)
        return BankStatementPage(
            accountMasked: account.masked, transactions: Array(page),
            nextPageToken: offset + size < all.count ? String(offset + size) : nil, simulated: true)
    }

    /// `/sim/accounts`: opens an account, or answers the one already open under that number.
    func open(_ request: SimulatedAccount) throws -> Account {
        let number = request.accountNumber.filter { !$0.isWhitespace }
        guard (8...32).contains(number.count), number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Refusal(status: 400, code: "INVALID_REQUEST", message: "账号应为 8 到 32 位数字")
        }
        if let existing = state.accounts[Self.key(number)] { return existing }
        let account = Account(
            masked: Self.masked(number), name: request.accountName, bankCode: request.bankCode,
            openedOn: request.openedOn ?? today.description, balanceFen: 0)
        state.accounts[Self.key(number)] = account
        if let opening = request.openingBalanceFen, opening > 0 {
            _ = try credit(
                number,
                SimulatedLabourCost(
                    accountNumber: number, amountFen: opening, payerName: "期初余额", memo: "开户存入", valueDate: nil),
                purpose: "OTHER")
        }
        try save()
        return state.accounts[Self.key(number)] ?? account
    }

    /// `/sim/labour-cost`: the builder's labour-cost transfer into the dedicated account (W6, W10).
    func labourCost(_ transfer: SimulatedLabourCost) throws -> BankTransaction {
        let transaction = try credit(transfer.accountNumber, transfer, purpose: "LABOUR_COST")
        try save()
        return transaction
    }

    private func credit(_ number: String, _ transfer: SimulatedLabourCost, purpose: String) throws -> BankTransaction {
        var account = try lookup(number)
        guard transfer.amountFen > 0 else {
            throw Refusal(status: 400, code: "INVALID_REQUEST", message: "金额应大于 0")
        }
        if let date = transfer.valueDate, LocalDate(date) == nil {
            throw Refusal(status: 400, code: "INVALID_REQUEST", message: "入账日期应为 yyyy-MM-dd")
        }
        account.balanceFen = Money.sum([account.balanceFen, transfer.amountFen])
        let transaction = BankTransaction(
            transactionId: next("SIMTX"), direction: "in", amountFen: transfer.amountFen,
            balanceAfterFen: account.balanceFen, valueDate: transfer.valueDate ?? today.description, occurredAt: now(),
            counterpartyName: transfer.payerName, counterpartyMasked: transfer.payerAccountNumber.map(Self.masked),
            memo: transfer.memo ?? (purpose == "LABOUR_COST" ? "人工费拨付" : nil), purpose: purpose, instructionId: nil,
            lineRef: nil)
        state.accounts[Self.key(number)] = account
        state.movements.append(Movement(account: Self.key(number), transaction: transaction))
        return transaction
    }

    /// `/sim/cards`: what the bank knows of a card (its holder, whether it is closed).
    func registerCard(number: String, holderName: String?, closed: Bool) throws {
        state.cards[Self.key(number)] = Card(masked: Self.masked(number), holderName: holderName, closed: closed)
        try save()
    }

    func setClock(_ date: String?) throws {
        if let date, LocalDate(date) == nil {
            throw Refusal(status: 400, code: "INVALID_REQUEST", message: "日期应为 yyyy-MM-dd")
        }
        state.clock = date
        try save()
    }

    func addFault(_ fault: Fault) { faults.append(fault) }

    /// The fault the next payout plays, counted down.
    func takeFault() -> Fault? {
        guard var fault = faults.first else { return nil }
        let remaining = (fault.count ?? 1) - 1
        if remaining <= 0 {
            faults.removeFirst()
        } else {
            fault.count = remaining
            faults[0] = fault
        }
        return fault
    }
}
