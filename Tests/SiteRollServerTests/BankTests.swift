import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 6 item 3: the bank simulator's rules, and pay-on-behalf through the project's dedicated
/// account (E9, 总包代发; G4 wage lists fed back through the bank; 条例 arts. 26, 31, W7, W12),
/// through the real router, a real database and the simulator over HTTP.
@Suite("Bank: dedicated account and pay-on-behalf")
struct BankTests {
    // MARK: Fixtures

    /// Completes `body` with its Luhn check digit: a card number the simulator accepts.
    static func card(_ body: String) -> String {
        for digit in 0...9 where BankSimulatorLedger.passesLuhn(body + String(digit)) { return body + String(digit) }
        return body
    }

    /// The same number with its check digit wrong: the simulator answers WRONG_CARD.
    static func wrongCard(_ body: String) -> String {
        let good = card(body)
        let last = good.last!.wholeNumberValue!
        return String(good.dropLast()) + String((last + 1) % 10)
    }

    static let accountName = "模拟专户"

    /// The demo's first project, its labour subcontractor and workers on site, looked up in the database.
    struct Site {
        let project: ProjectModel
        let unit: ProjectUnitModel
        let workers: [WorkerModel]
        let account: WageAccountModel

        static func load(_ db: any Database) async throws -> Site {
            let project = try #require(
                try await ProjectModel.query(on: db).filter(\.$name == ProjectTests.projectOne).first())
            let unit = try #require(
                try await ProjectUnitModel.query(on: db).filter(\.$projectID == project.id!)
                    .filter(\.$participationType == "006").first())
            let ids = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == project.id!)
                .filter(\.$unitID == unit.id!).sort(\.$entryDate).all(\.$workerID)
            // In the payroll's order (by name, as SiteRoll sends lines to the bank), whatever the database's collation.
            let workers = try await WorkerModel.query(on: db).filter(\.$id ~~ ids).all()
                .sorted { ($0.name, $0.id!.uuidString) < ($1.name, $1.id!.uuidString) }
            let account = try #require(
                try await WageAccountModel.query(on: db).filter(\.$projectID == project.id!).first())
            return Site(project: project, unit: unit, workers: workers, account: account)
        }

        var base: String { "/corp/projects/\(project.id!.uuidString)" }
    }

    static func addCard(
        _ worker: WorkerModel, number: String, holder: String? = nil, platform: TestPlatform
    ) async throws -> WorkerBankCardModel {
        let cipher = platform.services.cipher
        let card = WorkerBankCardModel()
        card.id = UUID()
        card.workerID = worker.id!
        card.bankCode = "102"
        card.bankName = "中国工商银行成都锦江支行"
        card.holderName = holder ?? worker.name
        card.numberCipher = try cipher.seal(number)
        card.numberHMAC = cipher.lookupHash(number)
        card.numberMasked = WageAccountService.maskedAccount(number)
        card.status = "active"
        card.createdAt = Date()
        try await card.create(on: platform.db)
        return card
    }

    /// A submitted payroll with one line per (worker, card, amount due), written directly: the
    /// payroll service is built in parallel and is not what this suite tests.
    static func payroll(
        _ site: Site, month: String, lines: [(WorkerModel, WorkerBankCardModel?, Int64)], status: String = "submitted",
        platform: TestPlatform
    ) async throws -> PayrollModel {
        let db = platform.db
        let payroll = PayrollModel()
        payroll.id = UUID()
        payroll.projectID = site.project.id!
        payroll.unitID = site.unit.id!
        payroll.payMonth = month
        payroll.scopeKey = PayrollModel.scopeKey(unit: site.unit.id!, team: nil, month: month)
        payroll.code = "PR\(site.project.code)\(month.replacingOccurrences(of: "-", with: ""))"
        payroll.status = status
        payroll.source = "generated"
        payroll.submittedAt = status == "draft" ? nil : Date()
        payroll.createdBy = UUID()
        payroll.createdAt = Date()
        payroll.updatedAt = Date()
        try await payroll.create(on: db)
        for (worker, card, due) in lines {
            let line = PayrollLineModel()
            line.id = UUID()
            line.payrollID = payroll.id!
            line.projectID = site.project.id!
            line.unitID = site.unit.id!
            line.workerID = worker.id!
            line.payMonth = month
            line.manDays = 21
            line.grossFen = due
            line.deductionFen = 0
            line.dueFen = due
            line.paidFen = 0
            line.isBackPay = false
            line.cardID = card?.id
            line.status = "unpaid"
            line.updatedAt = Date()
            try await line.create(on: db)
        }
        return payroll
    }

    /// A submitted payroll of one worker paid to a new card of theirs with the number `cardBody` completes.
    static func singleLinePayroll(
        _ site: Site, worker: WorkerModel, month: String, cardBody: String, dueFen: Int64, platform: TestPlatform
    ) async throws -> PayrollModel {
        let card = try await addCard(worker, number: Self.card(cardBody), platform: platform)
        return try await payroll(site, month: month, lines: [(worker, card, dueFen)], platform: platform)
    }

    /// Opens the project's account at the embedded simulator and funds it, through the account page's forms.
    static func fund(
        _ client: some TestClientProtocol, _ site: Site, yuan: String, as session: ConsoleSession
    ) async throws {
        let (opened, openPage) = try await ProjectTests.submit(
            client, "\(site.base)/wages/account/simulator/open", [:], as: session)
        #expect(opened == .ok, "\(openPage.prefix(300))")
        let (funded, page) = try await ProjectTests.submit(
            client, "\(site.base)/wages/account/simulator/labour-cost",
            ["amount": yuan, "payerName": "成都锦江城市建设投资有限公司"], as: session)
        #expect(funded == .ok)
        #expect(page.contains("银行模拟器已记入建设单位拨付的人工费"))
    }

    /// A platform whose first demo project has its account open at the simulator with `yuan` in
    /// it, and the general contractor's administrator signed in.
    static func onFundedSite(
        _ yuan: String, configure: (inout SiteRollConfiguration) -> Void = { _ in },
        _ test: @Sendable (any TestClientProtocol, TestPlatform, Site, ConsoleSession) async throws -> Void
    ) async throws {
        try await TestPlatform.run(configure: configure) { client, platform in
            let site = try await Site.load(platform.db)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            try await fund(client, site, yuan: yuan, as: corp)
            try await test(client, platform, site, corp)
        }
    }

    static func lines(of payroll: PayrollModel, _ db: any Database) async throws -> [UUID: PayrollLineModel] {
        Dictionary(
            uniqueKeysWithValues: try await PayrollLineModel.query(on: db).filter(\.$payrollID == payroll.id!).all()
                .map { ($0.workerID, $0) })
    }

    static func balance(_ site: Site, _ platform: TestPlatform) async throws -> Int64 {
        try await platform.services.payouts.balance(of: site.account).get().balanceFen
    }

    static func fault(_ kind: String, delay: Int? = nil, _ platform: TestPlatform) async throws {
        let simulator = try #require(platform.services.payouts.simulator)
        let _: HTTPBankGateway.SimulatorAnswer = try await simulator.post(
            "sim/faults", BankSimulatorLedger.Fault(kind: kind, count: 1, delayMilliseconds: delay))
    }

    static func shortBankTimeout(_ configuration: inout SiteRollConfiguration) {
        configuration.bankTimeout = 1
    }

    // MARK: Simulator rules (the ledger, without HTTP)

    @Test("the Luhn check that decides WRONG_CARD")
    func luhn() {
        #expect(BankSimulatorLedger.passesLuhn("4111111111111111"))
        #expect(!BankSimulatorLedger.passesLuhn("4111111111111112"))
        #expect(!BankSimulatorLedger.passesLuhn("41111111111"), "shorter than 12 digits")
        #expect(!BankSimulatorLedger.passesLuhn("4111 1111 1111 1111"), "digits only")
        #expect(BankSimulatorLedger.passesLuhn(Self.card("62220202000000")))
        #expect(!BankSimulatorLedger.passesLuhn(Self.wrongCard("62220202000000")))
    }

    @Test("simulator rules: wrong card, closed account, name mismatch, funds running out, idempotency")
    func simulatorRules() async throws {
        // setup
        let ledger = try BankSimulatorLedger(file: nil)
        let account = "6228480000000001"
        _ = try await ledger.open(
            SimulatedAccount(accountNumber: account, accountName: "甲公司乙项目农民工工资专用账户", bankCode: "103"))
        _ = try await ledger.labourCost(
            SimulatedLabourCost(accountNumber: account, amountFen: 1_000_000, payerName: "建设单位"))
        let good = Self.card("62220200000000001")
        let closed = Self.card("62220200000000002")
        let known = Self.card("62220200000000003")
        try await ledger.registerCard(number: closed, holderName: nil, closed: true)
        try await ledger.registerCard(number: known, holderName: "李四", closed: false)
        func line(_ ref: String, _ name: String, _ number: String, _ fen: Int64) -> PayoutLine {
            PayoutLine(lineRef: ref, payeeName: name, payeeCardNumber: number, payeeBankCode: "102", amountFen: fen)
        }
        let instruction = PayoutInstruction(
            instructionId: "T-01", payerAccountNumber: account, payerAccountName: "甲公司乙项目农民工工资专用账户", memo: "工资",
            lines: [
                line("a", "张三", good, 600_000), line("b", "王五", Self.wrongCard("62220200000000004"), 100),
                line("c", "赵六", closed, 100), line("d", "冒名", known, 100), line("e", "李四", known, 500_000),
                line("f", "张三", good, 100),
            ])
        // act
        let answer = try await ledger.payout(instruction)
        // check
        let reasons = Dictionary(uniqueKeysWithValues: answer.lines.map { ($0.lineRef, $0.reasonCode ?? $0.status) })
        #expect(
            reasons == [
                "a": "paid", "b": "WRONG_CARD", "c": "ACCOUNT_CLOSED", "d": "NAME_MISMATCH", "e": "INSUFFICIENT_FUNDS",
                "f": "INSUFFICIENT_FUNDS",
            ], "once the balance runs out, every later payable line fails for funds, even a small one")
        #expect(answer.lines.first { $0.lineRef == "b" }?.reason == "卡号有误")
        #expect(answer.paidFen == 600_000 && answer.totalFen == 1_100_400 && answer.simulated && !answer.duplicate)
        #expect(try await ledger.balance(BankAccountQuery(accountNumber: account)).balanceFen == 400_000)

        // The same instruction again: the stored answer, nothing paid twice.
        let again = try await ledger.payout(instruction)
        #expect(again.duplicate && again.lines == answer.lines && again.batchId == answer.batchId)
        #expect(try await ledger.balance(BankAccountQuery(accountNumber: account)).balanceFen == 400_000)
        // The same id with other content: refused, nothing done.
        var altered = instruction
        altered.lines[0].amountFen = 1
        await #expect(throws: BankSimulatorLedger.Refusal.self) { try await ledger.payout(altered) }
        do {
            _ = try await ledger.payout(altered)
        } catch {
            #expect(error.status == 409 && error.code == "INSTRUCTION_CONFLICT")
        }
        #expect(try await ledger.query(PayoutQuery(instructionId: "T-01")).lines == answer.lines)
        do {
            _ = try await ledger.query(PayoutQuery(instructionId: "T-99"))
            Issue.record("an unknown instruction must be refused")
        } catch {
            #expect(error.code == "INSTRUCTION_NOT_FOUND")
        }

        // The holder learnt from the first payment: another name on that card is refused.
        let learnt = try await ledger.payout(
            PayoutInstruction(
                instructionId: "T-02", payerAccountNumber: account, payerAccountName: "甲公司乙项目农民工工资专用账户",
                memo: "工资", lines: [line("g", "张叁", good, 100), line("h", "张三", good, 100)]))
        #expect(learnt.lines.map { $0.reasonCode ?? $0.status } == ["NAME_MISMATCH", "paid"])

        // The statement: the transfer in, then one debit per paid line, each with a stable id.
        let statement = try await ledger.statement(
            BankStatementQuery(accountNumber: account, from: "2000-01-01", to: "2999-12-31", pageSize: 2))
        #expect(statement.transactions.map(\.purpose) == ["LABOUR_COST", "PAYROLL"])
        #expect(statement.nextPageToken == "2")
        let rest = try await ledger.statement(
            BankStatementQuery(accountNumber: account, from: "2000-01-01", to: "2999-12-31", pageToken: "2"))
        #expect(rest.transactions.count == 1 && rest.nextPageToken == nil)
        #expect(rest.transactions[0].lineRef == "h" && rest.transactions[0].balanceAfterFen == 399_900)
        #expect(statement.transactions[1].counterpartyMasked == WageAccountService.maskedAccount(good))
    }

    @Test("simulator refuses a malformed or unknown instruction with a stable code")
    func simulatorRefusals() async throws {
        let ledger = try BankSimulatorLedger(file: nil)
        let account = "6228480000000009"
        _ = try await ledger.open(SimulatedAccount(accountNumber: account, accountName: "专户", bankCode: "103"))
        let line = PayoutLine(
            lineRef: "a", payeeName: "张三", payeeCardNumber: Self.card("62220200000000001"), payeeBankCode: "102",
            amountFen: 100)
        let cases: [(PayoutInstruction, String)] = [
            (
                PayoutInstruction(
                    instructionId: "含中文", payerAccountNumber: account, payerAccountName: "专户", memo: "", lines: [line]),
                "INVALID_REQUEST"
            ),
            (
                PayoutInstruction(
                    instructionId: "X-1", payerAccountNumber: account, payerAccountName: "专户", memo: "", lines: []),
                "INVALID_REQUEST"
            ),
            (
                PayoutInstruction(
                    instructionId: "X-2", payerAccountNumber: account, payerAccountName: "专户", memo: "",
                    lines: [line, line]), "INVALID_REQUEST"
            ),
            (
                PayoutInstruction(
                    instructionId: "X-3", payerAccountNumber: "6228480000000000", payerAccountName: "专户", memo: "",
                    lines: [line]), "ACCOUNT_NOT_FOUND"
            ),
            (
                PayoutInstruction(
                    instructionId: "X-4", payerAccountNumber: account, payerAccountName: "别的户名", memo: "", lines: [line]
                ), "PAYER_NAME_MISMATCH"
            ),
            (
                PayoutInstruction(
                    instructionId: "X-5", payerAccountNumber: account, payerAccountName: "专户", currency: "USD",
                    memo: "", lines: [line]), "UNSUPPORTED_CURRENCY"
            ),
        ]
        for (instruction, code) in cases {
            do {
                _ = try await ledger.payout(instruction)
                Issue.record("\(instruction.instructionId) should be refused with \(code)")
            } catch {
                #expect(error.code == code, "\(instruction.instructionId)")
            }
        }
        #expect(await ledger.state.batches.isEmpty, "a refused instruction leaves no batch behind")
    }

    @Test("simulator books survive a restart and hold no full account or card number")
    func simulatorPersists() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bank-sim-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let account = "6228480000000077"
        let card = Self.card("62220200000000077")
        do {
            let ledger = try BankSimulatorLedger(file: file.path)
            _ = try await ledger.open(SimulatedAccount(accountNumber: account, accountName: "专户", bankCode: "103"))
            _ = try await ledger.labourCost(
                SimulatedLabourCost(accountNumber: account, amountFen: 5_000, payerName: "建设单位"))
            _ = try await ledger.payout(
                PayoutInstruction(
                    instructionId: "P-01", payerAccountNumber: account, payerAccountName: "专户", memo: "工资",
                    lines: [
                        PayoutLine(
                            lineRef: "a", payeeName: "张三", payeeCardNumber: card, payeeBankCode: "102", amountFen: 2_000
                        )
                    ]))
        }
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains(account) && !text.contains(card))
        let restarted = try BankSimulatorLedger(file: file.path)
        #expect(try await restarted.balance(BankAccountQuery(accountNumber: account)).balanceFen == 3_000)
        #expect(try await restarted.query(PayoutQuery(instructionId: "P-01")).paidFen == 2_000)
    }

    @Test("instruction ids and the payroll status follow from the lines")
    func rules() {
        let payroll = UUID(uuidString: "3F2A9C10-0000-4000-8000-000000000000")!
        #expect(
            PayoutService.instructionID(code: "PR5101042026-10", attempt: 1, payroll: payroll)
                == "PR5101042026-10-01-3F2A9C")
        #expect(PayoutService.instructionID(code: "工资/10月", attempt: 12, payroll: payroll) == "10-12-3F2A9C")
        #expect(PayoutService.instructionID(code: "工资", attempt: 2, payroll: payroll) == "PR-02-3F2A9C")
        func line(_ due: Int64, _ paid: Int64, _ status: String) -> PayrollLineModel {
            let line = PayrollLineModel()
            line.dueFen = due
            line.paidFen = paid
            line.status = status
            return line
        }
        #expect(PayoutService.status(of: [line(100, 100, "paid"), line(0, 0, "unpaid")]) == "paid")
        #expect(PayoutService.status(of: [line(100, 100, "paid"), line(100, 0, "failed")]) == "partly_paid")
        #expect(PayoutService.status(of: [line(100, 0, "paying"), line(100, 0, "failed")]) == "paying")
        #expect(PayoutService.status(of: [line(100, 0, "failed"), line(100, 0, "unpaid")]) == "submitted")
    }

    // MARK: Round trip over HTTP

    @Test("E9/G4: pay a payroll; a wrong card fails and stays unpaid; the retry pays it; the statement syncs")
    func roundTrip() async throws {
        try await Self.onFundedSite("100000.00") { client, platform, site, corp in
            // setup
            let db = platform.db
            let (a, b, c) = (site.workers[0], site.workers[1], site.workers[2])
            let cardA = try await Self.addCard(a, number: Self.card("62220200000000101"), platform: platform)
            let cardB = try await Self.addCard(b, number: Self.wrongCard("62220200000000102"), platform: platform)
            let cardC = try await Self.addCard(c, number: Self.card("62220200000000103"), platform: platform)
            let payroll = try await Self.payroll(
                site, month: "2026-10", lines: [(a, cardA, 735_000), (b, cardB, 600_000), (c, cardC, 500_050)],
                platform: platform)
            let payments = "\(site.base)/payrolls/\(payroll.id!.uuidString)/payments"
            let (_, before) = try await client.page(payments, as: corp)
            #expect(before.contains("通过专户代发") && before.contains("共 18,350.50 元"))

            // act
            let (status, page) = try await ProjectTests.submit(client, payments, [:], as: corp)

            // check
            #expect(status == .ok)
            #expect(page.contains("成功 2 人，共 12,350.50 元") && page.contains("失败 1 人"))
            #expect(
                page.contains("卡号有误") && page.contains("错误代码：WRONG_CARD"), "the bank's code only in the support line")
            #expect(page.contains("模拟银行（SiteRoll 模拟器）"), "the simulator is named on the page")
            #expect(page.contains("重新代发失败项"))
            var lines = try await Self.lines(of: payroll, db)
            #expect(lines[a.id!]?.status == "paid" && lines[a.id!]?.paidFen == 735_000)
            #expect(lines[a.id!]?.paidOn == LocalDate.today(in: ChineseFormat.timeZone).description)
            #expect(lines[b.id!]?.status == "failed" && lines[b.id!]?.paidFen == 0)
            #expect(
                lines[b.id!]?.failureReason == "卡号有误",
                "the line keeps the reason people read; the code stays in the result")
            #expect(try await PayrollModel.find(payroll.id, on: db)?.status == "partly_paid")
            let first = try #require(
                try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payroll.id!).first())
            #expect(
                first.status == "completed" && first.simulated && first.paidFen == 1_235_050 && first.lineCount == 3)
            #expect(first.instructionID.hasPrefix(payroll.code + "-01-"))
            #expect(
                try await Self.balance(site, platform) == 10_000_000 - 1_235_050, "the account is debited what was paid"
            )
            let wages = try await WageAccountTransactionModel.query(on: db).filter(\.$projectID == site.project.id!)
                .filter(\.$kind == "wage").all()
            #expect(wages.count == 2 && Set(wages.compactMap(\.lineID)) == [lines[a.id!]!.id!, lines[c.id!]!.id!])
            #expect(wages.allSatisfy { $0.batchID == first.id && $0.simulated && $0.direction == "out" })
            #expect(wages.contains { $0.counterpartyMasked == cardA.numberMasked })

            // The worker's card is corrected; the retry sends only the failed line, as a new instruction.
            let fixed = Self.card("62220200000000102")
            cardB.numberCipher = try platform.services.cipher.seal(fixed)
            cardB.numberMasked = WageAccountService.maskedAccount(fixed)
            try await cardB.update(on: db)
            let (retried, retryPage) = try await ProjectTests.submit(client, payments, [:], as: corp)
            #expect(retried == .ok && retryPage.contains("成功 1 人，共 6,000.00 元"))
            lines = try await Self.lines(of: payroll, db)
            #expect(
                lines.values.allSatisfy { $0.status == "paid" && $0.paidFen == $0.dueFen && $0.failureReason == nil })
            #expect(try await PayrollModel.find(payroll.id, on: db)?.status == "paid")
            let batches = try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payroll.id!)
                .sort(\.$sentAt).all()
            #expect(batches.map(\.lineCount) == [3, 1] && batches[1].instructionID.hasPrefix(payroll.code + "-02-"))
            // Both outcomes of the worker's line are kept: failed in the first batch, paid in the second.
            let outcomes = try await WagePaymentResultModel.query(on: db).filter(\.$lineID == lines[b.id!]!.id!).all()
            #expect(Set(outcomes.map(\.status)) == ["failed", "paid"])
            #expect(try await Self.balance(site, platform) == 10_000_000 - 1_835_050)
            let (_, done) = try await client.page(payments, as: corp)
            #expect(done.contains("已全部发放") && !done.contains("id=\"pay-form\""))

            // The account page shows the bank's balance and the synced statement.
            let (_, account) = try await client.page("\(site.base)/wages/account", as: corp)
            #expect(account.contains("81,649.50") && account.contains("人工费拨付") && account.contains("代发工资"))
            #expect(account.contains("成都锦江城市建设投资有限公司") && account.contains(cardA.numberMasked))
            #expect(!account.contains(Self.card("62220200000000101")), "no full card number on a page")
            let actions = try await AuditEventModel.query(on: db).filter(
                \.$action ~~ ["wage-payment.sent", "wage-payment.settled"]
            ).count()
            #expect(actions == 4)
        }
    }

    @Test("W12: a lost answer leaves the batch unsent; resending the same instruction pays nothing twice")
    func lostAnswer() async throws {
        try await Self.onFundedSite("50000") { client, platform, site, corp in
            let db = platform.db
            let (a, b) = (site.workers[0], site.workers[1])
            let payroll = try await Self.payroll(
                site, month: "2026-09",
                lines: [
                    (a, try await Self.addCard(a, number: Self.card("62220200000000201"), platform: platform), 300_000),
                    (b, try await Self.addCard(b, number: Self.card("62220200000000202"), platform: platform), 200_000),
                ], platform: platform)
            let payments = "\(site.base)/payrolls/\(payroll.id!.uuidString)/payments"
            try await Self.fault("lose-answer", platform)

            // The bank pays, but its answer never arrives.
            let (status, page) = try await ProjectTests.submit(client, payments, [:], as: corp)
            #expect(status == .ok && page.contains("BANK_NO_ANSWER") && page.contains("重新发送（同一指令号）"))
            let batch = try #require(
                try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payroll.id!).first())
            #expect(batch.status == "unsent")
            #expect(
                try await Self.lines(of: payroll, db).values.allSatisfy { $0.status == "paying" && $0.paidFen == 0 })
            #expect(try await PayrollModel.find(payroll.id, on: db)?.status == "paying")
            #expect(try await Self.balance(site, platform) == 5_000_000 - 500_000, "the bank did pay")

            // A new batch is refused while this one has no answer: its lines are not sent twice.
            let (refused, refusal) = try await ProjectTests.submit(client, payments, [:], as: corp)
            #expect(refused == .conflict && refusal.contains("PAYMENT_IN_PROGRESS"))

            // act: resend the same instruction
            let (resent, answer) = try await ProjectTests.submit(
                client, "\(payments)/\(batch.id!.uuidString)/retry", [:], as: corp)

            // check
            #expect(resent == .ok && answer.contains("银行按原指令应答，未重复付款"))
            #expect(
                try await Self.lines(of: payroll, db).values.allSatisfy {
                    $0.status == "paid" && $0.paidFen == $0.dueFen
                })
            #expect(try await PayrollModel.find(payroll.id, on: db)?.status == "paid")
            #expect(try await WagePaymentBatchModel.find(batch.id, on: db)?.status == "completed")
            #expect(try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payroll.id!).count() == 1)
            #expect(try await Self.balance(site, platform) == 4_500_000, "debited once")
            let debits = try await WageAccountTransactionModel.query(on: db).filter(\.$projectID == site.project.id!)
                .filter(\.$kind == "wage").count()
            #expect(debits == 2)
            // Syncing again records nothing new: transactions are idempotent by the bank's id.
            let (_, synced) = try await ProjectTests.submit(client, "\(site.base)/wages/account/sync", [:], as: corp)
            #expect(synced.contains("专户流水已是最新"))
            #expect(
                try await WageAccountTransactionModel.query(on: db).filter(\.$projectID == site.project.id!).count()
                    == 3)
        }
    }

    @Test("E9, W12: an unanswered batch is followed up in the background, backing off, and paid once")
    func followUp() async throws {
        try await Self.onFundedSite("50000") { client, platform, site, corp in
            // setup: the bank pays, its answer is lost
            let db = platform.db
            let payouts = platform.services.payouts
            let worker = site.workers[0]
            let payroll = try await Self.singleLinePayroll(
                site, worker: worker, month: "2026-09", cardBody: "62220200000000211", dueFen: 300_000,
                platform: platform)
            let payments = "\(site.base)/payrolls/\(payroll.id!.uuidString)/payments"
            try await Self.fault("lose-answer", platform)
            _ = try await ProjectTests.submit(client, payments, [:], as: corp)
            let batch = try #require(
                try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payroll.id!).first())
            #expect(batch.status == "unsent" && batch.attempts == 0)
            let (_, waiting) = try await client.page(payments, as: corp)
            #expect(waiting.contains("下次自动重发约在"))

            // A batch just sent is the sending request's business: nothing is due yet.
            #expect(try await payouts.followUpDue(now: batch.sentAt.addingTimeInterval(10)) == 0)

            // act: the follow-up comes due, but the bank is still unreachable
            try await Self.fault("unavailable", platform)
            let later = batch.sentAt.addingTimeInterval(PayoutService.followUpGrace + 1)
            #expect(try await payouts.followUpDue(now: later) == 1)
            let tried = try #require(try await WagePaymentBatchModel.find(batch.id, on: db))
            #expect(tried.status == "unsent" && tried.attempts == 1)
            #expect(tried.nextAttemptAt == later.addingTimeInterval(PayoutService.followUpDelay(afterAttempt: 1)))
            // Not due again before its back-off.
            #expect(try await payouts.followUpDue(now: later.addingTimeInterval(60)) == 0)

            // act: the next attempt reaches the bank
            #expect(try await payouts.followUpDue(now: try #require(tried.nextAttemptAt)) == 1)

            // check: answered from the bank's record of the same instruction, paid once
            let settled = try #require(try await WagePaymentBatchModel.find(batch.id, on: db))
            #expect(settled.status == "completed" && settled.attempts == 2)
            #expect(
                try await Self.lines(of: payroll, db).values.allSatisfy { $0.status == "paid" && $0.paidFen == 300_000 }
            )
            #expect(try await Self.balance(site, platform) == 5_000_000 - 300_000, "debited once")
            #expect(try await payouts.followUpDue(now: later.addingTimeInterval(86_400)) == 0, "settled batches rest")
            let (_, page) = try await client.page(payments, as: corp)
            #expect(!page.contains("下次自动重发"))
            let events = try await AuditEventModel.query(on: db).filter(\.$entityID == batch.id!.uuidString)
                .filter(\.$actorID == "system").count()
            #expect(events >= 1, "the follow-up is audited as the system's work")
        }
    }

    @Test("a bank timeout is 'try later'; the resend settles it")
    func timeout() async throws {
        try await Self.onFundedSite("1000", configure: Self.shortBankTimeout) { client, platform, site, corp in
            let db = platform.db
            let worker = site.workers[0]
            let payroll = try await Self.singleLinePayroll(
                site, worker: worker, month: "2026-08", cardBody: "62220200000000301", dueFen: 80_000,
                platform: platform)
            let payments = "\(site.base)/payrolls/\(payroll.id!.uuidString)/payments"
            try await Self.fault("lose-answer", delay: 2_500, platform)
            let (_, page) = try await ProjectTests.submit(client, payments, [:], as: corp)
            #expect(page.contains("银行接口响应超时"))
            let batch = try #require(
                try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payroll.id!).first())
            #expect(batch.status == "unsent" && batch.message?.contains("超时") == true)
            try await Task.sleep(for: .seconds(2))
            _ = try await ProjectTests.submit(client, "\(payments)/\(batch.id!.uuidString)/retry", [:], as: corp)
            #expect(try await Self.lines(of: payroll, db).values.first?.paidFen == 80_000)
            #expect(try await Self.balance(site, platform) == 20_000)
        }
    }

    @Test("INSUFFICIENT_FUNDS for the remaining lines; a labour-cost transfer in, synced, lets the retry pay them")
    func insufficientFunds() async throws {
        try await Self.onFundedSite("10000") { client, platform, site, corp in
            let db = platform.db
            var lines: [(WorkerModel, WorkerBankCardModel?, Int64)] = []
            for (index, amount) in [Int64(600_000), 600_000, 300_000].enumerated() {
                let worker = site.workers[index]
                lines.append(
                    (
                        worker,
                        try await Self.addCard(
                            worker, number: Self.card("6222020200000040\(index)"), platform: platform), amount
                    ))
            }
            let payroll = try await Self.payroll(site, month: "2026-07", lines: lines, platform: platform)
            let payments = "\(site.base)/payrolls/\(payroll.id!.uuidString)/payments"
            let (_, page) = try await ProjectTests.submit(client, payments, [:], as: corp)
            #expect(page.contains("专户余额不足"))
            var byWorker = try await Self.lines(of: payroll, db)
            #expect(
                lines.map { byWorker[$0.0.id!]?.failureReason ?? "paid" } == [
                    "paid", "专户余额不足", "专户余额不足",
                ], "lines are paid in order; once the balance runs out the rest fail")
            #expect(try await Self.balance(site, platform) == 400_000)

            // The builder transfers labour cost in (at the bank: here the simulator's endpoint over HTTP).
            let simulator = try #require(platform.services.payouts.simulator)
            let transfer = try await simulator.simulatorLabourCost(
                SimulatedLabourCost(
                    accountNumber: try platform.services.cipher.open(site.account.numberCipher), amountFen: 1_000_000,
                    payerName: "成都锦江城市建设投资有限公司", memo: "10月人工费"))
            let (_, synced) = try await ProjectTests.submit(client, "\(site.base)/wages/account/sync", [:], as: corp)
            #expect(synced.contains("已同步专户银行流水 1 笔") && synced.contains("10月人工费"))
            let row = try #require(
                try await WageAccountTransactionModel.query(on: db).filter(
                    \.$bankTransactionID == transfer.transactionId
                )
                .first())
            #expect(row.kind == "labour_cost" && row.direction == "in" && row.balanceAfterFen == 1_400_000)

            let (_, retried) = try await ProjectTests.submit(client, payments, [:], as: corp)
            #expect(retried.contains("成功 2 人，共 9,000.00 元"))
            byWorker = try await Self.lines(of: payroll, db)
            #expect(byWorker.values.allSatisfy { $0.status == "paid" })
            #expect(try await Self.balance(site, platform) == 500_000)
        }
    }

    @Test("who may pay: the general contractor; regulators read; bad input is a Chinese refusal, never a 500")
    func reach() async throws {
        try await Self.onFundedSite("1000") { client, platform, site, corp in
            let db = platform.db
            let worker = site.workers[0]
            let card = try await Self.addCard(worker, number: Self.card("62220200000000501"), platform: platform)
            let draft = try await Self.payroll(
                site, month: "2026-06", lines: [(worker, card, 10_000)], status: "draft", platform: platform)
            let submitted = try await Self.payroll(
                site, month: "2026-05", lines: [(site.workers[1], nil, 10_000)], platform: platform)
            // Without a bank configured nothing is sent, and no batch is written.
            var unconfigured = platform.services.payouts
            unconfigured.isConfigured = false
            let payer = PayoutService.Payer(
                audit: .system, accountID: UUID(), enterpriseID: site.project.contractorEnterpriseID)
            await #expect(throws: AppError.self) { try await unconfigured.pay(draft, project: site.project, as: payer) }

            let (notSubmitted, page) = try await ProjectTests.submit(
                client, "\(site.base)/payrolls/\(draft.id!.uuidString)/payments", [:], as: corp)
            #expect(notSubmitted == .conflict && page.contains("PAYROLL_NOT_SUBMITTED") && page.contains("工资表尚未提交"))
            let (noCard, cardPage) = try await ProjectTests.submit(
                client, "\(site.base)/payrolls/\(submitted.id!.uuidString)/payments", [:], as: corp)
            #expect(noCard == .unprocessableContent && cardPage.contains("NO_PAYABLE_CARD"))
            let (badAmount, amountPage) = try await ProjectTests.submit(
                client, "\(site.base)/wages/account/simulator/labour-cost", ["amount": "十万"], as: corp)
            #expect(badAmount == .unprocessableContent && amountPage.contains("AMOUNT_INVALID"))

            // The labour subcontractor's staff reach the project but may not pay from the contractor's account.
            let unit = try await client.consoleLogin("corp", "jc_admin")
            let (forbidden, forbiddenPage) = try await ProjectTests.submit(
                client, "\(site.base)/payrolls/\(submitted.id!.uuidString)/payments", [:], as: unit)
            #expect(forbidden == .forbidden && forbiddenPage.contains("CONTRACTOR_ONLY"))

            // Regulators of the division read the account and the batches, without the buttons.
            let gov = try await client.consoleLogin("gov", "jj_inspector")
            let root = "/gov/projects/\(site.project.id!.uuidString)"
            let (accountStatus, account) = try await client.page("\(root)/wages/account", as: gov)
            #expect(accountStatus == .ok && account.contains("1,000.00") && account.contains("模拟银行"))
            #expect(!account.contains("sync-form") && !account.contains("simulator-panel"))
            let (paymentsStatus, payments) = try await client.page(
                "\(root)/payrolls/\(submitted.id!.uuidString)/payments", as: gov)
            #expect(paymentsStatus == .ok && !payments.contains("pay-form"))
            let other = try await client.consoleLogin("gov", "my_admin")
            #expect(try await client.page("\(root)/wages/account", as: other).0 == .notFound)
            #expect(try await WagePaymentBatchModel.query(on: db).count() == 0)
        }
    }
}

