import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 6: payrolls from attendance × contract, validation before submission, import, the wage
/// ledger, the agency agreement, the worker's answer on the phone and the reconciliation, through
/// the real router on both databases (G4, E4, M4, W1, W2, W4, W12).
/// A month the demo's attendance fills: this one, or the last one in a month's first days.
let thisMonth = PayMonth(containing: ProjectService.today().nearAdding(days: -5))

@Suite("Payroll")
struct PayrollTests {

    struct Setup {
        var project: ProjectModel
        var unit: ProjectUnitModel
        var corp: ConsoleSession
        var root: String
    }

    static func setup(
        _ client: some TestClientProtocol, _ platform: TestPlatform, project name: String = ProjectTests.projectOne
    ) async throws -> Setup {
        let fixture = ProjectTests.Fixture(db: platform.db)
        let project = try await fixture.project(name)
        let unit = try await fixture.unit(of: project, type: "006")
        let corp = try await client.consoleLogin("corp", "sj_labour")
        return Setup(project: project, unit: unit, corp: corp, root: "/corp/projects/\(project.id!)/payrolls")
    }

    /// Generates this month's payroll for the labour subcontractor and returns it.
    static func generate(_ client: some TestClientProtocol, _ platform: TestPlatform, _ setup: Setup) async throws
        -> PayrollModel
    {
        let (status, _) = try await ProjectTests.submit(
            client, setup.root, ["unitID": setup.unit.id!.uuidString, "month": thisMonth.description], as: setup.corp)
        #expect(status == .ok)
        return try #require(
            try await PayrollModel.query(on: platform.db).filter(\.$unitID == setup.unit.id!)
                .filter(\.$payMonth == thisMonth.description).first())
    }

    /// Uploads the signed table and registers a card for every line that has none.
    static func complete(
        _ client: some TestClientProtocol, _ platform: TestPlatform, _ setup: Setup, _ payroll: PayrollModel
    ) async throws {
        let base = "\(setup.root)/\(payroll.id!)"
        let csrf = try await client.csrf(of: "/corp", as: setup.corp)
        let (status, page) = try await client.postMultipart(
            base + "/scan", fields: ["_csrf": csrf], files: ["scan": ("工资表.pdf", "application/pdf", ProjectTests.pdf)],
            as: setup.corp)
        #expect(status == .ok && page.contains("签字工资表已上传"))
        for (index, line) in try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!).all()
            .enumerated() where line.cardID == nil
        {
            let name = try #require(try await WorkerModel.find(line.workerID, on: platform.db)).name
            let (status, page) = try await ProjectTests.submit(
                client, base + "/cards/\(line.workerID)",
                [
                    "bankCode": "102", "holderName": name,
                    "number": "622202040200\(String(format: "%07d", 1000 + index))",
                ],
                as: setup.corp)
            #expect(status == .ok && page.contains("已登记"), "\(page.prefix(0))")
        }
    }

    @Test("G4: a draft is computed from the month's man-days × each contract's rate, in fen")
    func generateFromAttendance() async throws {
        try await TestPlatform.run { client, platform in
            let setup = try await Self.setup(client, platform)
            let payroll = try await Self.generate(client, platform, setup)
            #expect(payroll.status == "draft" && payroll.source == "generated" && payroll.code.hasPrefix("GZ"))
            let lines = try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!).all()
            #expect(lines.count >= 5)
            let sheet = try await platform.services.attendance.monthSheet(
                project: setup.project.id!, year: thisMonth.year, month: thisMonth.month, unit: setup.unit.id!)
            var expectedDays: [UUID: Double] = [:]
            for row in sheet.sheet.rows { expectedDays[sheet.people[row.key]!.workerID, default: 0] += row.total }
            var sawDay = false
            var sawMonth = false
            for line in lines {
                let contract = try #require(
                    try await LabourContractModel.query(on: platform.db).filter(\.$workerID == line.workerID)
                        .filter(\.$unitID == setup.unit.id!).first())
                #expect(line.manDays == expectedDays[line.workerID])
                #expect(line.rateFen == contract.rateFen && line.wageBasis == contract.wageBasis)
                if contract.wageBasis == "day" {
                    sawDay = true
                    #expect(line.grossFen == Int64((Double(contract.rateFen) * line.manDays).rounded()))
                } else {
                    sawMonth = true
                    let share = min(line.manDays / 21.75, 1)
                    #expect(line.grossFen == Int64((Double(contract.rateFen) * share).rounded()))
                }
                #expect(line.dueFen == line.grossFen && line.paidFen == 0 && line.status == "unpaid")
            }
            #expect(sawDay && sawMonth, "the demo crew has day and month contracts")

            // One payroll per scope and month; the future is refused.
            var (status, page) = try await ProjectTests.submit(
                client, setup.root, ["unitID": setup.unit.id!.uuidString, "month": thisMonth.description],
                as: setup.corp)
            #expect(status == .conflict && page.contains("PAYROLL_EXISTS"))
            (status, page) = try await ProjectTests.submit(
                client, setup.root,
                ["unitID": setup.unit.id!.uuidString, "month": thisMonth.nearAdding(months: 1).description],
                as: setup.corp)
            #expect(status == .badRequest && page.contains("PAYROLL_MONTH_FUTURE"))
            (status, page) = try await ProjectTests.submit(
                client, setup.root, ["unitID": setup.unit.id!.uuidString, "month": "2026-13"], as: setup.corp)
            #expect(status == .badRequest && page.contains("PAYROLL_MONTH_INVALID"))
            let (_, list) = try await client.page(setup.root, as: setup.corp)
            #expect(list.contains(thisMonth.description) && list.contains("草稿"))

            // A team's own payroll for the same month would pay its workers twice: blocked.
            let team = try #require(
                try await TeamModel.query(on: platform.db).filter(\.$unitID == setup.unit.id!).first())
            (status, _) = try await ProjectTests.submit(
                client, setup.root,
                ["unitID": setup.unit.id!.uuidString, "teamID": team.id!.uuidString, "month": thisMonth.description],
                as: setup.corp)
            #expect(status == .ok)
            let teamPayroll = try #require(
                try await PayrollModel.query(on: platform.db).filter(\.$teamID == team.id!).first())
            (_, page) = try await client.page("\(setup.root)/\(teamPayroll.id!)", as: setup.corp)
            #expect(page.contains("PAYROLL_WORKER_PAID_ELSEWHERE") && page.contains("全部班组") == false)
        }
    }

    @Test("W1, W2, W12: blocking findings block; overridable ones need a written reason, kept in the audit")
    func validationBeforeSubmission() async throws {
        try await TestPlatform.run { client, platform in
            let setup = try await Self.setup(client, platform)
            let payroll = try await Self.generate(client, platform, setup)
            let base = "\(setup.root)/\(payroll.id!)"
            var (status, page) = try await ProjectTests.submit(client, base + "/submit", [:], as: setup.corp)
            #expect(status == .unprocessableContent && page.contains("PAYROLL_BLOCKED"))
            #expect(page.contains("尚未上传经工人签字确认的工资表扫描件"))
            try await Self.complete(client, platform, setup, payroll)

            var lines = try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!).all()
                .filter { $0.wageBasis == "day" && $0.manDays > 0 }.sorted {
                    $0.workerID.uuidString < $1.workerID.uuidString
                }
            let cut = lines[0]
            // A deduction needs its reason; below the contract is allowed with a reason.
            (status, page) = try await ProjectTests.submit(
                client, base + "/lines/\(cut.id!)", ["gross": Money.plain(cut.grossFen), "deduction": "50"],
                as: setup.corp)
            #expect(status == .unprocessableContent && page.contains("须写明扣款事由"))
            (status, page) = try await ProjectTests.submit(
                client, base + "/lines/\(cut.id!)",
                ["gross": Money.plain(cut.grossFen - 10_000), "deduction": "50", "deductionReason": "损坏工具赔偿"],
                as: setup.corp)
            #expect(status == .ok && page.contains("已保存修改"))
            let edited = try #require(try await PayrollLineModel.find(cut.id!, on: platform.db))
            #expect(edited.grossFen == cut.grossFen - 10_000 && edited.dueFen == cut.grossFen - 15_000)

            // Two workers on one card: blocked until fixed (W1).
            let other = lines[1]
            let shared = try await platform.services.wages.cards.activeCards(of: [cut.workerID])[cut.workerID]!
            let sharedNumber = try platform.services.cipher.open(shared.numberCipher)
            let otherName = try #require(try await WorkerModel.find(other.workerID, on: platform.db)).name
            (status, page) = try await ProjectTests.submit(
                client, base + "/cards/\(other.workerID)",
                ["bankCode": "102", "holderName": otherName, "number": sharedNumber], as: setup.corp)
            #expect(status == .ok)
            (status, page) = try await ProjectTests.submit(client, base + "/submit", [:], as: setup.corp)
            #expect(status == .unprocessableContent && page.contains("PAYROLL_CARD_SHARED"))
            // A card held in someone else's name is not the worker's own.
            (status, page) = try await ProjectTests.submit(
                client, base + "/cards/\(other.workerID)",
                ["bankCode": "103", "holderName": "王包工", "number": "6228480402564890018"], as: setup.corp)
            (_, page) = try await client.page(base, as: setup.corp)
            #expect(page.contains("PAYROLL_CARD_NOT_OWN") && !page.contains("PAYROLL_CARD_SHARED"))
            (status, page) = try await ProjectTests.submit(
                client, base + "/cards/\(other.workerID)",
                ["bankCode": "103", "holderName": otherName, "number": "6228480402564890026"], as: setup.corp)

            // A worker with attendance and no line is overridable.
            lines = try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!).all()
            let dropped = try #require(lines.first { $0.manDays > 0 && $0.id != cut.id && $0.id != other.id })
            (status, _) = try await ProjectTests.submit(
                client, base + "/lines/\(dropped.id!)/remove", [:], as: setup.corp)
            (status, page) = try await ProjectTests.submit(client, base + "/submit", [:], as: setup.corp)
            #expect(status == .unprocessableContent && page.contains("PAYROLL_OVERRIDE_REASON"))
            #expect(page.contains("PAYROLL_BELOW_CONTRACT") && page.contains("PAYROLL_WORKER_MISSING"))
            let reasons = [
                "override.PAYROLL_BELOW_CONTRACT:\(cut.workerID.uuidString)": "本月有两天半天工，按实际工时计发",
                "override.PAYROLL_WORKER_MISSING:\(dropped.workerID.uuidString)": "该工人已离场，工资另行结清",
            ]
            (status, page) = try await ProjectTests.submit(client, base + "/submit", reasons, as: setup.corp)
            #expect(status == .ok && page.contains("工资表已提交"), "\(page)")
            let submitted = try #require(try await PayrollModel.find(payroll.id!, on: platform.db))
            #expect(submitted.status == "submitted" && submitted.overrides?.contains("该工人已离场") == true)
            let event = try #require(
                try await AuditEventModel.query(on: platform.db).filter(\.$action == "payroll.submitted")
                    .filter(\.$entityID == payroll.id!.uuidString).first())
            #expect(event.summary.contains("2 项经说明理由后提交"))
            (_, page) = try await client.page(base, as: setup.corp)
            #expect(page.contains("该工人已离场，工资另行结清") && page.contains("已提交待代发"))
            // Submitted lines no longer change.
            (status, page) = try await ProjectTests.submit(
                client, base + "/lines/\(cut.id!)", ["gross": "1"], as: setup.corp)
            #expect(status == .conflict && page.contains("PAYROLL_NOT_DRAFT"))
        }
    }

    @Test("G4: a payroll imported from CSV keeps its good rows and names each refused row in Chinese")
    func importPayroll() async throws {
        try await TestPlatform.run { client, platform in
            let setup = try await Self.setup(client, platform)
            let entries = try await ProjectWorkerModel.query(on: platform.db).filter(\.$unitID == setup.unit.id!)
                .filter(\.$status == "active").all()
            let workers = try await WorkerModel.query(on: platform.db).filter(\.$id ~~ entries.map(\.workerID)).all()
                .sorted { $0.name < $1.name }
            let first = workers[0]
            let second = workers[1]
            let number = { (worker: WorkerModel) in try platform.services.cipher.open(worker.idNumberCipher) }
            let csv = """
                姓名,身份证号,出勤天数,应发金额,扣款,扣款事由,补发所属月份,工资卡号,开户银行代码,户名,备注
                \(first.name),\(try number(first)),20,6000.00,,,,6222020402009876543,102,\(first.name),
                \(second.name),\(try number(second)),21,6300,100,,,,,,
                \(second.name),110101199003071233,10,100,,,,,,,
                错名字,\(try number(first)),1,1,,,,,,,
                \(second.name),\(try number(second)),21,abc,,,,,,,
                """
            let csrf = try await client.csrf(of: "/corp", as: setup.corp)
            let (status, page) = try await client.postMultipart(
                setup.root + "/import",
                fields: ["_csrf": csrf, "unitID": setup.unit.id!.uuidString, "month": thisMonth.description],
                files: ["file": ("工资表.csv", "text/csv", Data(csv.utf8))], as: setup.corp)
            #expect(status == .ok && page.contains("1 行成功，4 行未导入"), "\(page)")
            #expect(page.contains("有扣款时须写明扣款事由") && page.contains("尚未在平台实名登记"))
            #expect(page.contains("姓名与平台登记的不一致") && page.contains("应发金额应为 0 到"))
            let payroll = try #require(
                try await PayrollModel.query(on: platform.db).filter(\.$source == "imported").first())
            let lines = try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!).all()
            #expect(lines.count == 1 && lines[0].dueFen == 600_000 && lines[0].manDays == 20)
            let card = try #require(try await WorkerBankCardModel.find(lines[0].cardID, on: platform.db))
            #expect(card.numberMasked == "6222 **** **** 6543" && card.workerID == first.id)
            // Garbage is a clear refusal, not a 500.
            let (garbageStatus, garbage) = try await client.postMultipart(
                setup.root + "/import",
                fields: [
                    "_csrf": csrf, "unitID": setup.unit.id!.uuidString,
                    "month": thisMonth.nearAdding(months: -1).description,
                ],
                files: ["file": ("x.xlsx", "application/octet-stream", Data([0, 1, 2, 3]))], as: setup.corp)
            #expect(garbageStatus == .unprocessableContent && garbage.contains("alert error"))
        }
    }

    @Test(
        "W4, M4: the wage ledger exports; the worker sees the month on the phone and objects, which files a complaint")
    func ledgerAndWorkerAnswer() async throws {
        try await TestPlatform.run { client, platform in
            let setup = try await Self.setup(client, platform)
            let payroll = try await Self.generate(client, platform, setup)
            try await Self.complete(client, platform, setup, payroll)
            let base = "\(setup.root)/\(payroll.id!)"
            var (_, page) = try await client.page(base, as: setup.corp)
            var overrides: [String: String] = [:]
            for key in page.components(separatedBy: "name=\"override.").dropFirst().map({ $0.prefix { $0 != "\"" } }) {
                overrides["override.\(key)"] = "按实际出勤核定"
            }
            var status: HTTPResponse.Status
            (status, page) = try await ProjectTests.submit(client, base + "/submit", overrides, as: setup.corp)
            #expect(status == .ok && page.contains("工资表已提交"), "\(page)")

            let zhang = try #require(try await WorkerModel.query(on: platform.db).filter(\.$name == "张建国").first())
            let line = try #require(
                try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!)
                    .filter(\.$workerID == zhang.id!).first())
            let (csvStatus, csv) = try await client.page(setup.root + "/ledger?format=csv", as: setup.corp)
            #expect(csvStatus == .ok && csv.contains("张建国") && csv.contains(Money.plain(line.dueFen)))
            #expect(!csv.contains(try platform.services.cipher.open(zhang.idNumberCipher)), "numbers stay masked")
            (status, page) = try await client.page(setup.root + "/ledger", as: setup.corp)
            #expect(status == .ok && page.contains("wage-ledger") && page.contains("张建国"))

            let phone = try await client.consoleLogin("m", "worker_zhang")
            (_, page) = try await client.page("/m/wages", as: phone)
            #expect(page.contains(thisMonth.chinese) && page.contains(Money.yuan(line.dueFen)) && page.contains("未发放"))
            (status, page) = try await ProjectTests.submit(
                client, "/m/wages/\(line.id!)", ["answer": "object", "text": ""], as: phone)
            #expect(status == .badRequest && page.contains("WAGE_OBJECTION_TEXT"))
            (status, page) = try await ProjectTests.submit(
                client, "/m/wages/\(line.id!)", ["answer": "object", "text": "少算了两天"], as: phone)
            #expect(status == .ok && page.contains("异议已提交给用工单位"))
            let complaint = try #require(try await ComplaintModel.query(on: platform.db).first())
            #expect(complaint.subjectID == line.id && complaint.category == "wage" && complaint.text == "少算了两天")
            #expect(complaint.unitID == setup.unit.id && complaint.status == "submitted")
            (status, page) = try await ProjectTests.submit(
                client, "/m/wages/\(line.id!)", ["answer": "confirm"], as: phone)
            #expect(status == .conflict && page.contains("WAGE_ALREADY_ANSWERED"))
            // Another worker's line is not reachable.
            let someone = try #require(
                try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!)
                    .filter(\.$workerID != zhang.id!).first())
            (status, _) = try await ProjectTests.submit(
                client, "/m/wages/\(someone.id!)", ["answer": "confirm"], as: phone)
            #expect(status == .notFound)
            (_, page) = try await client.page(base, as: setup.corp)
            #expect(page.contains("有异议"))
        }
    }

    @Test("E4: the agency agreement needs its scan; a project without one says so; regulators read, never write")
    func agencyAgreement() async throws {
        try await TestPlatform.run { client, platform in
            // 武侯 has no agreement in the demo (锦江 has one).
            let setup = try await Self.setup(client, platform, project: ProjectTests.projectTwo)
            let agreements = "/corp/projects/\(setup.project.id!)/wages/agreements"
            var (_, page) = try await client.page(setup.root, as: setup.corp)
            #expect(page.contains("NO_WAGE_AGREEMENT"))
            let csrf = try await client.csrf(of: "/corp", as: setup.corp)
            let fields = [
                "_csrf": csrf, "unitID": setup.unit.id!.uuidString, "agentName": setup.project.contractorName,
                "bankCode": "313", "signedOn": "2026-03-01", "validFrom": "2026-03-01",
            ]
            var status: HTTPResponse.Status
            (status, page) = try await client.postMultipart(agreements, fields: fields, files: [:], as: setup.corp)
            #expect(status == .unprocessableContent && page.contains("请上传代发协议"))
            (status, page) = try await client.postMultipart(
                agreements, fields: fields, files: ["scan": ("协议.pdf", "application/pdf", ProjectTests.pdf)],
                as: setup.corp)
            #expect(status == .ok && page.contains("工资代发协议已登记") && page.contains("城市商业银行"))
            (_, page) = try await client.page(setup.root, as: setup.corp)
            #expect(!page.contains("NO_WAGE_AGREEMENT"))
            let agreement = try #require(
                try await WageAgencyAgreementModel.query(on: platform.db).filter(\.$projectID == setup.project.id!)
                    .first())
            let (scanStatus, scan) = try await client.page("\(agreements)/\(agreement.id!)/scan", as: setup.corp)
            #expect(scanStatus == .ok && scan.hasPrefix("%PDF"))

            let gov = try await client.consoleLogin("gov", "cd_admin")
            (status, page) = try await client.page("/gov/projects/\(setup.project.id!)/wages/agreements", as: gov)
            #expect(status == .ok && page.contains("城市商业银行") && !page.contains("agreement-form"))
            (status, page) = try await client.page("/gov/projects/\(setup.project.id!)/payrolls", as: gov)
            #expect(status == .ok && !page.contains("payroll-generate"))
            // A regulator of another district does not reach the project's payrolls.
            let other = try await client.consoleLogin("gov", "jj_inspector")
            (status, _) = try await client.page("/gov/projects/\(setup.project.id!)/payrolls", as: other)
            #expect(status == .notFound)
        }
    }

    @Test("reconciliation: man-days × rate, the payroll and the bank, with each difference explained")
    func reconciliation() async throws {
        try await TestPlatform.run { client, platform in
            let setup = try await Self.setup(client, platform)
            let payroll = try await Self.generate(client, platform, setup)
            let line = try #require(
                try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!)
                    .filter(\.$wageBasis == "day").filter(\.$manDays > 0).first())
            _ = try await ProjectTests.submit(
                client, "\(setup.root)/\(payroll.id!)/lines/\(line.id!)",
                ["gross": Money.plain(line.grossFen), "deduction": "80", "deductionReason": "预支生活费"], as: setup.corp)
            let name = try #require(try await WorkerModel.find(line.workerID, on: platform.db)).name
            let (status, page) = try await client.page(
                "/corp/projects/\(setup.project.id!)/wages/reconciliation?month=\(thisMonth)", as: setup.corp)
            #expect(status == .ok && page.contains(name))
            #expect(page.contains("扣款 80.00 元：预支生活费") && page.contains("工资表尚未提交"))
            let result = try await platform.services.wages.reconciliation.reconcile(
                project: setup.project, month: thisMonth, units: nil)
            let row = try #require(result.rows.first { $0.workerID == line.workerID })
            #expect(row.contractualFen == line.grossFen && row.payrollDueFen == line.grossFen - 8_000)
            #expect(result.contractualFen >= result.payrollDueFen)
        }
    }
}

