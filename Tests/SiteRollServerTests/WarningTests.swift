import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 6 item 6: the warning run over the demo data through the real router and database — what
/// fires, resolves itself when the cause is fixed and reopens when it recurs; acknowledgement and
/// dismissal; who sees which warning; one run at a time.
@Suite("Warnings")
struct WarningTests {
    /// Past the pay day of the month before this one, whatever day the suite runs on.
    static var later: Date { Date().addingTimeInterval(25 * 86_400) }
    static var lastMonth: PayMonth { PayMonth(containing: ProjectService.today()).nearAdding(months: -1) }

    /// The warning of `rule` on `project` (for a worker, for a month), if any.
    static func warning(
        _ db: any Database, rule: WarningRuleID, project: UUID, worker: UUID? = nil, month: PayMonth? = nil
    ) async throws -> WageWarningModel? {
        try await warnings(db, rule: rule, project: project, month: month).first {
            worker == nil || $0.workerID == worker
        }
    }

    static func warnings(_ db: any Database, rule: WarningRuleID, project: UUID, month: PayMonth? = nil) async throws
        -> [WageWarningModel]
    {
        try await WageWarningModel.query(on: db).filter(\.$ruleID == rule.rawValue).filter(\.$projectID == project)
            .all().filter { month == nil || $0.subjectKey.hasSuffix("|m:\(month!)") }
    }

    static func runNow(_ client: some TestClientProtocol, as gov: ConsoleSession) async throws -> String {
        let (status, page) = try await ProjectTests.submit(client, "/gov/warnings/run", [:], as: gov)
        #expect(status == .ok)
        return page
    }

    /// These tests build the payrolls they need: the demo's wage history stays out.
    static func withoutWageHistory(_ configuration: inout SiteRollConfiguration) {
        configuration.demoWages = false
    }

    /// A submitted payroll of the labour subcontractor for `month`, one line per (worker, due, paid).
    static func payroll(
        _ db: any Database, project: ProjectModel, month: PayMonth, lines: [(WorkerModel, Int64, Int64)]
    ) async throws -> [PayrollLineModel] {
        let unit = try await ProjectTests.Fixture(db: db).unit(of: project, type: "006")
        let payroll = PayrollModel()
        payroll.id = UUID()
        payroll.projectID = project.id!
        payroll.unitID = unit.id!
        payroll.payMonth = month.description
        payroll.scopeKey = PayrollModel.scopeKey(unit: unit.id!, team: nil, month: month.description)
        payroll.code = "GZ\(month.year)\(month.month)-\(UUID().uuidString.prefix(6))"
        payroll.status = "submitted"
        payroll.source = "generated"
        payroll.createdBy = UUID()
        payroll.createdAt = Date()
        payroll.updatedAt = Date()
        try await payroll.create(on: db)
        var models: [PayrollLineModel] = []
        for (worker, due, paid) in lines {
            let line = PayrollLineModel()
            line.id = UUID()
            line.payrollID = payroll.id!
            line.projectID = project.id!
            line.unitID = unit.id!
            line.workerID = worker.id!
            line.payMonth = month.description
            line.manDays = 20
            line.grossFen = due
            line.deductionFen = 0
            line.dueFen = due
            line.paidFen = paid
            line.isBackPay = false
            line.status = paid >= due ? "paid" : "failed"
            line.failureReason = paid >= due ? nil : "卡号错误"
            line.updatedAt = Date()
            try await line.create(on: db)
            models.append(line)
        }
        return models
    }

    // MARK: The run

