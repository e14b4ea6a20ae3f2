import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The dedicated account as the bank reports it: balance, statement lines synced into
/// `wage_account_transactions` (labour-cost transfers in from the builder, W6/W10; pay-on-behalf
/// debits, W12), and the simulator's own controls when the bank is the simulator.
extension PayoutService {
    struct SyncOutcome: Sendable {
        var fetched: Int
        var added: Int
        var simulated: Bool

        var message: String {
            (added == 0 ? "专户流水已是最新（银行返回 \(fetched) 笔，均已记录）" : "已同步专户银行流水 \(added) 笔")
                + (simulated ? "（来自银行模拟器）" : "")
        }
    }

    /// Days of statement read again before the newest line already held: a movement the bank
    /// books late with an earlier value date is still picked up; known ids are skipped.
    static let statementOverlapDays = 31

    func account(of projectID: UUID) async throws -> WageAccountModel? {
        try await WageAccountModel.query(on: database.database()).filter(\.$projectID == projectID).first()
    }

    /// Syncs the statement; the general contractor's staff only (regulators read what is synced).
    func syncStatement(project projectID: UUID, scope: AccessScope, by account: AccountSnapshot) async throws
        -> SyncOutcome
    {
        let project = try await contractorProject(projectID, in: scope)
        guard let wageAccount = try await self.account(of: projectID) else { throw Self.noAccount }
        return try await syncStatement(project, account: wageAccount, as: Payer(account))
    }

    /// Reads the statement from the newest line held (less the overlap) to today and records the
    /// movements not yet held, idempotently by the bank's transaction id.
    func syncStatement(_ project: ProjectModel, account: WageAccountModel, as payer: Payer) async throws
        -> SyncOutcome
    {
        let db = database.database()
        let number = try cipher.open(account.numberCipher)
        let newest = try await WageAccountTransactionModel.query(on: db).filter(\.$wageAccountID == account.uuid)
            .sort(\.$occurredOn, .descending).first()
        let opened = LocalDate(account.openedOn) ?? ProjectService.today()
        let from = max(
            newest.flatMap { LocalDate($0.occurredOn) }?.adding(days: -Self.statementOverlapDays) ?? opened, opened)
        let to = max(ProjectService.today(), from)
        var movements: [BankTransaction] = []
        var token: String?
        var simulated = false
        var pages = 0
        repeat {
            let page: BankStatementPage
            do {
                page = try await gateway.statement(
                    BankStatementQuery(
                        accountNumber: number, from: from.description, to: to.description, pageToken: token,
                        pageSize: 500))
            } catch let error {
                throw Self.appError(error)
            }
            movements += page.transactions
            simulated = page.simulated
            token = page.nextPageToken
            pages += 1
        } while token != nil && pages < 200
        let fetched = movements
        let fromSimulator = simulated
        let added = try await db.inTransaction { tx -> Int in
            try await PayoutQueries(tx).lockWageAccount(account.uuid)
            let ids = Array(Set(fetched.map(\.transactionId)))
            let known =
                ids.isEmpty
                ? []
                : Set(
                    try await WageAccountTransactionModel.query(on: tx).filter(\.$wageAccountID == account.uuid)
                        .filter(\.$bankTransactionID ~~ ids).all(\.$bankTransactionID))
            var seen = known
            let fresh = fetched.filter { seen.insert($0.transactionId).inserted }
            guard !fresh.isEmpty else { return 0 }
            let instructions = Array(Set(fresh.compactMap(\.instructionId)))
            let batches = Dictionary(
                uniqueKeysWithValues: try await WagePaymentBatchModel.query(on: tx)
                    .filter(\.$instructionID ~~ instructions).filter(\.$projectID == project.uuid).all()
                    .map { ($0.instructionID, $0.uuid) })
            let now = ServerClock.now()
            for movement in fresh {
                let model = WageAccountTransactionModel()
                model.id = UUID()
                model.wageAccountID = account.uuid
                model.projectID = project.uuid
                model.bankTransactionID = movement.transactionId
                model.direction = movement.direction == "out" ? "out" : "in"
                model.kind = Self.kind(of: movement)
                model.amountFen = movement.amountFen
                model.balanceAfterFen = movement.balanceAfterFen
                model.counterpartyName = movement.counterpartyName
                model.counterpartyMasked = movement.counterpartyMasked
                model.occurredOn = LocalDate(movement.valueDate)?.description ?? to.description
                model.occurredAt = (try? Date(movement.occurredAt, strategy: .iso8601)) ?? now
                model.batchID = movement.instructionId.flatMap { batches[$0] }
                model.lineID = model.batchID == nil ? nil : movement.lineRef.flatMap(UUID.init(uuidString:))
                model.memo = movement.memo.map { String($0.prefix(200)) }
                model.simulated = fromSimulator
                model.syncedAt = now
                try await model.create(on: tx)
            }
            let income = fresh.filter { $0.direction != "out" }.map(\.amountFen).moneySum
            let spent = fresh.filter { $0.direction == "out" }.map(\.amountFen).moneySum
            try await audit.append(
                on: tx, actor: payer.audit,
                draft: AuditDraft(
                    action: "wage-account.synced", entityType: "wage_account", entityID: account.uuid.uuidString,
                    divisionCode: project.divisionCode, enterpriseID: payer.enterpriseID,
                    summary:
                        "\(project.name)：同步专户 \(account.numberMasked) 银行流水 \(fresh.count) 笔（收入 \(Money.yuan(income)) 元，支出 \(Money.yuan(spent)) 元）\(fromSimulator ? "，来自银行模拟器" : "")",
                    change: ["added": String(fresh.count), "from": from.description, "to": to.description]))
            return fresh.count
        }
        logger.info(
            "\(simulated ? "bank SIMULATOR" : "bank") statement synced",
            metadata: ["project": "\(project.uuid)", "fetched": "\(fetched.count)", "added": "\(added)"])
        return SyncOutcome(fetched: fetched.count, added: added, simulated: simulated)
    }