/// A bank that takes its time: the first answer to an instruction is `processing` with every line
/// pending; a query then answers it settled. The simulator always settles at once, so this fake is
/// what exercises SiteRoll's handling of a `processing` answer.
actor SlowBank: BankGateway {
    private var received: [String: PayoutInstruction] = [:]

    func balance(_ query: BankAccountQuery) async throws(BankGatewayError) -> BankAccountBalance {
        BankAccountBalance(
            accountName: "专户", accountMasked: "****", status: "active", balanceFen: 0, availableFen: 0, currency: "CNY",
            asOf: "2026-11-25T00:00:00Z", bank: "慢银行", simulated: false)
    }

    func statement(_ query: BankStatementQuery) async throws(BankGatewayError) -> BankStatementPage {
        BankStatementPage(accountMasked: "****", transactions: [], nextPageToken: nil, simulated: false)
    }

    func submitPayout(_ instruction: PayoutInstruction) async throws(BankGatewayError) -> PayoutAnswer {
        received[instruction.instructionId] = instruction
        return answer(instruction, settled: false)
    }

    func queryPayout(_ query: PayoutQuery) async throws(BankGatewayError) -> PayoutAnswer {
        guard let instruction = received[query.instructionId] else {
            throw .refused(status: 404, code: "INSTRUCTION_NOT_FOUND", message: "未收到")
        }
        return answer(instruction, settled: true)
    }

    private func answer(_ instruction: PayoutInstruction, settled: Bool) -> PayoutAnswer {
        PayoutAnswer(
            instructionId: instruction.instructionId, batchId: "SLOW1", status: settled ? "completed" : "processing",
            receivedAt: "2026-11-25T00:00:00Z", totalFen: instruction.lines.reduce(0) { $0 + $1.amountFen },
            paidFen: settled ? instruction.lines.reduce(0) { $0 + $1.amountFen } : 0,
            lines: instruction.lines.map {
                PayoutLineResult(
                    lineRef: $0.lineRef, status: settled ? "paid" : "pending", amountFen: $0.amountFen, reasonCode: nil,
                    reason: nil, bankReference: settled ? "R-\($0.lineRef.prefix(8))" : nil,
                    settledOn: settled ? "2026-11-25" : nil)
            }, duplicate: false, simulated: false)
    }
}

