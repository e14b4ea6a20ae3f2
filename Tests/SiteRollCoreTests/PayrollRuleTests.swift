import Testing

@testable import SiteRollCore

/// Payroll arithmetic and the checks before submission (G4, W1–W3, W12), one rule per test.
@Suite("Payroll rules")
struct PayrollRuleTests {
    let computation = PayrollComputation()

    @Test(
        "G4: days × day rate, a monthly wage pro rata over 21.75 days, piece quantity × rate, in fen",
        arguments: [
            (WageBasis.day, Int64(35_000), 22.0, nil as Double?, Int64(770_000)),
            (.day, 33_333, 0.5, nil, 16_667),
            (.month, 650_000, 21.75, nil, 650_000),
            (.month, 650_000, 26, nil, 650_000),
            (.month, 650_000, 10, nil, 298_851),
            (.piece, 1_250, 0, 312.4, 390_500),
            (.piece, 1_250, 20, nil, 0),
            (.day, 35_000, -3, nil, 0),
        ])
    func gross(basis: WageBasis, rate: Int64, days: Double, quantity: Double?, expected: Int64) {
        #expect(
            computation.grossFen(terms: PayTerms(basis: basis, rateFen: rate), manDays: days, quantity: quantity)
                == expected)
    }

    @Test("the minimum wage scales with the days worked and is owed in full for a full month")
    func minimum() {
        #expect(computation.minimumFen(monthlyMinimumFen: 210_000, manDays: 21.75) == 210_000)
        #expect(computation.minimumFen(monthlyMinimumFen: 210_000, manDays: 30) == 210_000)
        #expect(computation.minimumFen(monthlyMinimumFen: 210_000, manDays: 10) == 96_552)
        #expect(computation.dailyEquivalentFen(of: PayTerms(basis: .month, rateFen: 435_000)) == 20_000)
        #expect(computation.dailyEquivalentFen(of: PayTerms(basis: .piece, rateFen: 1)) == nil)
    }

    static let card = PayrollLineFacts.Card(numberHash: "h1", holderName: "李四")

    static func line(
        _ name: String = "李四", days: Double = 20, gross: Int64 = 700_000, deduction: Int64 = 0, reason: String? = nil,
        backPay: Bool = false, backMonth: PayMonth? = nil, card: PayrollLineFacts.Card? = card,
        terms: PayTerms? = PayTerms(basis: .day, rateFen: 35_000)
    ) -> PayrollLineFacts {
        PayrollLineFacts(
            workerKey: name, workerName: name, manDays: days, terms: terms, grossFen: gross, deductionFen: deduction,
            deductionReason: reason, isBackPay: backPay, backPayMonth: backMonth, card: card)
    }

    func codes(
        _ lines: [PayrollLineFacts], month: PayMonth = PayMonth("2026-10")!, attended: [String: String] = [:],
        minimum: Int64? = 210_000, elsewhere: [String: Set<String>] = [:]
    ) -> [String] {
        PayrollValidation().findings(
            month: month, today: LocalDate("2026-11-25")!, lines: lines, attendedWorkers: attended,
            monthlyMinimumFen: minimum, cardHoldersElsewhere: elsewhere
        ).map(\.code)
    }

    @Test("a correct line raises nothing")
    func clean() {
        #expect(codes([Self.line()], attended: ["李四": "李四"]).isEmpty)
    }

    @Test("the pay month may not be in the future; an empty payroll is refused")
    func month() {
        #expect(codes([Self.line()], month: PayMonth("2026-12")!) == ["PAYROLL_MONTH_FUTURE"])
        #expect(codes([], month: PayMonth("2026-11")!) == ["PAYROLL_EMPTY"])
    }

    @Test("below the contract rate and below the prorated minimum wage are overridable findings")
    func belowContractAndMinimum() {
        let findings = PayrollValidation().findings(
            month: PayMonth("2026-10")!, today: LocalDate("2026-11-25")!,
            lines: [Self.line(gross: 100_000)], attendedWorkers: [:], monthlyMinimumFen: 210_000)
        #expect(findings.map(\.code) == ["PAYROLL_BELOW_CONTRACT", "PAYROLL_BELOW_MINIMUM"])
        #expect(findings.allSatisfy { $0.severity == .overridable })
        #expect(findings[0].message.contains("低于按合同计算的7,000.00元"))
        #expect(findings[1].message.contains("按出勤20天折算的193,103.45元") == false)
        #expect(findings[1].message.contains("1,931.03"))
        #expect(codes([Self.line(gross: 100_000)], minimum: nil) == ["PAYROLL_BELOW_CONTRACT"])
        #expect(codes([Self.line(gross: 700_000, terms: nil)]) == ["PAYROLL_NO_CONTRACT"])
    }

    @Test("W2: a worker with attendance and no line is listed by name")
    func missingWorker() {
        let findings = PayrollValidation().findings(
            month: PayMonth("2026-10")!, today: LocalDate("2026-11-25")!, lines: [Self.line()],
            attendedWorkers: ["李四": "李四", "王五": "王五"], monthlyMinimumFen: nil)
        #expect(findings.map(\.code) == ["PAYROLL_WORKER_MISSING"])
        #expect(findings[0].workerName == "王五" && findings[0].overrideKey == "PAYROLL_WORKER_MISSING:王五")
    }

    @Test("W1, W12: the card must be the worker's own, active, and not shared — all blocking")
    func cards() {
        #expect(codes([Self.line(card: nil)]) == ["PAYROLL_CARD_MISSING"])
        #expect(codes([Self.line(card: .init(numberHash: "h1", holderName: "包工头"))]) == ["PAYROLL_CARD_NOT_OWN"])
        #expect(
            codes([Self.line(card: .init(numberHash: "h1", holderName: "李四", isClosed: true))]) == [
                "PAYROLL_CARD_CLOSED"
            ])
        let shared = codes([Self.line(), Self.line("赵六", card: .init(numberHash: "h1", holderName: "赵六"))])
        #expect(shared == ["PAYROLL_CARD_SHARED", "PAYROLL_CARD_SHARED"])
        #expect(codes([Self.line()], elsewhere: ["h1": ["钱七"]]) == ["PAYROLL_CARD_SHARED"])
        #expect(codes([Self.line()], elsewhere: ["h1": ["李四"]]).isEmpty, "the worker's own card elsewhere is fine")
        let findings = PayrollValidation().findings(
            month: PayMonth("2026-10")!, today: LocalDate("2026-11-25")!, lines: [Self.line(card: nil)],
            attendedWorkers: [:], monthlyMinimumFen: nil)
        #expect(findings.allSatisfy { $0.severity == .blocking })
    }

    @Test("deductions need a reason and may not exceed the amount; back pay needs an earlier month")
    func deductionsAndBackPay() {
        #expect(codes([Self.line(gross: 800_000, deduction: 10_000)]) == ["PAYROLL_DEDUCTION_REASON"])
        #expect(codes([Self.line(gross: 800_000, deduction: 10_000, reason: "借支")]).isEmpty)
        #expect(
            codes([Self.line(gross: 0, deduction: 10_000, reason: "借支", terms: nil)]).contains(
                "PAYROLL_DEDUCTION_EXCEEDS"))
        #expect(codes([Self.line(backPay: true)]) == ["PAYROLL_BACK_PAY_MONTH"])
        #expect(codes([Self.line(backPay: true, backMonth: PayMonth("2026-10"))]) == ["PAYROLL_BACK_PAY_MONTH"])
        #expect(
            codes([Self.line(gross: 10, backPay: true, backMonth: PayMonth("2026-08"))]).isEmpty,
            "back pay is not compared with the month's attendance")
        #expect(codes([Self.line(), Self.line()]).contains("PAYROLL_DUPLICATE_WORKER"))
    }

    @Test(
        "W3: the pay day moves earlier to the last working day; short months clamp",
        arguments: [
            ("2026-10", 10, "2026-11-10"),  // Tuesday
            ("2026-09", 10, "2026-10-09"),  // 10 October 2026 is a Saturday
            ("2026-07", 10, "2026-08-10"),  // Monday
            ("2026-01", 31, "2026-02-27"),  // 28 Feb 2026 is a Saturday
            ("2026-05", 14, "2026-06-12"),  // 14 June 2026 is a Sunday
        ])
    func payDay(month: String, day: Int, expected: String) {
        #expect(PayDayRule(day: day).dueDate(for: PayMonth(month)!)?.description == expected)
    }

    @Test("W3: a holiday moves the pay day earlier; a make-up working weekend day counts")
    func holidays() throws {
        let holidays = try PayDayRule.parseDates("2026-10-01,2026-10-02;2026-10-05 2026-10-06 2026-10-07 2026-10-08")
        let rule = PayDayRule(day: 8, holidays: holidays, workingWeekendDays: [LocalDate("2026-10-10")!])
        #expect(rule.dueDate(for: PayMonth("2026-09")!)!.description == "2026-09-30")
        #expect(
            PayDayRule(day: 10, workingWeekendDays: [LocalDate("2026-10-10")!]).dueDate(for: PayMonth("2026-09")!)!
                .description == "2026-10-10")
        #expect(throws: PayDayRule.ParseError.malformedDate("2026-13-01")) { try PayDayRule.parseDates("2026-13-01") }
    }

    @Test("pay months parse as people type them and step across years; money prints in yuan")
    func monthsAndMoney() {
        #expect(PayMonth("2026-3")?.description == "2026-03" && PayMonth("2026/11")?.chinese == "2026年11月")
        #expect(PayMonth("2026-13") == nil && PayMonth("26-01") == nil && PayMonth("") == nil)
        #expect(PayMonth("2026-12")!.adding(months: 1)!.description == "2027-01")
        #expect(PayMonth("2026-01")!.adding(months: -1)!.description == "2025-12")
        #expect(PayMonth("2024-02")!.lastDay.description == "2024-02-29")
        #expect(
            Money.yuan(123_456_789) == "1,234,567.89" && Money.yuan(-5) == "-0.05" && Money.plain(700_000) == "7000.00")
        #expect(LocalDate("2026-11-28")!.isWeekend && !LocalDate("2026-11-27")!.isWeekend)
    }
}

