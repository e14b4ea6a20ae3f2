import Foundation
import SiteRollCore
import Testing

/// The warning catalogue WW-01…WW-14 (standards.md d.6) as pure rules: each fires with the words and
/// numbers that explain it, stays silent under its threshold, and follows per-division overrides.
@Suite("Warning rules")
struct WarningRuleTests {
    /// Friday 2026-11-20: October's wages were due on Tuesday 10 November.
    static let today = LocalDate("2026-11-20")!
    static let october = PayMonth("2026-10")!

    /// One project in Jinjiang (510104) with a general contractor, a labour subcontractor and one
    /// worker in good standing; each test breaks one thing.
    struct Fixture {
        let projectID = UUID()
        let contractorID = UUID()
        let subcontractorID = UUID()
        let mainUnit = UUID()
        let subUnit = UUID()
        let workerID = UUID()
        let entryID = UUID()
        let payrollID = UUID()
        var facts: WarningFacts

        init(division: String = "510104", payDay: Int = 10) {
            let project = WarningFacts.Project(
                id: projectID, code: "51010420260001", name: "锦江测试项目", divisionCode: division,
                contractSignedOn: LocalDate("2026-03-01"), startDate: LocalDate("2026-04-01"), payDay: payDay,
                builderName: "成都某建设单位", contractorEnterpriseID: contractorID, contractorName: "四川某建工集团",
                authorityPhone: "028-12345", registeredOn: LocalDate("2026-03-20")!)
            facts = WarningFacts(today: WarningRuleTests.today, projects: [project])
            facts.units = [
                mainUnit: .init(
                    id: mainUnit, projectID: projectID, enterpriseID: contractorID, name: "四川某建工集团",
                    participationType: "009"),
                subUnit: .init(
                    id: subUnit, projectID: projectID, enterpriseID: subcontractorID, name: "成都某劳务公司",
                    participationType: "006"),
            ]
            facts.accounts[projectID] = .init(openedOn: LocalDate("2026-03-15"), masked: "5105****0001")
            facts.guarantees[projectID] = [
                .init(amountFen: 120_000_000, validFrom: LocalDate("2026-03-15")!, validUntil: LocalDate("2028-03-15")!)
            ]
            facts.transfers[projectID] = [.init(on: LocalDate("2026-11-05")!, amountFen: 50_000_000)]
            facts.appointments[projectID] = [
                .init(unitID: mainUnit, role: "pm"), .init(unitID: mainUnit, role: "labour"),
            ]
            facts.minimumWageKnown[division] = true
            facts.workers[workerID] = .init(
                id: workerID, name: "王小明", masked: "5101**********1234", birthDate: LocalDate("1980-05-01"),
                verifiedOn: LocalDate("2026-03-01"))
            facts.entries = [
                .init(
                    id: entryID, projectID: projectID, unitID: subUnit, workerID: workerID,
                    entryDate: LocalDate("2026-04-10")!)
            ]
            facts.contracts[projectID] = [
                workerID: [.init(unitID: subUnit, startsOn: LocalDate("2026-04-09")!, endsOn: LocalDate("2027-04-08"))]
            ]
            facts.safetyTrainings[workerID] = [LocalDate("2026-04-09")!]
            facts.priorActivity[entryID] = .init(on: LocalDate("2026-03-01")!, source: "实名核验")
            facts.cards[UUID()] = .init(
                workerID: workerID, holderName: "王小明", numberHash: "h-own", masked: "6222****1234")
        }

        var project: WarningFacts.Project { facts.projects[0] }

        mutating func attend(days: Int, month: PayMonth = WarningRuleTests.october, worker: UUID? = nil) {
            facts.attendance.append(
                .init(projectID: projectID, unitID: subUnit, workerID: worker ?? workerID, month: month, days: days))
        }

        mutating func payroll(status: String = "submitted", month: PayMonth = WarningRuleTests.october) {
            facts.payrolls.append(
                .init(
                    id: payrollID, projectID: projectID, unitID: subUnit, month: month, code: "GZ-2026-10-01",
                    status: status))
        }