extension BankTests {
    @Test("a bank answering 'processing' keeps the lines paying until the query settles them")
    func processing() async throws {
        try await TestPlatform.run { _, platform in
            // setup: the same services, with a bank that answers later
            let db = platform.db
            let site = try await Site.load(db)
            let real = platform.services.payouts
            let slow = PayoutService(
                database: real.database, reach: real.reach, cipher: real.cipher, gateway: SlowBank(), simulator: nil,
                logger: real.logger)
            let worker = site.workers[0]
            let card = try await Self.addCard(worker, number: Self.card("62220200000000601"), platform: platform)
            let payroll = try await Self.payroll(
                site, month: "2026-04", lines: [(worker, card, 12_345)], platform: platform)
            let payer = PayoutService.Payer(
                audit: .system, accountID: UUID(), enterpriseID: site.project.contractorEnterpriseID)

            // act
            let first = try await slow.pay(payroll, project: site.project, as: payer)

            // check
            #expect(first.status == "accepted" && first.message.contains("银行仍在处理"))
            #expect(try await Self.lines(of: payroll, db).values.first?.status == "paying")
            #expect(try await PayrollModel.find(payroll.id, on: db)?.status == "paying")
            let batch = try #require(try await WagePaymentBatchModel.find(first.batchID, on: db))
            let settled = try await slow.retry(batch, project: site.project, as: payer)
            #expect(settled.status == "completed" && settled.paidFen == 12_345)
            let line = try #require(try await Self.lines(of: payroll, db).values.first)
            #expect(line.status == "paid" && line.paidOn == "2026-11-25")
            #expect(try await PayrollModel.find(payroll.id, on: db)?.status == "paid")
            let again = try #require(try await WagePaymentBatchModel.find(first.batchID, on: db))
            await #expect(throws: AppError.self) { try await slow.retry(again, project: site.project, as: payer) }
        }
    }
}