    @Test(
        "WW-01 from the board's button: fires for the project without an account, resolves when it is recorded, reopens when it goes"
    )
    func accountLifecycle() async throws {
        try await TestPlatform.run(configure: Self.withoutWageHistory) { client, platform in
            // setup
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectTwo)
            let gov = try await client.consoleLogin("gov", "cd_admin")
            // act
            var page = try await Self.runNow(client, as: gov)
            // check
            #expect(page.contains("预警运行完成") && page.contains("评估 3 个项目"))
            let warning = try #require(try await Self.warning(platform.db, rule: .ww01, project: project.id!))
            #expect(warning.status == "open" && warning.summary.contains("未在平台登记专用账户"))
            #expect(warning.enterpriseID == project.contractorEnterpriseID && warning.divisionCode == "510107")
            let (_, board) = try await client.page("/gov/warnings?rule=WW-01", as: gov)
            #expect(board.contains(project.name) && board.contains("未按时开设农民工工资专用账户"))
            let (_, detail) = try await client.page("/gov/warnings/\(warning.id!)", as: gov)
            #expect(detail.contains("应开户日期") && detail.contains(warning.dueOn ?? "?") && detail.contains("已逾期"))
            #expect(detail.contains("第二十六条") && detail.contains("规则集 \(WarningCatalogue.version)"))

            // The contractor records the account: the next run resolves the warning by itself.
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (status, _) = try await ProjectTests.submit(
                client, "/corp/projects/\(project.id!)/wages/account",
                [
                    "bankCode": "105", "bankName": "中国建设银行成都武侯支行",
                    "accountName": WageAccountName.expected(contractor: project.contractorName, project: project.name),
                    "number": "6217003810012345678", "openedOn": ProjectService.today().description,
                ], as: corp)
            #expect(status == .ok)
            page = try await Self.runNow(client, as: gov)
            #expect(page.contains("自动解除"))
            let resolved = try #require(try await WageWarningModel.find(warning.id, on: platform.db))
            #expect(resolved.status == "resolved" && resolved.resolution == "原因已消除：已登记农民工工资专用账户")
            #expect(resolved.resolvedAt != nil)

            // The account disappears again: the same warning reopens, audited with its old resolution.
            try await WageAccountModel.query(on: platform.db).filter(\.$projectID == project.id!).delete()
            _ = try await Self.runNow(client, as: gov)
            let reopened = try #require(try await WageWarningModel.find(warning.id, on: platform.db))
            #expect(reopened.status == "open" && reopened.resolvedAt == nil && reopened.resolution == nil)
            #expect(try await WageWarningModel.query(on: platform.db).filter(\.$ruleID == "WW-01").count() == 1)
            let events = try await platform.services.warnings.history(of: warning.id!)
            #expect(events.map(\.action) == ["warning.reopened"])
            #expect(events.first?.summary.contains("原因已消除：已登记农民工工资专用账户") == true)
            let (_, history) = try await client.page("/gov/warnings/\(warning.id!)", as: gov)
            #expect(history.contains("预警再次出现") && history.contains("首次发现"))
            let runs = try await AuditEventModel.query(on: platform.db).filter(\.$action == "warning.run").count()
            #expect(runs == 3)
        }
    }

    @Test("WW-04/05/06 on pay: unpaid line and missing lines fire after the pay day; paying the line resolves WW-06")
    func payLifecycle() async throws {
        try await TestPlatform.run(configure: Self.withoutWageHistory) { _, platform in
            // setup: 张建国's line for last month, unpaid (the bank returned it)
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            let zhang = try #require(try await WorkerModel.query(on: platform.db).filter(\.$name == "张建国").first())
            let lines = try await Self.payroll(
                platform.db, project: project, month: Self.lastMonth, lines: [(zhang, 700_000, 0)])
            // act
            let outcome = try await platform.services.warnings.run(trigger: .manual, now: Self.later)
            // check
            #expect(outcome.skipped == nil && outcome.opened > 0)
            let short = try #require(
                try await Self.warning(
                    platform.db, rule: .ww06, project: project.id!, worker: zhang.id, month: Self.lastMonth))
            #expect(short.summary.contains("应发工资 7,000.00 元") && short.summary.contains("尚欠 7,000.00 元"))
            #expect(short.subjectKey.hasSuffix("|m:\(Self.lastMonth)"))
            #expect(WarningEvidence.decode(short.evidence).contains { $0.value.contains("银行退回：卡号错误") })
            let unit = try #require(
                try await Self.warning(platform.db, rule: .ww04, project: project.id!, month: Self.lastMonth))
            #expect(unit.summary.contains("1 名工人未足额发放"))
            let missing = try await Self.warnings(platform.db, rule: .ww05, project: project.id!, month: Self.lastMonth)
            #expect(!missing.isEmpty && !missing.contains { $0.workerID == zhang.id })
            #expect(missing.allSatisfy { $0.summary.contains("出勤") && $0.summary.contains("没有该月的工资记录") })

            // The bank reports the line paid: WW-06 resolves itself; the others stay.
            lines[0].paidFen = 700_000
            lines[0].status = "paid"
            try await lines[0].update(on: platform.db)
            let second = try await platform.services.warnings.run(trigger: .manual, now: Self.later)
            #expect(second.resolved >= 2, "WW-06 for the worker and WW-04 for the unit")
            let paid = try #require(try await WageWarningModel.find(short.id, on: platform.db))
            #expect(paid.status == "resolved" && paid.resolution == "原因已消除：该月工资已足额发放")
            #expect(try await WageWarningModel.find(missing[0].id, on: platform.db)?.status == "open")
        }
    }

    // MARK: People's actions

    @Test("acknowledge with a note, dismissal needs a reason, both stay through later runs and are audited")
    func acknowledgeAndDismiss() async throws {
        try await TestPlatform.run(configure: Self.withoutWageHistory) { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectTwo)
            let gov = try await client.consoleLogin("gov", "cd_admin")
            _ = try await Self.runNow(client, as: gov)
            let warning = try #require(try await Self.warning(platform.db, rule: .ww10, project: project.id!))
            let path = "/corp/warnings/\(warning.id!)"

            // The contractor acknowledges.
            let corp = try await client.consoleLogin("corp", "sj_admin")
            var (status, page) = try await ProjectTests.submit(
                client, path + "/acknowledge", ["note": "已安排陈刚任劳资专管员，本周内登记"], as: corp)
            #expect(status == .ok && page.contains("已标记为已知悉"))
            #expect(try await WageWarningModel.find(warning.id, on: platform.db)?.status == "acknowledged")
            (status, _) = try await ProjectTests.submit(client, path + "/dismiss", ["reason": "不是"], as: corp)
            #expect(status == .notFound, "enterprises cannot dismiss")

            // A regulator dismisses: refused without a reason, accepted with one.
            let govPath = "/gov/warnings/\(warning.id!)"
            (status, page) = try await ProjectTests.submit(client, govPath + "/dismiss", ["reason": "  "], as: gov)
            #expect(status == .unprocessableContent && page.contains("WARNING_DISMISS_REASON_REQUIRED"))
            #expect(page.contains("驳回预警须填写理由"))
            #expect(try await WageWarningModel.find(warning.id, on: platform.db)?.status == "acknowledged")
            (status, page) = try await ProjectTests.submit(
                client, govPath + "/dismiss", ["reason": "项目已停工待复工，现场核实无人员作业"], as: gov)
            #expect(status == .ok && page.contains("已驳回"))
            let seenBefore = try #require(try await WageWarningModel.find(warning.id, on: platform.db)).lastSeenAt

            // The cause persists: the next run keeps it dismissed and only notes it was seen.
            _ = try await platform.services.warnings.run(trigger: .manual, now: Date().addingTimeInterval(60))
            let after = try #require(try await WageWarningModel.find(warning.id, on: platform.db))
            #expect(after.status == "dismissed" && after.lastSeenAt > seenBefore)
            #expect(after.handlingNote == "项目已停工待复工，现场核实无人员作业")
            let actions = try await platform.services.warnings.history(of: warning.id!).map(\.action)
            #expect(actions == ["warning.acknowledged", "warning.dismissed"])
            (status, page) = try await client.page(govPath, as: gov)
            #expect(page.contains("驳回预警") && page.contains("预警已知悉") && page.contains("已安排陈刚任劳资专管员"))
        }
    }

    // MARK: Reach

    @Test("a regulator outside the division neither lists nor opens the warning; enterprises see their own")
    func reach() async throws {
        try await TestPlatform.run(configure: Self.withoutWageHistory) { client, platform in
            let wuhou = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectTwo)
            _ = try await platform.services.warnings.run(trigger: .manual)
            let warning = try #require(try await Self.warning(platform.db, rule: .ww01, project: wuhou.id!))

            let mianyang = try await client.consoleLogin("gov", "my_admin")
            var (status, page) = try await client.page("/gov/warnings/\(warning.id!)", as: mianyang)
            #expect(status == .notFound)
            (_, page) = try await client.page("/gov/warnings?status=all", as: mianyang)
            #expect(!page.contains(wuhou.name))
            (status, page) = try await client.page("/gov/warnings?division=510107", as: mianyang)
            #expect(status == .badRequest && page.contains("WARNING_FILTER_DIVISION") && page.contains("不在您的监管范围内"))
            let jinjiang = try await client.consoleLogin("gov", "jj_inspector")
            (status, _) = try await client.page("/gov/warnings/\(warning.id!)", as: jinjiang)
            #expect(status == .notFound)
            let chengdu = try await client.consoleLogin("gov", "cd_admin")
            (status, page) = try await client.page("/gov/warnings?division=510107&rule=WW-01", as: chengdu)
            #expect(status == .ok && page.contains(wuhou.name))

            // Enterprises: the contractor sees it, the Mianyang contractor does not, and may not act on it.
            let shujian = try await client.consoleLogin("corp", "sj_admin")
            (status, page) = try await client.page("/corp/warnings?rule=WW-01", as: shujian)
            #expect(status == .ok && page.contains(wuhou.name))
            let fucheng = try await client.consoleLogin("corp", "fc_admin")
            (status, _) = try await client.page("/corp/warnings/\(warning.id!)", as: fucheng)
            #expect(status == .notFound)
            (status, _) = try await ProjectTests.submit(
                client, "/corp/warnings/\(warning.id!)/acknowledge", ["note": ""], as: fucheng)
            #expect(status == .notFound)
        }
    }

    @Test("the worker's phone shows warnings about their own pay only, in large type")
    func workerSeesOwn() async throws {
        try await TestPlatform.run(configure: Self.withoutWageHistory) { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            let zhang = try #require(try await WorkerModel.query(on: platform.db).filter(\.$name == "张建国").first())
            let phone = try await client.consoleLogin("m", "worker_zhang")
            var (status, page) = try await client.page("/m/warnings", as: phone)
            #expect(status == .ok && page.contains("没有需要处理的工资问题"))

            _ = try await Self.payroll(
                platform.db, project: project, month: Self.lastMonth, lines: [(zhang, 650_000, 150_000)])
            _ = try await platform.services.warnings.run(trigger: .manual, now: Self.later)
            let others = try await WageWarningModel.query(on: platform.db).filter(\.$ruleID == "WW-05")
                .filter(\.$workerID != zhang.id).all()
            #expect(!others.isEmpty)
            (status, page) = try await client.page("/m/warnings", as: phone)
            #expect(status == .ok && page.contains("实发工资少于应发工资") && page.contains("尚欠 5,000.00 元"))
            #expect(page.contains("<body class=\"mobile") && page.contains("12333"))
            for other in others { #expect(!page.contains(other.summary)) }
            #expect(!page.contains("未按时开设农民工工资专用账户"), "project warnings are not the worker's")
            let own = try #require(
                try await Self.warning(platform.db, rule: .ww06, project: project.id!, worker: zhang.id))
            (status, _) = try await client.page("/m/warnings/\(own.id!)", as: phone)
            #expect(status == .notFound, "the phone has no console detail page")
        }
    }

    // MARK: Bad input, the lease, the schedule

    @Test("bad filters are refused with a code and Chinese words, never a 500")
    func badFilters() async throws {
        try await TestPlatform.run(configure: Self.withoutWageHistory) { client, _ in
            let gov = try await client.consoleLogin("gov", "cd_admin")
            for (query, code) in [
                ("rule=WW-99", "WARNING_FILTER_RULE"), ("status=late", "WARNING_FILTER_STATUS"),
                ("division=5101", "WARNING_FILTER_DIVISION"), ("division=510703", "WARNING_FILTER_DIVISION"),
            ] {
                let (status, page) = try await client.page("/gov/warnings?\(query)", as: gov)
                #expect(status == .badRequest && page.contains(code), "\(query)")
            }
            let (badPage, refusal) = try await client.page("/gov/warnings?page=abc", as: gov)
            #expect(badPage == .badRequest && refusal.contains("页码应为 1 到 10000 之间的整数"))
            let (status, page) = try await client.page("/gov/warnings?project=%E4%B8%8D%E5%AD%98%E5%9C%A8", as: gov)
            #expect(status == .ok && page.contains("没有符合条件的预警"))
            let (missing, _) = try await client.page("/gov/warnings/not-a-uuid", as: gov)
            #expect(missing == .notFound)
            let (home, homePage) = try await client.page("/gov", as: gov)
            #expect(home == .ok && homePage.contains("工资预警"))
        }
    }

    @Test("one run at a time: a second claim waits for the lease; a dead run's lease is taken over")
    func lease() async throws {
        try await TestPlatform.run(configure: Self.withoutWageHistory) { _, platform in
            let warnings = platform.services.warnings
            let held = try #require(try await warnings.claim(trigger: .manual, by: nil, minimumGap: nil))
            #expect(try await warnings.claim(trigger: .manual, by: nil, minimumGap: nil) == nil)
            let other = try makeWarningService(
                platform.services.configuration, database: platform.services.database, logger: TestDatabase.quietLogger)
            let skipped = try await other.run(trigger: .manual)
            #expect(skipped.skipped?.contains("另一个预警运行正在进行") == true)

            held.startedAt = Date().addingTimeInterval(-3 * 3600)
            try await held.update(on: platform.db)
            let taken = try await other.run(trigger: .manual)
            #expect(taken.skipped == nil && taken.projects == 3)
            let dead = try #require(try await WarningRunModel.find(held.id, on: platform.db))
            #expect(dead.status == "failed" && dead.message?.contains("视为中断") == true)

            // The schedule's minimum gap: right after a finished run, a scheduled one is not due.
            #expect(try await warnings.run(trigger: .schedule, minimumGap: 3600).skipped != nil)
        }
    }

    static func scheduleAtOnce(_ configuration: inout SiteRollConfiguration) {
        configuration.warningIntervalMinutes = 60
        configuration.warningStartDelaySeconds = 0
    }

    @Test("the scheduler runs by itself after its start delay")
    func scheduler() async throws {
        try await TestPlatform.run(configure: Self.scheduleAtOnce) { _, platform in
            var run: WarningRunModel?
            // Polled for up to five minutes: the whole suite shares two cores (with the route test,
            // or a build beside it, the first attempt may wait minutes), and a run that met the demo
            // seeding's long transactions on SQLite's one connection is retried after 30 s.
            for _ in 0..<1_500 {
                run = try await WarningRunModel.query(on: platform.db).filter(\.$status == "finished").first()
                if run != nil { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            // It may run before the demo data are in; that it ran, claimed and finished is the point.
            #expect(run?.trigger == "schedule" && run?.rulesVersion == WarningCatalogue.version)
            #expect(try await AuditEventModel.query(on: platform.db).filter(\.$action == "warning.run").count() == 1)
        }
    }

    @Test("two processes on one PostgreSQL: concurrent runs evaluate once", .enabled(if: TestDatabase.isPostgres))
    func twoProcesses() async throws {
        try await TestPlatform.run(configure: Self.withoutWageHistory) { _, platform in
            let configuration = TestPlatform.configuration(location: platform.location, demo: true)
            let second = try DatabaseService(
                location: platform.location, logger: TestDatabase.quietLogger, connectionsPerLoop: 1)
            do {
                let a = platform.services.warnings
                let b = try makeWarningService(configuration, database: second, logger: TestDatabase.quietLogger)
                async let first = a.run(trigger: .schedule, minimumGap: 3600)
                async let other = b.run(trigger: .schedule, minimumGap: 3600)
                let outcomes = try await [first, other]
                #expect(outcomes.filter { $0.skipped == nil }.count == 1)
                #expect(try await WarningRunModel.query(on: platform.db).count() == 1)
            } catch {
                await second.shutdown()
                throw error
            }
            await second.shutdown()
        }
    }

    @Test("configuration: warning thresholds and overrides are read, bad ones listed in Chinese")
    func configuration() throws {
        var configuration = SiteRollConfiguration()
        configuration.warningDivisionOverrides = "510100:pay-day=8;510700:WW-14=off"
        configuration.warningSettings["manager-absence-days"] = "4"
        let book = try configuration.warningPolicies()
        #expect(book.policy(for: DivisionCode("510104")).payDay == 8)
        #expect(book.policy(for: DivisionCode("510104")).managerAbsenceDays == 4)
        #expect(!book.policy(for: DivisionCode("510703")).isEnabled(.ww14))
        configuration.warningDivisionOverrides = "510100:payday=8"
        #expect(throws: WarningPolicyError.unknownSetting("payday")) { try configuration.warningPolicies() }
    }
}
