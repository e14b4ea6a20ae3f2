import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import SiteRollSpreadsheets
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 4: projects and workforce through the real router and a real database (G2, E2, M5, M6,
/// G10; 建市〔2019〕18号 R2; 条例 arts. 26, 28, 34).
@Suite("Projects and workforce")
struct ProjectTests {
    static let today = LocalDate.today(in: ChineseFormat.timeZone)

    /// Demo fixtures looked up in the database, never hard-coded ids.
    struct Fixture {
        let db: any Database

        func project(_ name: String) async throws -> ProjectModel {
            try #require(try await ProjectModel.query(on: db).filter(\.$name == name).first())
        }

        func unit(of project: ProjectModel, type: String) async throws -> ProjectUnitModel {
            try #require(
                try await ProjectUnitModel.query(on: db).filter(\.$projectID == project.id!)
                    .filter(\.$participationType == type).first())
        }

        func team(of project: ProjectModel) async throws -> TeamModel {
            try #require(try await TeamModel.query(on: db).filter(\.$projectID == project.id!).sort(\.$sysNo).first())
        }

        /// A verified demo worker who has never been on `project` and needs no health certificate.
        func newcomer(to project: ProjectModel, skip: Int = 0) async throws -> WorkerModel {
            let present = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == project.id!).all(
                \.$workerID)
            // A newcomer has no entry on the project and no contract anywhere (the tests read contracts
            // by worker); the ID hash breaks ties in creation time, which PostgreSQL orders freely.
            let contracted = try await LabourContractModel.query(on: db).all(\.$workerID)
            let candidates = try await WorkerModel.query(on: db).filter(\.$verificationCode != nil).sort(\.$createdAt)
                .sort(\.$idNumberHMAC)
                .all()
                .filter {
                    !present.contains($0.id!) && !contracted.contains($0.id!) && $0.healthCertificateRequired != true
                        && $0.name != "张建国"
                }
            return candidates[skip]
        }
    }

    static func smallContractFiles(_ configuration: inout SiteRollConfiguration) {
        configuration.contractFileMaxKilobytes = 1
    }

    static func refuseUnitExit(_ configuration: inout SiteRollConfiguration) {
        configuration.unitExitPolicy = .refuse
    }

    static let projectTwo = "武侯区人民南路综合管廊工程"
    static let projectOne = "锦江区东大街安置房项目"
    static let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)

    /// Posts a console form with the page's CSRF token.
    static func submit(
        _ client: some TestClientProtocol, _ uri: String, _ form: [String: String], as session: ConsoleSession
    ) async throws -> (HTTPResponse.Status, String) {
        let csrf = try await client.csrf(of: "/\(session.audience)", as: session)
        return try await client.post(uri, form: form.merging(["_csrf": csrf]) { $1 }, as: session)
    }

    static func signContract(
        _ client: some TestClientProtocol, project: ProjectModel, unit: ProjectUnitModel, worker: WorkerModel,
        as session: ConsoleSession, file: (name: String, type: String, data: Data)? = nil
    ) async throws -> (HTTPResponse.Status, String) {
        let csrf = try await client.csrf(of: "/corp", as: session)
        return try await client.postMultipart(
            "/corp/projects/\(project.id!)/contracts",
            fields: [
                "_csrf": csrf, "unitID": unit.id!.uuidString, "workerCode": worker.verificationCode!, "periodType": "0",
                "startsOn": today.nearAdding(days: -10).description, "endsOn": today.nearAdding(days: 300).description,
                "wageBasis": "day", "rate": "350.00", "signedOn": today.nearAdding(days: -10).description,
            ],
            files: file.map { ["file": $0] } ?? [:], as: session)
    }

    static func train(
        _ client: some TestClientProtocol, project: ProjectModel, workers: [WorkerModel], as session: ConsoleSession
    ) async throws -> (HTTPResponse.Status, String) {
        try await submit(
            client, "/corp/projects/\(project.id!)/trainings",
            [
                "name": "入场安全教育", "typeCode": "003002", "heldOn": today.nearAdding(days: -5).description, "hours": "4",
                "trainer": "安全员", "workerCodes": workers.map { $0.verificationCode! }.joined(separator: "\n"),
            ], as: session)
    }

    static func enter(
        _ client: some TestClientProtocol, project: ProjectModel, team: TeamModel, worker: WorkerModel,
        date: LocalDate = today, as session: ConsoleSession
    ) async throws -> (HTTPResponse.Status, String) {
        try await submit(
            client, "/corp/projects/\(project.id!)/workers",
            [
                "teamID": team.id!.uuidString, "workerCode": worker.verificationCode!, "workType": "020",
                "workRole": "20", "entryDate": date.description,
            ], as: session)
    }

    // MARK: Registration and reach

    @Test("E2/G2: a general contractor registers a project with a geofence; its division's regulators see it")
    func registration() async throws {
        try await TestPlatform.run { client, platform in
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let csrf = try await client.csrf(of: "/corp/projects/new", as: corp)
            var form = [
                "_csrf": csrf, "name": "锦江区测试项目", "category": "01", "status": "003", "divisionCode": "510104",
                "address": "成都市锦江区测试路 1 号", "investWan": "1234.5", "startDate": "2026-01-01",
                "geofence": "104.066,30.657,300",
            ]
            let (refused, page) = try await client.post("/corp/projects", form: form, as: corp)
            #expect(refused == .unprocessableContent)
            #expect(page.contains("纬度在前"))
            #expect(page.contains("value=\"锦江区测试项目\""), "typed values come back")
            #expect(try await ProjectModel.query(on: platform.db).filter(\.$name == "锦江区测试项目").count() == 0)

            form["geofence"] = "30.657,104.066,300"
            let location = try await client.execute(
                uri: "/corp/projects", method: .post,
                headers: [.cookie: corp.cookieHeader, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&"))
            ) { response in
                #expect(response.status == .seeOther)
                return response.headers[.location] ?? ""
            }
            let project = try await Fixture(db: platform.db).project("锦江区测试项目")
            #expect(location.hasPrefix("/corp/projects/\(project.id!)"))
            #expect(project.code.hasPrefix("510104\(Self.today.year)") && project.code.count == 14)
            #expect(project.investFen == 1_234_500_000, "1 234.5 万元 in fen")
            #expect(project.geofence != nil)
            let units = try await ProjectUnitModel.query(on: platform.db).filter(\.$projectID == project.id!).all()
            #expect(units.map(\.participationType) == ["009"], "the contractor joins as 总承包单位")
            let (_, overview) = try await client.page("/corp/projects/\(project.id!)", as: corp)
            #expect(overview.contains("<svg") && overview.contains("米"))
            #expect(overview.contains("NO_LABOUR_OFFICER"), "a project without a labour officer says so")

            let district = try await client.consoleLogin("gov", "jj_inspector")
            #expect(try await client.page("/gov/projects", as: district).1.contains("锦江区测试项目"))
            #expect(try await client.page("/gov/projects/\(project.id!)", as: district).0 == .ok)
            let other = try await client.consoleLogin("gov", "my_admin")
            #expect(try await client.page("/gov/projects/\(project.id!)", as: other).0 == .notFound)
            #expect(!(try await client.page("/gov/projects", as: other).1.contains("锦江区测试项目")))
            let stranger = try await client.consoleLogin("corp", "fc_admin")
            #expect(try await client.page("/corp/projects/\(project.id!)", as: stranger).0 == .notFound)
        }
    }

    // MARK: Site entry (R2)

    @Test("R2: entry needs a contract and safety training; dates follow the national rules; one active entry")
    func entryRules() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectTwo)
            let labour = try await fixture.unit(of: project, type: "006")
            let team = try await fixture.team(of: project)
            let worker = try await fixture.newcomer(to: project)
            let corp = try await client.consoleLogin("corp", "sj_admin")

            var (status, page) = try await Self.enter(client, project: project, team: team, worker: worker, as: corp)
            #expect(status == .unprocessableContent)
            #expect(page.contains("ENTRY_NO_CONTRACT") && page.contains("劳动合同") && page.contains("安全"))

            (status, page) = try await Self.signContract(
                client, project: project, unit: labour, worker: worker, as: corp,
                file: ("合同.pdf", "application/pdf", Self.pdf))
            #expect(status == .ok && page.contains("劳动合同已登记"))
            let contract = try #require(
                try await LabourContractModel.query(on: platform.db).filter(\.$workerID == worker.id!).first())
            #expect(contract.rateFen == 35_000)
            #expect(contract.fileCipher != nil && contract.fileCipher != Self.pdf, "the scan is stored sealed")

            (status, page) = try await Self.enter(client, project: project, team: team, worker: worker, as: corp)
            #expect(page.contains("ENTRY_NO_SAFETY_TRAINING") && !page.contains("没有与本单位"))
            (status, page) = try await Self.train(client, project: project, workers: [worker], as: corp)
            #expect(status == .ok && page.contains("已登记"))

            (status, page) = try await Self.enter(
                client, project: project, team: team, worker: worker, date: Self.today.nearAdding(days: 1), as: corp)
            #expect(page.contains("ENTRY_DATE_IN_FUTURE"))
            (status, page) = try await Self.enter(client, project: project, team: team, worker: worker, as: corp)
            #expect(status == .ok && page.contains("工人已进场"))
            (status, page) = try await Self.enter(client, project: project, team: team, worker: worker, as: corp)
            #expect(page.contains("ENTRY_ALREADY_ACTIVE"))

            let entry = try #require(
                try await ProjectWorkerModel.query(on: platform.db).filter(\.$workerID == worker.id!)
                    .filter(\.$projectID == project.id!).first())
            (status, page) = try await Self.submit(
                client, "/corp/projects/\(project.id!)/workers/\(entry.id!)/exit",
                ["exitDate": Self.today.nearAdding(days: -1).description], as: corp)
            #expect(page.contains("ENTRY_DATE_BEFORE_LAST_RECORD"), "exit before the entry is refused")
            (status, page) = try await Self.submit(
                client, "/corp/projects/\(project.id!)/workers/\(entry.id!)/exit",
                ["exitDate": Self.today.description, "reason": "工程结束"], as: corp)
            #expect(status == .ok && page.contains("工人已退场"))
            (status, page) = try await Self.enter(
                client, project: project, team: team, worker: worker, date: Self.today.nearAdding(days: -1), as: corp)
            #expect(page.contains("ENTRY_DATE_BEFORE_LAST_RECORD"), "re-entry cannot go back before the exit")

            let ledger = try await EntryExitRecordModel.query(on: platform.db).filter(\.$workerID == worker.id!).all()
            #expect(ledger.map(\.type).sorted() == [0, 1])
        }
    }

    @Test("R2: a blacklisted worker cannot enter, even with contract and training")
    func blacklistedWorker() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectTwo)
            let worker = try await fixture.newcomer(to: project, skip: 1)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            _ = try await Self.signContract(
                client, project: project, unit: try await fixture.unit(of: project, type: "006"), worker: worker,
                as: corp)
            _ = try await Self.train(client, project: project, workers: [worker], as: corp)
            let gov = try await client.consoleLogin("gov", "cd_admin")
            let number = try platform.services.cipher.open(worker.idNumberCipher)
            let (added, _) = try await Self.submit(
                client, "/gov/restrictions",
                [
                    "subjectKind": "worker", "subjectNumber": number, "subjectName": worker.name, "kind": "blacklist",
                    "reason": "恶意讨薪扰乱施工秩序（测试）",
                ], as: gov)
            #expect(added == .ok)
            let (status, page) = try await Self.enter(
                client, project: project, team: try await fixture.team(of: project), worker: worker, as: corp)
            #expect(status == .unprocessableContent && page.contains("ENTRY_RESTRICTED"))
        }
    }

    @Test("two simultaneous entries of one worker: the database keeps exactly one")
    func entryRace() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectTwo)
            let team = try await fixture.team(of: project)
            let worker = try await fixture.newcomer(to: project, skip: 2)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            _ = try await Self.signContract(
                client, project: project, unit: try await fixture.unit(of: project, type: "006"), worker: worker,
                as: corp)
            _ = try await Self.train(client, project: project, workers: [worker], as: corp)
            let model = try #require(
                try await AccountModel.query(on: platform.db).filter(\.$username == "sj_admin").with(\.$enterprise)
                    .first())
            let account = AccountSnapshot(model)
            let workforce = platform.services.projects.workforce
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        (try? await workforce.enter(
                            .init(
                                teamID: team.id!.uuidString, workerID: worker.id, workType: "020",
                                entryDate: Self.today.description),
                            project: project.id!, scope: account.scope!, by: account)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(
                try await ProjectWorkerModel.query(on: platform.db).filter(\.$workerID == worker.id!)
                    .filter(\.$projectID == project.id!).filter(\.$status == "active").count() == 1)
        }
    }

    // MARK: Contracts

    @Test("contract scans: PDF/JPG/PNG by content, size-limited; opening one is audited and scoped")
    func contractFiles() async throws {
        try await TestPlatform.run(configure: Self.smallContractFiles) { client, platform in
            let fixture = Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectTwo)
            let labour = try await fixture.unit(of: project, type: "006")
            let worker = try await fixture.newcomer(to: project)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            var (status, page) = try await Self.signContract(
                client, project: project, unit: labour, worker: worker, as: corp,
                file: ("合同.pdf", "application/pdf", Data("MZ\u{90}executable".utf8)))
            #expect(status == .unprocessableContent && page.contains("只能是 PDF"))
            (status, page) = try await Self.signContract(
                client, project: project, unit: labour, worker: worker, as: corp,
                file: ("big.pdf", "application/pdf", Self.pdf + Data(repeating: 32, count: 2048)))
            #expect(status == .unprocessableContent && page.contains("不能超过 1 KB"))
            #expect(try await LabourContractModel.query(on: platform.db).filter(\.$workerID == worker.id!).count() == 0)
            (status, page) = try await Self.signContract(
                client, project: project, unit: labour, worker: worker, as: corp,
                file: ("c.pdf", "application/pdf", Self.pdf))
            #expect(status == .ok)
            let contract = try #require(
                try await LabourContractModel.query(on: platform.db).filter(\.$workerID == worker.id!).first())
            let uri = "/corp/projects/\(project.id!)/contracts/\(contract.id!)/file"
            try await client.execute(uri: uri, method: .get, headers: [.cookie: corp.cookieHeader]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/pdf")
                #expect(Data(buffer: response.body) == Self.pdf)
            }
            #expect(
                try await AuditEventModel.query(on: platform.db).filter(\.$action == "contract.file-viewed").count()
                    == 1)
            let stranger = try await client.consoleLogin("corp", "fc_admin")
            #expect(try await client.page(uri, as: stranger).0 == .notFound)
        }
    }

    // MARK: Units

    @Test("a unit's exit closes its teams and workers on the same date (policy close)")
    func unitExitCloses() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectTwo)
            let labour = try await fixture.unit(of: project, type: "006")
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let uri = "/corp/projects/\(project.id!)/units/\(labour.id!)/exit"
            var (status, page) = try await Self.submit(
                client, uri, ["exitDate": Self.today.nearAdding(days: 3).description], as: corp)
            #expect(status == .unprocessableContent && page.contains("不能晚于今天"))
            let onSite = try await ProjectWorkerModel.query(on: platform.db).filter(\.$unitID == labour.id!)
                .filter(\.$status == "active").count()
            #expect(onSite > 0)
            (status, page) = try await Self.submit(client, uri, ["exitDate": Self.today.description], as: corp)
            #expect(status == .ok && page.contains("参建单位已退场"))
            #expect(
                try await ProjectWorkerModel.query(on: platform.db).filter(\.$unitID == labour.id!)
                    .filter(\.$status == "active").count() == 0)
            #expect(
                try await TeamModel.query(on: platform.db).filter(\.$unitID == labour.id!).filter(\.$exitDate == nil)
                    .count() == 0)
            let exits = try await EntryExitRecordModel.query(on: platform.db).filter(\.$unitID == labour.id!)
                .filter(\.$type == 0).filter(\.$date == Self.today.description).count()
            #expect(exits >= onSite + 1)
        }
    }

    @Test("with policy refuse, a unit with workers on site cannot leave; only the contractor adds units")
    func unitExitRefused() async throws {
        try await TestPlatform.run(configure: Self.refuseUnitExit) { client, platform in
            let fixture = Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectTwo)
            let labour = try await fixture.unit(of: project, type: "006")
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (status, page) = try await Self.submit(
                client, "/corp/projects/\(project.id!)/units/\(labour.id!)/exit",
                ["exitDate": Self.today.description], as: corp)
            #expect(status == .conflict && page.contains("UNIT_HAS_WORKERS_ON_SITE") && page.contains("名工人未退场"))

            let subcontractor = try await client.consoleLogin("corp", "jc_admin")
            let (refused, body) = try await Self.submit(
                client, "/corp/projects/\(project.id!)/units",
                [
                    "creditCode": labour.creditCode, "name": "x", "participationType": "001",
                    "entryDate": Self.today.description,
                ],
                as: subcontractor)
            #expect(refused == .forbidden && body.contains("CONTRACTOR_ONLY"))
            let body17 = "91510100MA61RX8X2"
            let code = body17 + String(try #require(CreditCode.checkCharacter(forFirst17: body17)))
            let (added, addedPage) = try await Self.submit(
                client, "/corp/projects/\(project.id!)/units",
                [
                    "creditCode": code, "name": "四川某监理有限公司", "participationType": "007",
                    "entryDate": Self.today.description,
                ], as: corp)
            #expect(added == .ok && addedPage.contains("参建单位已进场") && addedPage.contains("四川某监理有限公司"))
            #expect(addedPage.contains("未在平台注册"), "a unit not registered on the platform is marked")
        }
    }

    // MARK: Teams (M6)

    @Test("M6: a worker founds a team, invites by code, the invitee accepts, an enterprise engages the team")
    func workerTeams() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectOne)
            let invitee = try await fixture.newcomer(to: project)
            let hash = try await platform.services.accounts.hasher.hash(Demo.password)
            try await AccountModel(
                username: "invitee", displayName: invitee.name, role: .worker, passwordHash: hash, workerID: invitee.id,
                mustChangePassword: false
            ).create(on: platform.db)

            let leader = try await client.consoleLogin("m", "worker_zhang")
            var (status, page) = try await Self.submit(client, "/m/teams", ["name": "测试班组"], as: leader)
            #expect(status == .ok && page.contains("班组编号"))
            let team = try #require(try await TeamModel.query(on: platform.db).filter(\.$name == "测试班组").first())
            (status, page) = try await Self.submit(
                client, "/m/teams/\(team.id!)/invite", ["code": "W0000000000"], as: leader)
            #expect(page.contains("WORKER_CODE_UNKNOWN"))
            let zhang = try #require(try await WorkerModel.query(on: platform.db).filter(\.$name == "张建国").first())
            (status, page) = try await Self.submit(
                client, "/m/teams/\(team.id!)/invite", ["code": zhang.verificationCode!], as: leader)
            #expect(page.contains("TEAM_SELF_INVITE"))
            (status, page) = try await Self.submit(
                client, "/m/teams/\(team.id!)/invite", ["code": invitee.verificationCode!], as: leader)
            #expect(status == .ok && page.contains("已邀请"))

            let member = try await client.consoleLogin("m", "invitee")
            let (_, invitations) = try await client.page("/m/teams", as: member)
            #expect(invitations.contains("测试班组") && invitations.contains("接受"))
            (status, page) = try await Self.submit(client, "/m/teams/\(team.id!)/accept", [:], as: member)
            #expect(status == .ok && page.contains("我加入的班组"))
            let row = try #require(
                try await TeamMemberModel.query(on: platform.db).filter(\.$teamID == team.id!)
                    .filter(\.$workerID == invitee.id!).first())
            #expect(row.status == "accepted")
            #expect(try await client.page("/m/teams", as: leader).1.contains("已加入"))

            let corp = try await client.consoleLogin("corp", "jc_admin")
            let labour = try await fixture.unit(of: project, type: "006")
            (status, page) = try await Self.submit(
                client, "/corp/projects/\(project.id!)/teams/engage",
                ["sysNo": String(team.sysNo), "unitID": labour.id!.uuidString, "entryDate": Self.today.description],
                as: corp)
            #expect(status == .ok && page.contains("已承接班组"))
            let engaged = try #require(
                try await TeamModel.query(on: platform.db).filter(\.$sourceTeamID == team.id!).first())
            #expect(
                engaged.projectID == project.id && engaged.leaderWorkerID == zhang.id && engaged.origin == "engaged")
            #expect(page.contains(invitee.name), "the engaged team lists its members")
        }
    }

    // MARK: Dedicated account and board (W7, W15)

    @Test("W7/W15: the dedicated account's name follows the pattern, its number is sealed; the board fills in")
    func wageAccountAndBoard() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await Fixture(db: platform.db).project(Self.projectTwo)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let root = "/corp/projects/\(project.id!)"
            let (_, list) = try await client.page("/corp/projects", as: corp)
            #expect(list.contains("无工资专户"), "the list marks the project without a dedicated account")
            var (_, board) = try await client.page(root + "/board", as: corp)
            #expect(board.contains("BOARD_INCOMPLETE") && board.contains("劳资专管员") && board.contains("农民工工资专用账户"))
            let (_, wages) = try await client.page(root + "/wages", as: corp)
            #expect(wages.contains("NO_WAGE_ACCOUNT") && wages.contains("已逾期"))

            let number = "6217003810012345678"
            var form = [
                "bankCode": "105", "bankName": "中国建设银行成都武侯支行", "accountName": "随便一个名字", "number": number,
                "openedOn": Self.today.description,
            ]
            var (status, page) = try await Self.submit(client, root + "/wages/account", form, as: corp)
            #expect(status == .unprocessableContent && page.contains("农民工工资专用账户"))
            form["accountName"] = WageAccountName.expected(contractor: project.contractorName, project: project.name)
            (status, page) = try await Self.submit(client, root + "/wages/account", form, as: corp)
            #expect(status == .ok && page.contains("6217***********5678") && !page.contains(number))
            let account = try #require(
                try await WageAccountModel.query(on: platform.db).filter(\.$projectID == project.id!).first())
            #expect(!account.numberCipher.contains(number))
            #expect(try platform.services.cipher.open(account.numberCipher) == number)

            (status, page) = try await Self.submit(
                client, root + "/wages/guarantee",
                ["amount": "500000", "form": "bank", "validFrom": "2026-06-01", "validUntil": "2026-01-01"], as: corp)
            #expect(status == .unprocessableContent && page.contains("有效期截止应晚于"))
            (board) = try await client.page(root + "/board", as: corp).1
            #expect(!board.contains("、农民工工资专用账户") && board.contains("6217***********5678"))
            #expect(board.contains("2,100.00 元/月"), "Chengdu's configured minimum wage")

            let gov = try await client.consoleLogin("gov", "cd_admin")
            #expect(try await client.page("/gov/projects/\(project.id!)/board", as: gov).1.contains("维权信息告示牌"))
        }
    }

    // MARK: Import and export

    @Test("roster import: valid rows enter, each bad row is refused with its reason, nothing half-written")
    func rosterImport() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectTwo)
            let labour = try await fixture.unit(of: project, type: "006")
            let good = try await fixture.newcomer(to: project)
            let second = try await fixture.newcomer(to: project, skip: 1)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            for worker in [good, second] {
                _ = try await Self.signContract(client, project: project, unit: labour, worker: worker, as: corp)
            }
            _ = try await Self.train(client, project: project, workers: [good, second], as: corp)
            let goodNumber = try platform.services.cipher.open(good.idNumberCipher)
            let unverified = WorkerVerificationTests.number("510104", "19900101", "555")
            let day = Self.today.description
            let csv = """
                姓名,身份证号,班组名称,工种,工人类型,是否班组长,进场日期,考勤卡号
                \(good.name),\(goodNumber),导入新班,钢筋工,建筑工人,否,\(day),K001
                某某,510104199001011234,导入新班,钢筋工,建筑工人,否,\(day),
                路人甲,\(unverified),幽灵班,木工,建筑工人,否,\(day),
                \(second.name)错,\(try platform.services.cipher.open(second.idNumberCipher)),导入新班,钢筋工,,否,\(day),
                """
            let csrf = try await client.csrf(of: "/corp", as: corp)
            var (status, page) = try await client.postMultipart(
                "/corp/projects/\(project.id!)/import", fields: ["_csrf": csrf, "unitID": labour.id!.uuidString],
                files: ["file": ("roster.csv", "text/csv", Data("\u{FEFF}\(csv)".utf8))], as: corp)
            #expect(status == .ok)
            #expect(page.contains("成功 1 行，未导入 3 行"))
            #expect(page.contains("第 3 行") && page.contains("身份证号不正确"))
            #expect(page.contains("第 4 行") && page.contains("尚未在平台完成实名核验"))
            #expect(page.contains("第 5 行") && page.contains("姓名与该身份证号的实名信息不一致"))
            #expect(
                try await TeamModel.query(on: platform.db).filter(\.$name == "幽灵班").count() == 0,
                "a refused row writes nothing")
            let entered = try await ProjectWorkerModel.query(on: platform.db).filter(\.$workerID == good.id!)
                .filter(\.$projectID == project.id!).first()
            #expect(entered?.cardNumber == "K001" && entered?.isActive == true)

            // The same through Excel, for the second worker, into the team the first import created.
            let xlsx = SpreadsheetWriter.xlsx(
                sheetName: "花名册", header: RosterImport.rosterColumns,
                rows: [
                    [
                        .text(second.name), .text(try platform.services.cipher.open(second.idNumberCipher)),
                        .text("导入新班"),
                        .text("020"), .text("建筑工人"), .text("是"), .text(day), .text(""),
                    ]
                ])
            (status, page) = try await client.postMultipart(
                "/corp/projects/\(project.id!)/import", fields: ["_csrf": csrf, "unitID": labour.id!.uuidString],
                files: ["file": ("roster.xlsx", Download.xlsxType, xlsx)], as: corp)
            #expect(status == .ok && page.contains("成功 1 行，未导入 0 行"))
            #expect(try await TeamModel.query(on: platform.db).filter(\.$name == "导入新班").count() == 1)

            (status, page) = try await client.postMultipart(
                "/corp/projects/\(project.id!)/import", fields: ["_csrf": csrf, "unitID": labour.id!.uuidString],
                files: [
                    "file": (
                        "x.xls", "application/vnd.ms-excel",
                        Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600))
                    )
                ],
                as: corp)
            #expect(status == .unprocessableContent && page.contains(".xlsx"))
        }
    }

    @Test("ledgers export as .xlsx and CSV with the same rows the page shows")
    func ledgerExport() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await Fixture(db: platform.db).project(Self.projectOne)
            let gov = try await client.consoleLogin("gov", "jj_inspector")
            let base = "/gov/projects/\(project.id!)/ledger?subject=worker"
            let (_, page) = try await client.page(base, as: gov)
            #expect(page.contains("张建国") && page.contains("个人原因离场"))
            try await client.execute(uri: base + "&format=csv", method: .get, headers: [.cookie: gov.cookieHeader]) {
                response in
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("\u{FEFF}日期,类型,姓名"))
                #expect(text.contains("张建国") && text.contains("510104********1232"))
            }
            try await client.execute(uri: base + "&format=xlsx", method: .get, headers: [.cookie: gov.cookieHeader]) {
                response in
                let data = Data(buffer: response.body)
                #expect(data.starts(with: [0x50, 0x4B, 0x03, 0x04]))
                let rows = try SpreadsheetReader.rows(from: data)
                #expect(rows.first?.first == "日期")
                #expect(rows.contains { $0.contains("张建国") })
            }
            let teams = try await client.page("/gov/projects/\(project.id!)/ledger?subject=team", as: gov).1
            #expect(teams.contains("参建单位") && teams.contains("钢筋一班"))
        }
    }

    // MARK: Records (M5, G10)

    @Test("M5/G10: the worker sees projects, employers, contracts and movements; the regulator sees the history")
    func workerRecords() async throws {
        try await TestPlatform.run { client, platform in
            let worker = try await client.consoleLogin("m", "worker_zhang")
            let (status, records) = try await client.page("/m/records", as: worker)
            #expect(status == .ok)
            #expect(records.contains(Self.projectOne) && records.contains("成都锦城劳务有限公司"))
            #expect(records.contains("劳动合同") && records.contains("三级安全教育") && records.contains("进场"))
            let zhang = try #require(try await WorkerModel.query(on: platform.db).filter(\.$name == "张建国").first())
            let gov = try await client.consoleLogin("gov", "jj_inspector")
            let (ok, history) = try await client.page("/gov/workers/\(zhang.id!)/history", as: gov)
            #expect(ok == .ok && history.contains(Self.projectOne))
            let other = try await client.consoleLogin("gov", "my_admin")
            #expect(try await client.page("/gov/workers/\(zhang.id!)/history", as: other).0 == .notFound)
        }
    }

    // MARK: API

    @Test("/api/v1/projects: the same reach as the consoles, in the national field names")
    func projectsAPI() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await Fixture(db: platform.db).project(Self.projectOne)
            let district = try await client.apiToken("jj_inspector")
            let (status, list) = try await client.apiGet("/api/v1/projects", token: district)
            #expect(status == .ok)
            let rows = try #require(list as? [[String: Any]])
            #expect(rows.map { $0["name"] as? String } == [Self.projectOne], "锦江区 reaches only its own project")
            #expect(rows.first?["projectCode"] as? String == project.code)
            #expect(rows.first?["hasLabourOfficer"] as? Bool == true)

            let (_, detail) = try await client.apiGet("/api/v1/projects/\(project.id!)", token: district)
            let body = try #require(detail as? [String: Any])
            let units = try #require(body["units"] as? [[String: Any]])
            #expect(units.contains { $0["corpType"] as? String == "009" })
            #expect((body["geofence"] as? String)?.contains(";") == true)

            let (_, workers) = try await client.apiGet(
                "/api/v1/projects/\(project.id!)/workers?active=true", token: district)
            let people = try #require(workers as? [[String: Any]])
            #expect(
                !people.isEmpty && people.allSatisfy { ($0["idCardNumberMasked"] as? String)?.contains("*") == true })

            let other = try await client.apiToken("my_admin")
            #expect(try await client.apiGet("/api/v1/projects/\(project.id!)", token: other).0 == .notFound)
            let worker = try await client.apiToken("worker_zhang")
            let (_, own) = try await client.apiGet("/api/v1/projects/\(project.id!)/workers", token: worker)
            #expect(
                (own as? [[String: Any]])?.map { $0["workerName"] as? String } == ["张建国"], "a worker sees only themself"
            )
        }
    }
}