        mutating func line(
            due: Int64, paid: Int64, month: PayMonth = WarningRuleTests.october, backPayFor: PayMonth? = nil,
            card: UUID? = nil
        ) {
            facts.lines.append(
                .init(
                    payrollID: payrollID, projectID: projectID, unitID: subUnit, workerID: workerID, month: month,
                    dueFen: due, paidFen: paid, status: paid >= due ? "paid" : "failed",
                    failureReason: paid >= due ? nil : "卡号错误", cardID: card, isBackPay: backPayFor != nil,
                    backPayMonth: backPayFor))
            facts.monthlyDue[projectID, default: [:]][month, default: 0] += backPayFor == nil ? due : 0
        }

        func findings(_ overrides: String = "", ages: AgePolicyBook = AgePolicyBook(), holidays: Set<LocalDate> = [])
            throws -> [WarningFinding]
        {
            try WarningEvaluator(
                policies: WarningPolicyBook.parse(overrides), agePolicies: ages, holidays: holidays
            ).evaluate(facts)
        }

        func findings(
            _ rule: WarningRuleID, _ overrides: String = "", ages: AgePolicyBook = AgePolicyBook(),
            holidays: Set<LocalDate> = []
        ) throws
            -> [WarningFinding]
        {
            try findings(overrides, ages: ages, holidays: holidays).filter { $0.rule == rule }
        }
    }

    @Test("the fixture raises nothing: every rule is silent on a project in order")
    func cleanProject() throws {
        var fixture = Fixture()
        fixture.attend(days: 22)
        fixture.payroll()
        fixture.line(due: 770_000, paid: 770_000)
        #expect(try fixture.findings().map(\.rule) == [])
    }

    // MARK: Catalogue and policy

    @Test("the catalogue has every rule once, each with a title, a legal basis and a resolution")
    func catalogue() {
        #expect(WarningCatalogue.rules.map(\.id) == WarningRuleID.allCases)
        for rule in WarningCatalogue.rules {
            #expect(!rule.title.isEmpty && !rule.basis.isEmpty && !rule.fixedText.isEmpty && rule.version >= 1)
        }
        #expect(!WarningCatalogue.version.isEmpty)
        #expect(WarningRuleID.ww04.rule.basis.contains("10日"))
    }

    @Test("per-division overrides: the most specific division wins, a county inherits its city")
    func overrides() throws {
        let book = try WarningPolicyBook.parse(
            "510000:manager-absence-days=7;510100:pay-day=8,WW-11=off;510104:manager-absence-days=3")
        #expect(book.policy(for: DivisionCode("510104")).managerAbsenceDays == 3)
        #expect(book.policy(for: DivisionCode("510104")).payDay == 8)
        #expect(!book.policy(for: DivisionCode("510104")).isEnabled(.ww11))
        #expect(book.policy(for: DivisionCode("510107")).managerAbsenceDays == 7)
        #expect(book.policy(for: DivisionCode("510703")).payDay == 10)
        #expect(book.policy(for: DivisionCode("510703")).isEnabled(.ww11))
        #expect(book.policy(for: nil) == WarningPolicy())
    }

    @Test(
        "bad policy text is refused with a stable code and Chinese words",
        arguments: [
            ("510100:pay-days=10", "WARNING_POLICY_UNKNOWN_SETTING", "没有名为“pay-days”"),
            ("510100:pay-day=40", "WARNING_POLICY_BAD_VALUE", "1 到 31"),
            ("510100 pay-day=10", "WARNING_POLICY_MALFORMED", "区划代码:设置=值"),
            ("5101:pay-day=10", "WARNING_POLICY_BAD_DIVISION", "六位行政区划代码"),
            ("510100:WW-03=maybe", "WARNING_POLICY_BAD_VALUE", "on 或 off"),
        ])
    func badPolicy(text: String, code: String, words: String) throws {
        let error = #expect(throws: WarningPolicyError.self) { try WarningPolicyBook.parse(text) }
        #expect(error?.code == code)
        #expect(error?.description.contains(words) == true)
        #expect(throws: WarningPolicyError.self) { try WarningPolicyBook.parseRules("WW-15") }
        #expect(try WarningPolicyBook.parseRules("ww-13, WW-14") == [.ww13, .ww14])
    }

