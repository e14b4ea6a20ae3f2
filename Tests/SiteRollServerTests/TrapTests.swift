import FluentKit
import FluentSQL
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 12 item 1 (S1, S4): the eight requests that stopped the whole server, each sent again.
/// Each must be refused with a Chinese message and a stable code, the server must still answer,
/// and where the old code stored a value that trapped on every later read, a page reading such a
/// value (written straight into the database, as the old code left it) must still render.
@Suite("Reliability: requests that stopped the server")
struct TrapTests {
    static func stillServing(_ client: some TestClientProtocol) async throws {
        try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
    }

    @Test("1: a month of year 0 or 10000 on the attendance tab is a 400 in Chinese, not a trap")
    func attendanceMonth() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            for (audience, user) in [("gov", "jj_inspector"), ("corp", "sj_labour")] {
                let session = try await client.consoleLogin(audience, user)
                for month in ["0-01", "10000-01", "2026-13", "9999-12", "-1", "２０２６-01"] {
                    let (status, page) = try await client.page(
                        "/\(audience)/projects/\(project.id!)/attendance?month=\(month.formEncoded)", as: session)
                    #expect(status == .badRequest && page.contains("MONTH_INVALID"), "\(month)")
                    #expect(page.contains("月份应为 2000 年到 2100 年之间的月份"))
                }
                let (ok, _) = try await client.page(
                    "/\(audience)/projects/\(project.id!)/attendance?month=2100-12", as: session)
                #expect(ok == .ok)
            }
            try await Self.stillServing(client)
        }
    }

    @Test("2: the reconciliation of December 9999 is refused; the last month people may ask for works")
    func reconciliationMonth() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let base = "/corp/projects/\(project.id!)/wages/reconciliation"
            var (status, page) = try await client.page(base + "?month=9999-12", as: corp)
            #expect(status == .badRequest && page.contains("MONTH_INVALID"))
            (status, page) = try await client.page(base + "?month=2100-12", as: corp)
            #expect(status == .ok && page.contains("2100年12月工资对账"))
            (status, _) = try await client.page(
                "/corp/projects/\(project.id!)/payrolls/ledger?from=0001-01&to=9999-12", as: corp)
            #expect(status == .badRequest)
            try await Self.stillServing(client)
        }
    }

    @Test("3: an entry date of year 1, on the form and in a roster row, is refused before any date arithmetic")
    func entryDate() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = ProjectTests.Fixture(db: platform.db)
            let project = try await fixture.project(ProjectTests.projectOne)
            let team = try await fixture.team(of: project)
            let worker = try await fixture.newcomer(to: project)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            for date in ["0001-01-01", "9999-12-31", "1899-12-31"] {
                let (status, page) = try await ProjectTests.enter(
                    client, project: project, team: team, worker: worker, date: LocalDate(date)!, as: corp)
                #expect(status == .unprocessableContent && page.contains("1900 年到 2100 年之间的日期"), "\(date)")
            }
            // A worker the roster would take (contract and training in place), dated in year 1.
            let labour = try await fixture.unit(of: project, type: "006")
            _ = try await ProjectTests.signContract(client, project: project, unit: labour, worker: worker, as: corp)
            _ = try await ProjectTests.train(client, project: project, workers: [worker], as: corp)
            let number = try platform.services.cipher.open(worker.idNumberCipher)
            let csv = """
                姓名,身份证号,班组名称,工种,工人类型,是否班组长,进场日期,考勤卡号
                \(worker.name),\(number),导入新班,钢筋工,建筑工人,否,0001-01-01,
                """
            let csrf = try await client.csrf(of: "/corp", as: corp)
            let (status, page) = try await client.postMultipart(
                "/corp/projects/\(project.id!)/import", fields: ["_csrf": csrf, "unitID": labour.id!.uuidString],
                files: ["file": ("roster.csv", "text/csv", Data(csv.utf8))], as: corp)
            #expect(status == .ok && page.contains("未导入 1 行") && page.contains("1900 年到 2100 年之间的日期"))
            #expect(
                try await ProjectWorkerModel.query(on: platform.db).filter(\.$workerID == worker.id!).count() == 0)
            try await Self.stillServing(client)
        }
    }

    @Test("4: a phone punch from year 1 sent in year 9999 is refused; no punch is stored")
    func phoneClock() async throws {
        try await TestPlatform.run { client, platform in
            let phone = try await AttendanceTests.phone(client, platform)
            let before = try await AttendancePunchModel.query(on: platform.db).count()
            let csrf = try await client.csrf(of: "/m/punch", as: phone.session)
            for (press, sent) in [
                ("0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z"), ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"),
                ("2026-03-01T08:00:00Z", "1e308"),
            ] {
                let (status, body) = try await client.post(
                    "/m/punches",
                    form: [
                        "_csrf": csrf, "clientEventId": UUID().uuidString, "projectId": phone.project.id!.uuidString,
                        "direction": "in", "latitude": "30.657", "longitude": "104.066", "accuracy": "10",
                        "clientTime": press, "clientSentTime": sent, "deviceId": AttendanceTests.demoPhone,
                    ], as: phone.session)
                #expect(status == .badRequest && body.contains("PUNCH_TIME_INVALID") && body.contains("手机时间不正确"))
            }
            for (latitude, accuracy) in [("nan", "10"), ("inf", "10"), ("30.657", "1e308"), ("0x1p3", "10")] {
                let (status, body) = try await client.post(
                    "/m/punches",
                    form: [
                        "_csrf": csrf, "clientEventId": UUID().uuidString, "projectId": phone.project.id!.uuidString,
                        "direction": "in", "latitude": latitude, "longitude": "104.066", "accuracy": accuracy,
                        "clientTime": AttendanceTests.iso(Date()), "deviceId": AttendanceTests.demoPhone,
                    ], as: phone.session)
                #expect(status == .badRequest && body.contains("PUNCH_INVALID"), "\(latitude) \(accuracy)")
            }
            #expect(try await AttendancePunchModel.query(on: platform.db).count() == before)
            try await Self.stillServing(client)
        }
    }

    @Test("5: project dates of 9999-12-31 are refused; such dates stored earlier no longer stop a warning run")
    func projectDates() async throws {
        try await TestPlatform.run { client, platform in
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (status, page) = try await ProjectTests.submit(
                client, "/corp/projects",
                [
                    "name": "远期项目", "category": "01", "status": "003", "divisionCode": "510104", "address": "锦江区",
                    "startDate": "9999-12-31", "completionDate": "9999-12-31", "geofence": "30.657,104.066,300",
                ], as: corp)
            #expect(status == .unprocessableContent && page.contains("1900 年到 2100 年之间的日期"))
            // As the old code left it: a project whose dates lie at the end of the calendar.
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectTwo)
            project.startDate = "9999-12-31"
            project.completionDate = "9999-12-31"
            project.contractSignedOn = "9999-12-31"
            try await project.update(on: platform.db)
            let gov = try await client.consoleLogin("gov", "cd_admin")
            for _ in 1...2 {
                let (ran, board) = try await ProjectTests.submit(client, "/gov/warnings/run", [:], as: gov)
                #expect(ran == .ok && !board.contains("WARNING_RUN_BUSY"), "the lease was released after the first run")
            }
            let (ok, _) = try await client.page("/gov/projects/\(project.id!)", as: gov)
            #expect(ok == .ok)
            try await Self.stillServing(client)
        }
    }

    @Test("6 and 7: NaN, infinite and overflowing quantities are refused; sums of amounts stored earlier do not trap")
    func payrollAmounts() async throws {
        try await TestPlatform.run { client, platform in
            let setup = try await PayrollTests.setup(client, platform)
            let payroll = try await PayrollTests.generate(client, platform, setup)
            let base = "\(setup.root)/\(payroll.id!)"
            let lines = try await PayrollLineModel.query(on: platform.db).filter(\.$payrollID == payroll.id!).all()
            let (first, second) = (lines[0], lines[1])
            for quantity in ["nan", "inf", "-inf", "1e308", "0x10", "１２"] {
                let (status, page) = try await ProjectTests.submit(
                    client, base + "/lines/\(first.id!)", ["quantity": quantity], as: setup.corp)
                #expect(status == .unprocessableContent && page.contains("计件数量应为 0 到 1000000 之间的数字"), "\(quantity)")
            }
            // A piece rate × a quantity beyond what any worker earns in a month.
            first.wageBasis = "piece"
            first.rateFen = 1_000_000
            try await first.update(on: platform.db)
            var (status, page) = try await ProjectTests.submit(
                client, base + "/lines/\(first.id!)", ["quantity": "1000000"], as: setup.corp)
            #expect(status == .unprocessableContent && page.contains("PAYROLL_AMOUNT_OUT_OF_RANGE"))
            (status, page) = try await ProjectTests.submit(
                client, base + "/lines/\(first.id!)", ["gross": "50000000000"], as: setup.corp)
            #expect(status == .unprocessableContent && page.contains("应发金额应为 0 到 1,000,000.00 元之间的金额"))
            // As the old code could leave them: two lines of 50 000 000 000 × 1 000 000 fen each.
            for line in [first, second] {
                line.grossFen = Int64.max / 2 + 1
                line.dueFen = Int64.max / 2 + 1
                try await line.update(on: platform.db)
            }
            for uri in [base, "\(setup.root)", "/corp/projects/\(setup.project.id!)/payrolls/ledger"] {
                let (shown, _) = try await client.page(uri, as: setup.corp)
                #expect(shown == .ok, "\(uri)")
            }
            (status, page) = try await ProjectTests.submit(
                client, "/corp/projects/\(setup.project.id!)/wages/reconciliation?month=\(thisMonth)", [:],
                as: setup.corp)
            (status, page) = try await client.page(
                "/corp/projects/\(setup.project.id!)/wages/reconciliation?month=\(thisMonth)", as: setup.corp)
            #expect(status == .ok)
            (status, page) = try await ProjectTests.submit(client, base + "/submit", [:], as: setup.corp)
            #expect(status == .unprocessableContent && page.contains("PAYROLL_AMOUNT_OUT_OF_RANGE"))
            try await Self.stillServing(client)
        }
    }

    @Test("8: a correction to -20000000:00 is refused; a punch stored in year -257 does not stop the sheets")
    func correctionTime() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            let original = try #require(
                try await AttendancePunchModel.query(on: platform.db).filter(\.$projectID == project.id!)
                    .filter(\.$source == "device").sort(\.$punchedAt, .descending).first())
            let corp = try await client.consoleLogin("corp", "sj_labour")
            let uri = "/corp/projects/\(project.id!)/attendance/punches/\(original.id!)/correct"
            for time in ["-20000000:00", "24:00", "12:60", "99999999999999999999:00", "１２:００"] {
                let (status, page) = try await ProjectTests.submit(
                    client, uri, ["direction": "out", "time": time, "reason": "测试"], as: corp)
                #expect(status == .unprocessableContent && page.contains("CORRECTION_INVALID"), "\(time)")
            }
            // As the old code left it: a punch in year -257 on a day people open.
            let other = try #require(
                try await AttendancePunchModel.query(on: platform.db).filter(\.$projectID == project.id!)
                    .filter(\.$localDate == original.localDate).filter(\.$id != original.id!).first())
            other.punchedAt = Date(timeIntervalSince1970: -70_000_000_000)
            try await other.update(on: platform.db)
            let month = String(original.localDate.prefix(7))
            for uri in [
                "/corp/projects/\(project.id!)/attendance?date=\(original.localDate)&month=\(month)",
                "/corp/projects/\(project.id!)/attendance/day?worker=\(other.workerID)&date=\(original.localDate)",
            ] {
                let (status, _) = try await client.page(uri, as: corp)
                #expect(status == .ok, "\(uri)")
            }
            try await Self.stillServing(client)
        }
    }

    @Test(
        "NUL characters, which PostgreSQL cannot store in text, are refused in forms and JSON and dropped from searches"
    )
    func nulCharacters() async throws {
        try await TestPlatform.run { client, _ in
            try await client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"sj_admin\u0000","password":"x"}"#)
            ) { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("CONTROL_CHARACTER"))
            }
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (status, page) = try await ProjectTests.submit(
                client, "/corp/projects", ["name": "项目\u{0}名称"], as: corp)
            #expect(status == .badRequest && page.contains("控制字符"))
            let (searched, _) = try await client.page("/corp/projects?q=%00", as: corp)
            #expect(searched == .ok)
            try await Self.stillServing(client)
        }
    }
}