extension PayrollTests {
    static func withWageHistory(_ configuration: inout SiteRollConfiguration) {
        configuration.demoWages = true
    }

    @Test(
        "the demo's wage history: paid months, a month with a refused line, a project without an account, and the warnings"
    )
    func demoWageHistory() async throws {
        try await TestPlatform.run(configure: Self.withWageHistory) { client, platform in
            let db = platform.db
            let fixture = ProjectTests.Fixture(db: db)
            let jinjiang = try await fixture.project(ProjectTests.projectOne)
            let wuhou = try await fixture.project(ProjectTests.projectTwo)
            let months = (1...3).map {
                PayMonth(containing: ProjectService.today()).nearAdding(months: -$0).description
            }
            let payrolls = try await PayrollModel.query(on: db).filter(\.$projectID == jinjiang.id!)
                .filter(\.$payMonth ~~ months).sort(\.$payMonth).all()
            #expect(payrolls.map(\.status) == ["paid", "paid", "partly_paid"])
            let refused = try await PayrollLineModel.query(on: db).filter(\.$payrollID == payrolls[2].id!)
                .filter(\.$status == "failed").all()
            #expect(refused.count == 1 && refused[0].failureReason == "卡号有误")
            let debits = try await WageAccountTransactionModel.query(on: db).filter(\.$projectID == jinjiang.id!)
                .filter(\.$direction == "out").all()
            let paidLines = try await PayrollLineModel.query(on: db).filter(\.$projectID == jinjiang.id!)
                .filter(\.$status == "paid").all()
            #expect(debits.count == paidLines.count && debits.allSatisfy { $0.lineID != nil })
            #expect(
                try await PayrollModel.query(on: db).filter(\.$projectID == wuhou.id!).all().allSatisfy {
                    $0.status == "submitted"
                })
            let rules = Set(try await WageWarningModel.query(on: db).filter(\.$status == "open").all(\.$ruleID))
            #expect(rules.isSuperset(of: ["WW-01", "WW-04", "WW-06"]))
            // The reconciliation explains the refused line.
            let corp = try await client.consoleLogin("corp", "sj_labour")
            let (status, page) = try await client.page(
                "/corp/projects/\(jinjiang.id!)/wages/reconciliation?month=\(months[0])", as: corp)
            #expect(status == .ok && page.contains("代发失败") && page.contains("卡号有误"))
        }
    }
}