    @Test("a month before the look-back window is left alone; a disabled rule's warnings are resolved")
    func coverage() throws {
        let evaluator = WarningEvaluator(policies: try WarningPolicyBook.parse("510703:WW-05=off", lookbackMonths: 3))
        let old = WarningSubject.worker(UUID(), project: UUID(), month: PayMonth("2026-06")!, label: "").key
        let recent = WarningSubject.worker(UUID(), project: UUID(), month: PayMonth("2026-09")!, label: "").key
        #expect(
            evaluator.coverage(rule: .ww05, divisionCode: "510104", subjectKey: old, today: Self.today)
                == .outsideWindow)
        #expect(
            evaluator.coverage(rule: .ww05, divisionCode: "510104", subjectKey: recent, today: Self.today) == .evaluated
        )
        #expect(
            evaluator.coverage(rule: .ww05, divisionCode: "510703", subjectKey: recent, today: Self.today) == .disabled)
        #expect(
            evaluator.coverage(rule: .ww01, divisionCode: "510104", subjectKey: "project:x", today: Self.today)
                == .evaluated)
    }

    // MARK: WW-01 … WW-03, WW-10 … WW-12: the project

    @Test(
        "WW-01: no account 30 days after the contract; silent on day 30, with an account, or with a longer local limit")
    func ww01() throws {
        var fixture = Fixture()
        fixture.facts.accounts = [:]
        fixture.facts.transfers = [:]
        let finding = try #require(try fixture.findings(.ww01).first)
        #expect(
            finding.summary.contains("2026-03-01") && finding.summary.contains("2026-03-31")
                && finding.summary.contains("30 天"))
        #expect(finding.dueOn == LocalDate("2026-03-31") && finding.severity == .high)
        #expect(finding.enterpriseID == fixture.contractorID && finding.addressee == "总承包单位：四川某建工集团")
        #expect(finding.evidence.contains(WarningEvidence("农民工工资专用账户", "未登记")))
        fixture.facts.today = LocalDate("2026-03-31")!
        #expect(try fixture.findings(.ww01).isEmpty)
        fixture.facts.today = Self.today
        #expect(try fixture.findings(.ww01, "510100:account-days=300").isEmpty)
        #expect(try fixture.findings(.ww01, "510703:account-days=300").count == 1)
        #expect(try fixture.findings(.ww01, "510104:WW-01=off").isEmpty)
    }

    @Test("WW-02: no labour-cost transfer within a month of the last one; the key carries the date counted from")
    func ww02() throws {
        var fixture = Fixture()
        fixture.facts.transfers[fixture.projectID] = [
            .init(on: LocalDate("2026-09-15")!, amountFen: 30_000_000, counterparty: "成都某建设单位")
        ]
        let finding = try #require(try fixture.findings(.ww02).first)
        #expect(
            finding.summary.contains("2026-09-15") && finding.summary.contains("300,000.00 元")
                && finding.summary.contains("2026-10-15"))
        #expect(finding.addressee == "建设单位：成都某建设单位" && finding.enterpriseID == nil)
        #expect(finding.subject.key.hasSuffix("since:2026-09-15"))
        #expect(try fixture.findings(.ww02, "510104:transfer-months=3").isEmpty)
        fixture.facts.transfers[fixture.projectID]?.append(.init(on: LocalDate("2026-10-25")!, amountFen: 1))
        #expect(try fixture.findings(.ww02).isEmpty, "a transfer on 25 October is due again on 25 November")
        fixture.facts.transfers = [:]
        let never = try #require(try fixture.findings(.ww02).first)
        #expect(never.summary.contains("从未收到") && never.subject.key.hasSuffix("since:2026-04-01"))
    }

    @Test("WW-03: cumulative transfers below the share of wages due; the local ratio decides")
    func ww03() throws {
        var fixture = Fixture()
        fixture.facts.monthlyDue[fixture.projectID] = [PayMonth("2026-09")!: 40_000_000, Self.october: 40_000_000]
        fixture.facts.transfers[fixture.projectID] = [.init(on: LocalDate("2026-11-05")!, amountFen: 60_000_000)]
        let finding = try #require(try fixture.findings(.ww03).first)
        #expect(finding.summary.contains("600,000.00 元") && finding.summary.contains("800,000.00 元"))
        #expect(
            finding.summary.contains("75%") && finding.summary.contains("100%")
                && finding.summary.contains("200,000.00 元"))
        #expect(finding.summary.contains("2026年9月至2026年10月"))
        #expect(try fixture.findings(.ww03, "510100:transfer-ratio-percent=70").isEmpty)
        fixture.facts.transfers[fixture.projectID]?.append(.init(on: LocalDate("2026-11-18")!, amountFen: 20_000_000))
        #expect(try fixture.findings(.ww03).isEmpty)
    }

    @Test("WW-10: no labour officer 30 days after the start; silent when appointed or within a longer set-up time")
    func ww10() throws {
        var fixture = Fixture()
        fixture.facts.appointments[fixture.projectID] = [.init(unitID: fixture.mainUnit, role: "pm")]
        let finding = try #require(try fixture.findings(.ww10).first)
        #expect(finding.summary.contains("2026-04-01") && finding.summary.contains("劳资专管员"))
        #expect(finding.evidence.contains(WarningEvidence("已任命的管理岗位", "项目负责人（项目经理）")))
        #expect(try fixture.findings(.ww10, "510104:setup-days=365").isEmpty)
        fixture.facts.projects[0].status = "004"
        #expect(try fixture.findings(.ww10).isEmpty, "a completed project needs no labour officer any more")
    }

    @Test("WW-11: the rights board lacks items, listed one by one")
    func ww11() throws {
        var fixture = Fixture()
        fixture.facts.projects[0].authorityPhone = nil
        fixture.facts.minimumWageKnown["510104"] = false
        let finding = try #require(try fixture.findings(.ww11).first)
        #expect(finding.summary.contains("缺少 2 项") && finding.summary.contains("主管部门投诉电话"))
        #expect(finding.evidence.map(\.value).contains("当地最低工资标准（平台配置）"))
        #expect(finding.severity == .low)
        #expect(
            RightsBoardCheck.missing(
                builderName: "x", hasContractorManager: true, hasLabourOfficer: true, authorityPhone: "1",
                hasAccount: true,
                minimumWageKnown: true
            ).isEmpty)
    }

    @Test("WW-12: no wage guarantee in force; expired says when; a division may not require one")
    func ww12() throws {
        var fixture = Fixture()
        fixture.facts.guarantees[fixture.projectID] = [
            .init(amountFen: 100_000_000, validFrom: LocalDate("2025-01-01")!, validUntil: LocalDate("2026-10-31")!)
        ]
        let expired = try #require(try fixture.findings(.ww12).first)
        #expect(expired.summary.contains("已于 2026-10-31 到期") && expired.dueOn == LocalDate("2026-10-31"))
        fixture.facts.guarantees = [:]
        let none = try #require(try fixture.findings(.ww12).first)
        #expect(none.summary.contains("仍未登记工资保证金"))
        #expect(try fixture.findings(.ww12, "510100:guarantee-required=false").isEmpty)
    }

    // MARK: WW-04 … WW-07: pay

    @Test("WW-04: attendance in October and no submitted payroll by 10 November; silent before the pay day")
    func ww04NotSubmitted() throws {
        var fixture = Fixture()
        fixture.attend(days: 22)
        fixture.payroll(status: "draft")
        let finding = try #require(try fixture.findings(.ww04).first)
        #expect(finding.summary.contains("2026-11-10") && finding.summary.contains("未提交2026年10月的工资表"))
        #expect(finding.summary.contains("1 名工人出勤"))
        #expect(finding.unitID == fixture.subUnit && finding.enterpriseID == fixture.contractorID)
        #expect(finding.addressee == "用工单位：成都某劳务公司；总承包单位：四川某建工集团")
        #expect(finding.subject.key.hasSuffix("|m:2026-10"))
        fixture.facts.today = LocalDate("2026-11-10")!
        #expect(try fixture.findings(.ww04).isEmpty, "due on the 10th: not late on the 10th")
        fixture.facts.today = Self.today
        #expect(try fixture.findings(.ww04, "510104:grace-days=15").isEmpty)
    }

    @Test("WW-04: a project's own later pay day is held to the division's; an earlier local day is the limit")
    func ww04PayDay() throws {
        var fixture = Fixture(payDay: 25)
        fixture.attend(days: 20)
        #expect(try fixture.findings(.ww04).count == 1, "Chengdu's 10th applies though the project agreed on the 25th")
        #expect(try fixture.findings(.ww04, "510100:pay-day=25").isEmpty)
    }

    @Test("WW-04: submitted but not paid in full names each short worker")
    func ww04Short() throws {
        var fixture = Fixture()
        fixture.attend(days: 22)
        fixture.payroll()
        fixture.line(due: 770_000, paid: 0)
        let finding = try #require(try fixture.findings(.ww04).first)
        #expect(finding.summary.contains("1 名工人未足额发放，共欠 7,700.00 元"))
        #expect(finding.evidence.contains { $0.label.contains("王小明") && $0.value.contains("银行退回：卡号错误") })
    }

    @Test("WW-05: a worker with attendance and no line; a later back pay for the month settles it")
    func ww05() throws {
        var fixture = Fixture()
        fixture.attend(days: 18)
        fixture.payroll()
        let finding = try #require(try fixture.findings(.ww05).first)
        #expect(finding.summary == "王小明在锦江测试项目2026年10月出勤 18 天，但到应支付日 2026-11-10 仍没有该月的工资记录。")
        #expect(finding.workerID == fixture.workerID && finding.enterpriseID == fixture.subcontractorID)
        fixture.line(due: 630_000, paid: 630_000, month: PayMonth("2026-11")!, backPayFor: Self.october)
        #expect(try fixture.findings(.ww05).isEmpty)
    }

    @Test("WW-06: paid less than due after the pay day, with the amounts; back pay for the month closes it")
    func ww06() throws {
        var fixture = Fixture()
        fixture.attend(days: 20)
        fixture.payroll()
        fixture.line(due: 700_000, paid: 500_000)
        let finding = try #require(try fixture.findings(.ww06).first)
        #expect(finding.summary.contains("应发工资 7,000.00 元") && finding.summary.contains("实发 5,000.00 元"))
        #expect(finding.summary.contains("尚欠 2,000.00 元") && finding.severity == .high)
        #expect(finding.evidence.contains(WarningEvidence("尚欠", "2,000.00 元")))
        fixture.facts.today = LocalDate("2026-11-09")!
        #expect(try fixture.findings(.ww06).isEmpty, "not yet due")
        fixture.facts.today = Self.today
        fixture.line(due: 200_000, paid: 200_000, month: PayMonth("2026-11")!, backPayFor: Self.october)
        #expect(try fixture.findings(.ww06).isEmpty)
    }

    @Test("WW-07: a card in another name, a card shared by two workers, a line paid to someone else's card")
    func ww07() throws {
        var fixture = Fixture()
        #expect(try fixture.findings(.ww07).isEmpty)
        let other = UUID()
        fixture.facts.workers[other] = .init(id: other, name: "李四", masked: "5101**********5678")
        fixture.facts.cards = [:]
        let ownCard = UUID()
        fixture.facts.cards[ownCard] = .init(
            id: ownCard, workerID: fixture.workerID, holderName: "王大明", numberHash: "h1", masked: "6222****1111")
        fixture.facts.sharedCards["h1"] = [fixture.facts.workers[fixture.workerID]!, fixture.facts.workers[other]!]
        let theirs = UUID()
        fixture.facts.cards[theirs] = .init(
            id: theirs, workerID: other, holderName: "李四", numberHash: "h2", masked: "6222****2222")
        fixture.payroll()
        fixture.line(due: 500_000, paid: 500_000, card: theirs)
        let finding = try #require(try fixture.findings(.ww07).first)
        #expect(finding.summary.contains("户名为“王大明”，不是本人"))
        #expect(finding.summary.contains("同时登记给了 李四（5101**********5678）"))
        #expect(finding.summary.contains("2026年10月工资发到了李四（5101**********5678）的卡 6222****2222"))
        #expect(finding.workerID == fixture.workerID)
    }

    // MARK: WW-08, WW-09, WW-13, WW-14: who is on site

    @Test("WW-08: on site without a contract covering today, without training, or unverified")
    func ww08() throws {
        var fixture = Fixture()
        fixture.facts.contracts[fixture.projectID] = [
            fixture.workerID: [
                .init(unitID: fixture.subUnit, startsOn: LocalDate("2026-04-09")!, endsOn: LocalDate("2026-10-31"))
            ]
        ]
        fixture.facts.safetyTrainings = [:]
        let finding = try #require(try fixture.findings(.ww08).first)
        #expect(finding.summary.contains("没有与用工单位签订、覆盖今天的劳动合同"))
        #expect(finding.summary.contains("没有进场前 365 天内的基本安全培训记录"))
        #expect(finding.evidence.contains { $0.ref == "ENTRY_NO_CONTRACT" && $0.value == "2026-04-09 至 2026-10-31" })
        fixture.facts.workers[fixture.workerID]?.isVerified = false
        #expect(try fixture.findings(.ww08).first?.summary.contains("未通过实名核验") == true)
        var good = Fixture()
        good.facts.contracts[good.projectID]?[good.workerID] = [
            .init(unitID: good.mainUnit, startsOn: LocalDate("2026-01-01")!, endsOn: nil)
        ]
        #expect(try good.findings(.ww08).count == 1, "a contract with another unit does not count")
    }

    @Test("WW-09: an entry after more than a year without activity and no training since")
    func ww09() throws {
        var fixture = Fixture()
        fixture.facts.priorActivity[fixture.entryID] = .init(on: LocalDate("2025-03-01")!, source: "上一个项目的进退场记录")
        fixture.facts.safetyTrainings[fixture.workerID] = [LocalDate("2025-01-10")!]
        let finding = try #require(try fixture.findings(.ww09).first)
        #expect(
            finding.summary.contains("2025-03-01") && finding.summary.contains("间隔 405 天")
                && finding.summary.contains("365 天"))
        #expect(try fixture.findings(.ww09, "510104:inactivity-days=500").isEmpty)
        fixture.facts.safetyTrainings[fixture.workerID]?.append(LocalDate("2026-04-09")!)
        #expect(try fixture.findings(.ww09).isEmpty)
    }

    @Test("WW-13: over 60 needs a health certificate; over a local maximum is refused; silent at 46")
    func ww13() throws {
        var fixture = Fixture()
        #expect(try fixture.findings(.ww13).isEmpty)
        fixture.facts.workers[fixture.workerID]?.birthDate = LocalDate("1964-02-01")
        let finding = try #require(try fixture.findings(.ww13).first)
        #expect(finding.summary.contains("今年 62 周岁") && finding.summary.contains("健康证明") && finding.severity == .medium)
        #expect(try fixture.findings(.ww13, "510104:health-certificate-warnings=false").isEmpty)
        let strict = AgePolicyBook(policies: [DivisionCode("510100")!: AgePolicy(maximumAge: 60)])
        let refused = try #require(try fixture.findings(.ww13, ages: strict).first)
        #expect(refused.severity == .high && refused.summary.contains("已超过 60 周岁"))
    }

    @Test("WW-14: a manager absent on 5 consecutive working days; weekends and holidays do not count")
    func ww14() throws {
        var fixture = Fixture()
        let manager = UUID()
        let entry = UUID()
        fixture.facts.workers[manager] = .init(id: manager, name: "赵经理", masked: "5101**********0010")
        fixture.facts.entries.append(
            .init(
                id: entry, projectID: fixture.projectID, unitID: fixture.mainUnit, workerID: manager, workRole: "10",
                entryDate: LocalDate("2026-04-01")!))
        fixture.facts.managerDays[entry] = [LocalDate("2026-11-11")!]
        let finding = try #require(try fixture.findings(.ww14).first)
        #expect(finding.summary.contains("自 2026-11-12 起") && finding.summary.contains("连续 6 个工作日"))
        #expect(finding.summary.contains("平台尚未登记请假"))
        #expect(try fixture.findings(.ww14, "510104:manager-absence-days=7").isEmpty)
        let holidays: Set = [LocalDate("2026-11-12")!, LocalDate("2026-11-13")!]
        #expect(try fixture.findings(.ww14, holidays: holidays).isEmpty, "4 working days once two are holidays")
        fixture.facts.managerDays[entry] = [LocalDate("2026-11-13")!]
        #expect(try fixture.findings(.ww14).isEmpty, "Monday to Thursday is 4 working days")
    }
}