    /// `labour_cost` for the builder's transfers in, `wage` for pay-on-behalf debits, `refund` for
    /// money a failed payment brought back.
    static func kind(of movement: BankTransaction) -> String {
        switch (movement.direction, movement.purpose) {
        case ("out", "PAYROLL"): "wage"
        case ("in", "LABOUR_COST"): "labour_cost"
        case ("in", "REFUND"): "refund"
        case ("in", _) where movement.instructionId != nil: "refund"
        case ("out", _) where movement.instructionId != nil: "wage"
        default: "other"
        }
    }

    /// The balance as the bank reports it now, or why it could not be read.
    func balance(of account: WageAccountModel) async -> Result<BankAccountBalance, BankGatewayError> {
        guard let number = try? cipher.open(account.numberCipher) else { return .failure(.malformedAnswer) }
        do {
            return .success(try await gateway.balance(BankAccountQuery(accountNumber: number)))
        } catch {
            return .failure(error)
        }
    }

    func transactions(of projectID: UUID, limit: Int = 500) async throws -> [WageAccountTransactionModel] {
        try await WageAccountTransactionModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$occurredOn, .descending).sort(\.$occurredAt, .descending).sort(\.$bankTransactionID, .descending)
            .limit(limit).all()
    }

    static let noAccount = AppError(
        .conflict, code: "NO_WAGE_ACCOUNT", message: "项目尚未登记农民工工资专用账户，请先在“工资专户”中登记（《保障农民工工资支付条例》第二十六条）")

    static func appError(_ error: BankGatewayError) -> AppError {
        AppError(
            error.isTryLater ? .serviceUnavailable : .unprocessableContent, code: error.code,
            message: error.chineseMessage)
    }

    // MARK: Simulator controls

    /// The `/sim/…` controls, only when the bank is the simulator SiteRoll runs itself.
    private func simulatorOnly() throws -> HTTPBankGateway {
        guard let simulator else {
            throw AppError(.conflict, code: "NOT_A_SIMULATOR", message: "当前连接的是真实银行接口，模拟器功能不可用")
        }
        return simulator
    }

    /// Opens the project's dedicated account at the simulator (a bank clerk's work at a real bank).
    func openInSimulator(project projectID: UUID, scope: AccessScope, by account: AccountSnapshot) async throws {
        let project = try await contractorProject(projectID, in: scope)
        guard let wageAccount = try await self.account(of: projectID) else { throw Self.noAccount }
        try await openInSimulator(project, account: wageAccount, as: Payer(account))
    }

    func openInSimulator(_ project: ProjectModel, account: WageAccountModel, as payer: Payer) async throws {
        let simulator = try simulatorOnly()
        let number = try cipher.open(account.numberCipher)
        do {
            try await simulator.simulatorOpenAccount(
                number: number, name: account.accountName, bankCode: account.bankCode,
                openedOn: account.openedOn)
        } catch let error {
            throw Self.appError(error)
        }
        try await audit.write(on: database.database(), actor: payer.audit) { _ in
            (
                (),
                AuditDraft(
                    action: "bank-simulator.account-opened", entityType: "wage_account",
                    entityID: account.uuid.uuidString, divisionCode: project.divisionCode,
                    enterpriseID: payer.enterpriseID,
                    summary: "\(project.name)：在银行模拟器中开立专户 \(account.numberMasked)（模拟，非真实开户）",
                    change: ["account": account.numberHMAC])
            )
        }
    }

    /// A labour-cost transfer in from the builder at the simulator (建设单位拨付人工费), then a sync.
    func simulateLabourCost(
        amount: String, payerName: String, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot
    ) async throws -> SyncOutcome {
        let project = try await contractorProject(projectID, in: scope)
        guard let wageAccount = try await self.account(of: projectID) else { throw Self.noAccount }
        guard
            let fen = Money.fen(fromYuan: amount, limit: 100_000_000_000), fen > 0
        else {
            throw AppError(.unprocessableContent, code: "AMOUNT_INVALID", message: "拨付金额应为大于 0 的金额（元），最多两位小数")
        }
        let payer = payerName.trimmingCharacters(in: .whitespaces)
        try await simulateLabourCost(
            project, account: wageAccount, amountFen: fen, on: nil,
            payerName: payer.isEmpty ? (project.builderName ?? "建设单位") : String(payer.prefix(100)),
            as: Payer(account))
        return try await syncStatement(project, account: wageAccount, as: Payer(account))
    }

    /// The same without a scope (the demo's transfers); `date` nil is the simulator's today.
    func simulateLabourCost(
        _ project: ProjectModel, account: WageAccountModel, amountFen: Int64, on date: LocalDate?, payerName: String,
        as payer: Payer
    ) async throws {
        let simulator = try simulatorOnly()
        let number = try cipher.open(account.numberCipher)
        do {
            _ = try await simulator.simulatorLabourCost(
                SimulatedLabourCost(
                    accountNumber: number, amountFen: amountFen, payerName: payerName,
                    payerAccountNumber: nil, memo: "人工费拨付", valueDate: date?.description))
        } catch let error {
            throw Self.appError(error)
        }
        try await audit.write(on: database.database(), actor: payer.audit) { _ in
            (
                (),
                AuditDraft(
                    action: "bank-simulator.labour-cost", entityType: "wage_account", entityID: account.uuid.uuidString,
                    divisionCode: project.divisionCode, enterpriseID: payer.enterpriseID,
                    summary:
                        "\(project.name)：银行模拟器记入\(payerName)拨付人工费 \(Money.yuan(amountFen)) 元（模拟，非真实到账）",
                    change: ["amount": String(amountFen), "date": date?.description ?? ""])
            )
        }
    }

    /// Sets the simulator's business date (nil: today), so that the demo's months settle on their pay days.
    func setSimulatorDate(_ date: LocalDate?) async throws {
        do {
            try await simulatorOnly().simulatorClock(date?.description)
        } catch let error as BankGatewayError {
            throw Self.appError(error)
        }
    }
}