extension BankTests {
    @Test("the demo's way to paid months: transfers and payments booked on past days through the simulator's clock")
    func pastMonths() async throws {
        try await TestPlatform.run { _, platform in
            // setup: what the demo does at start-up, without a session
            let db = platform.db
            let site = try await Site.load(db)
            let payouts = platform.services.payouts
            let payer = PayoutService.Payer(
                audit: .system, accountID: UUID(), enterpriseID: site.project.contractorEnterpriseID)
            try await payouts.openInSimulator(site.project, account: site.account, as: payer)
            let worker = site.workers[0]
            let card = try await Self.addCard(worker, number: Self.card("62220200000000701"), platform: platform)
            let august = try await Self.payroll(
                site, month: "2026-08", lines: [(worker, card, 420_000)], platform: platform)

            // act
            try await payouts.setSimulatorDate(LocalDate("2026-09-05"))
            try await payouts.simulateLabourCost(
                site.project, account: site.account, amountFen: 1_000_000, on: nil, payerName: "成都锦江城市建设投资有限公司",
                as: payer)
            try await payouts.setSimulatorDate(LocalDate("2026-09-10"))
            let outcome = try await payouts.pay(august, project: site.project, as: payer)
            try await payouts.setSimulatorDate(nil)

            // check
            #expect(outcome.status == "completed" && outcome.paidFen == 420_000 && outcome.syncProblem == nil)
            let line = try #require(try await Self.lines(of: august, db).values.first)
            #expect(line.status == "paid" && line.paidOn == "2026-09-10")
            let movements = try await WageAccountTransactionModel.query(on: db).filter(\.$projectID == site.project.id!)
                .sort(\.$occurredOn).all()
            #expect(movements.map(\.occurredOn) == ["2026-09-05", "2026-09-10"])
            #expect(movements.map(\.kind) == ["labour_cost", "wage"] && movements[1].lineID == line.id)
            let actions = try await AuditEventModel.query(on: db).filter(\.$actorID == "system")
                .filter(
                    \.$action ~~ ["bank-simulator.account-opened", "bank-simulator.labour-cost", "wage-payment.sent"]
                )
                .count()
            #expect(actions == 3)
        }
    }
}