/// Issue 14 item 3 (M4): each wage line says how it was computed, in words a worker reads.
@Suite("Payroll: the computation in words")
struct PayrollExplanationTests {
    @Test(
        "day, part month, full month, piece, and an amount the employer changed",
        arguments: [
            (
                PayTerms(basis: .day, rateFen: 35_000), 19.5, nil as Double?, 682_500 as Int64,
                "按日计酬：日工资 350.00 元 × 出勤 19.5 个工日 = 6,825.00 元"
            ),
            (
                PayTerms(basis: .month, rateFen: 650_000), 19.5, nil, 582_759,
                "按月计酬：月工资 6,500.00 元 × 出勤 19.5 个工日 ÷ 每月计薪 21.75 天 = 5,827.59 元（出勤不满一个月，按天折算）"
            ),
            (
                PayTerms(basis: .month, rateFen: 650_000), 23, nil, 650_000,
                "按月计酬：月工资 6,500.00 元，本月出勤 23 个工日，满月按全月发放"
            ),
            (
                PayTerms(basis: .piece, rateFen: 1_250), 0, 400, 500_000,
                "计件：单价 12.50 元 × 数量 400 = 5,000.00 元"
            ),
            (
                PayTerms(basis: .day, rateFen: 30_000), 10, nil, 320_000,
                "按日计酬：日工资 300.00 元 × 出勤 10 个工日 = 3,000.00 元；应发金额经用工单位调整为 3,200.00 元"
            ),
        ])
    func explanation(terms: PayTerms, days: Double, quantity: Double?, gross: Int64, text: String) {
        #expect(
            PayrollComputation().explanation(terms: terms, manDays: days, quantity: quantity, grossFen: gross) == text)
    }
}
