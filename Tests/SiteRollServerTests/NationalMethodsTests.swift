import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import SiteRollNational
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 15 items 1 and 2 (G9, S3, E2, E9): every national method of b.5 over HTTP on SiteRoll's
/// own records, in the order a vendor's system uploads a project's people — unit, team, worker,
/// contract, training, entry, attendance, payroll — each asynchronous write answered with a serial
/// and decided 20 or 10 with what to fix, each query reading what the writes left.
@Suite("National gateway: every method")
struct NationalMethodsTests {
    typealias Gateway = NationalGatewayTests

    struct Session {
        var client: any TestClientProtocol
        var app: Gateway.Credentials
        var project: ProjectModel

        func call(_ method: String, _ data: [String: Any]) async throws -> [String: Any] {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: data), as: UTF8.self)
            return try await Gateway.call(client, Gateway.fields(app, method: method, data: json))
        }

        /// An asynchronous write: its serial at once, then its decided result.
        func write(_ method: String, _ data: [String: Any]) async throws -> (status: Int, result: String) {
            var data = data
            if data["projectCode"] == nil { data["projectCode"] = project.code }
            let answer = try await call(method, data)
            guard Gateway.code(answer) == 0,
                let serial = (answer["data"] as? [String: Any])?["requestSerialCode"] as? String
            else { return (-1, "\(answer)") }
            let done = try await Gateway.result(client, app, serial: serial)
            return ((done["status"] as? NSNumber)?.intValue ?? 0, done["result"] as? String ?? "")
        }

        /// A query's rows (code 0 expected).
        func rows(_ method: String, _ data: [String: Any] = [:]) async throws -> [[String: Any]] {
            var data = data
            if data["projectCode"] == nil, method != "Worker.Query" { data["projectCode"] = project.code }
            let answer = try await call(method, data)
            #expect(Gateway.code(answer) == 0, "\(method): \(answer)")
            return ((answer["data"] as? [String: Any])?["rows"] as? [[String: Any]]) ?? []
        }

        func aes(_ text: String) throws -> String { try NationalFieldCipher.encrypt(text, secret: app.secret) }
    }

    static func today() -> String { LocalDate.today(in: NationalTimestamp.timeZone).description }

    static func now(minus seconds: TimeInterval) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = NationalTimestamp.timeZone
        let c = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date().addingTimeInterval(-seconds))
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0)
    }

    @Test("unit, team, worker, contract, training, entry, attendance, payroll and every query, end to end")
    func wholeSequence() async throws {
        try await TestPlatform.run { client, platform in
            let (app, project) = try await Gateway.credentials(platform)
            let s = Session(client: client, app: app, project: project)
            let unitCode = EnterpriseVerificationTests.creditCode("91510104MA6D9K2X7")
            let today = Self.today()

            // Participating unit.
            let unit = try await s.write(
                "ProjectSubContractor.Add",
                [
                    "corpCode": unitCode, "corpName": "成都锦程劳务有限公司", "corpType": "008", "pmName": "罗文",
                    "pmPhone": "13800001111",
                ])
            #expect(unit.status == 20, "\(unit)")
            let again = try await s.write(
                "ProjectSubContractor.Add", ["corpCode": unitCode, "corpName": "成都锦程劳务有限公司", "corpType": "008"])
            #expect(again.status == 10 && again.result.contains("已是本项目的参建单位"), "\(again)")
            let units = try await s.rows(
                "ProjectSubContractor.Query", ["corpCode": unitCode, "pageIndex": 0, "pageSize": 10])
            #expect(units.count == 1 && units.first?["pmName"] as? String == "罗文")

            // Team: the result carries teamSysNo; a second team of the same name names the first.
            let team = try await s.write(
                "Team.Add",
                ["corpCode": unitCode, "corpName": "成都锦程劳务有限公司", "teamName": "接入木工班", "responsiblePersonName": "罗文"])
            #expect(team.status == 20, "\(team)")
            let sysNo = try #require(
                (try JSONSerialization.jsonObject(with: Data(team.result.utf8)) as? [String: Any])?["teamSysNo"]
                    as? NSNumber
            ).intValue
            let twice = try await s.write(
                "Team.Add", ["corpCode": unitCode, "corpName": "成都锦程劳务有限公司", "teamName": "接入木工班"])
            #expect(twice.status == 10 && twice.result.contains("\(sysNo)"), "\(twice)")
            let teams = try await s.rows("Team.Query", ["teamSysNo": sysNo])
            #expect(teams.first?["teamName"] as? String == "接入木工班")

            // A worker: verified on this channel, registered to the team.
            let number = WorkerVerificationTests.number("510104", "19880512", "457")
            let image = WorkerVerificationTests.png.base64EncodedString()
            let person: [String: Any] = [
                "workerName": "周建国", "isTeamLeader": 0, "idCardType": "01", "idCardNumber": try s.aes(number),
                "workType": "020", "workRole": "20", "nation": "汉", "address": "四川省成都市锦江区东大街 8 号",
                "headImage": image, "positiveIDCardImage": image, "negativeIDCardImage": image,
                "cellPhone": "13900002222", "grantOrg": "成都市公安局锦江分局", "startDate": "2020-03-01",
                "expiryDate": "2040-03-01", "payRollBankCardNumber": try s.aes("6217003810001234567"),
                "payRollTopBankCode": "105", "payRollBankName": "建设银行成都锦江支行", "hasBuyInsurance": 1,
            ]
            let header: [String: Any] = [
                "corpCode": unitCode, "corpName": "成都锦程劳务有限公司", "teamSysNo": sysNo, "teamName": "接入木工班",
            ]
            let added = try await s.write("ProjectWorker.Add", header.merging(["workerList": [person]]) { a, _ in a })
            #expect(added.status == 20, "\(added)")
            var wrongKey = person
            wrongKey["idCardNumber"] = try NationalFieldCipher.encrypt(
                number, secret: String(repeating: "k", count: 32))
            let refused = try await s.write(
                "ProjectWorker.Add", header.merging(["workerList": [wrongKey]]) { a, _ in a })
            #expect(
                refused.status == 10 && refused.result.contains("workerList 第 1 条")
                    && refused.result.contains("idCardNumber"))

            // Entry before contract and training is refused (R2), naming both.
            let early = try await s.write(
                "WorkerEntryExit.Add",
                [
                    "teamSysNo": sysNo,
                    "workerList": [["idCardType": "01", "idCardNumber": try s.aes(number), "date": today, "type": 1]],
                ])
            #expect(early.status == 10 && early.result.contains("合同") && early.result.contains("培训"), "\(early)")

            let contract = try await s.write(
                "WorkerContract.Add",
                [
                    "contractList": [
                        [
                            "corpCode": unitCode, "corpName": "成都锦程劳务有限公司", "idCardType": "01",
                            "idCardNumber": try s.aes(number), "contractPeriodType": "1", "startDate": today,
                            "unit": "81", "unitPrice": "45.5",
                        ]
                    ]
                ])
            #expect(contract.status == 20, "\(contract)")
            let noWage = try await s.write(
                "WorkerContract.Add",
                [
                    "contractList": [
                        [
                            "corpCode": unitCode, "corpName": "x", "idCardType": "01",
                            "idCardNumber": try s.aes(number),
                            "contractPeriodType": "0", "startDate": today, "endDate": today,
                        ]
                    ]
                ])
            #expect(noWage.status == 10 && noWage.result.contains("wageBasis"), "\(noWage)")
            let training = try await s.write(
                "ProjectTraining.Add",
                [
                    "trainingDate": today, "trainingDuration": 2, "trainingName": "入场三级安全教育",
                    "trainingTypeCode": "003001",
                    "trainer": "王安全", "trainingOrg": "锦程劳务安全部", "trainingAddress": "项目部会议室",
                    "workers": [
                        ["idCardType": "01", "idCardNumber": try s.aes(number), "isPass": 1, "trainingScore": 92.5]
                    ],
                ])
            #expect(training.status == 20, "\(training)")

            let entry = try await s.write(
                "WorkerEntryExit.Add",
                [
                    "teamSysNo": sysNo,
                    "workerList": [["idCardType": "01", "idCardNumber": try s.aes(number), "date": today, "type": 1]],
                ])
            #expect(entry.status == 20, "\(entry)")
            let entryAgain = try await s.write(
                "WorkerEntryExit.Add",
                [
                    "teamSysNo": sysNo,
                    "workerList": [["idCardType": "01", "idCardNumber": try s.aes(number), "date": today, "type": 1]],
                ])
            #expect(entryAgain.status == 20, "the same entry sent again is the same record")
            let verified = try #require(
                try await WorkerModel.query(on: platform.db)
                    .filter(\.$idNumberHMAC == platform.services.cipher.lookupHash(number)).first())
            let cards = try await WorkerBankCardModel.query(on: platform.db).filter(\.$workerID == verified.id!)
                .filter(\.$status == "active").count()
            #expect(cards == 1, "the wage card given at registration is registered once the worker is on site")

            let swipe = try await s.write(
                "WorkerAttendance.Add",
                [
                    "teamSysNo": sysNo,
                    "dataList": [
                        [
                            "idCardType": "01", "idCardNumber": try s.aes(number), "date": Self.now(minus: 120),
                            "direction": "01", "attendType": "001",
                        ]
                    ],
                ])
            #expect(swipe.status == 20, "\(swipe)")
            let swipes = try await s.rows("WorkerAttendance.Query", ["date": today, "idCardNumber": try s.aes(number)])
            #expect(swipes.count == 1 && swipes.first?["direction"] as? String == "01", "\(swipes)")
            #expect(
                (try? NationalFieldCipher.decrypt(swipes.first?["idCardNumber"] as? String ?? "", secret: app.secret))
                    == number, "ID numbers go out under the app's secret")

            // Payroll: the paying account must be the project's dedicated account.
            let account = try #require(
                try await WageAccountModel.query(on: platform.db).filter(\.$projectID == project.id!).first())
            let accountNumber = try platform.services.cipher.open(account.numberCipher)
            let month = String(today.prefix(7))
            var line: [String: Any] = [
                "idCardType": "01", "idCardNumber": try s.aes(number), "days": 1,
                "payRollBankCardNumber": try s.aes("6217003810001234567"),
                "payRollBankCode": "105", "payRollBankName": "建设银行成都锦江支行",
                "payBankCardNumber": try s.aes(accountNumber),
                "payBankCode": account.bankCode, "payBankName": account.bankName, "totalPayAmount": "320.00",
                "actualAmount": "320.00", "isBackPay": 0, "balanceDate": today, "thirdPayRollCode": "VENDOR-0001",
            ]
            let payrollHeader: [String: Any] = [
                "corpCode": unitCode, "corpName": "成都锦程劳务有限公司", "teamSysNo": sysNo, "payMonth": month,
            ]
            var wrongAccount = line
            wrongAccount["payBankCardNumber"] = try s.aes("6222000000000000000")
            let misdirected = try await s.write(
                "Payroll.Add", payrollHeader.merging(["detailList": [wrongAccount]]) { a, _ in a })
            #expect(misdirected.status == 10 && misdirected.result.contains("专用账户"), "\(misdirected)")
            let payroll = try await s.write("Payroll.Add", payrollHeader.merging(["detailList": [line]]) { a, _ in a })
            #expect(payroll.status == 20, "\(payroll)")
            let code = try #require(
                ((try JSONSerialization.jsonObject(with: Data(payroll.result.utf8)) as? [[String: Any]])?.first)?[
                    "payrollCode"] as? String)
            line["totalPayAmount"] = "1.00"
            let duplicate = try await s.write(
                "Payroll.Add", payrollHeader.merging(["detailList": [line]]) { a, _ in a })
            #expect(
                duplicate.status == 10 && duplicate.result.contains("多次"), "one line per worker and month: \(duplicate)"
            )
            let payrolls = try await s.rows("Payroll.Query", ["payMonth": month, "teamSysNo": sysNo])
            #expect(payrolls.first?["payrollCode"] as? String == code)
            #expect((payrolls.first?["detailList"] as? [[String: Any]])?.count == 1)

            // Every query answers from what the writes left.
            let workers = try await s.rows("ProjectWorker.Query", ["idCardNumber": try s.aes(number)])
            #expect(workers.first?["workerName"] as? String == "周建国" && workers.first?["entryTime"] as? String == today)
            #expect(try await s.rows("WorkerEntryExit.Query", ["idCardNumber": try s.aes(number)]).count == 1)
            #expect(
                try await s.rows("WorkerContract.Query", ["idCardNumber": try s.aes(number)]).first?["unit"] as? String
                    == "81")
            let trainings = try await s.rows("ProjectTraining.Query", ["pageSize": 50])
            #expect(
                trainings.contains {
                    $0["trainingName"] as? String == "入场三级安全教育" && $0["trainingOrg"] as? String == "锦程劳务安全部"
                })
            let found = try await s.rows("Worker.Query", ["idCardType": "01", "idCardNumber": try s.aes(number)])
            #expect(found.first?["workerName"] as? String == "周建国" && found.first?["nation"] as? String == "汉族")
            #expect(try await s.rows("WorkerBlackList.Query", ["idCardNumber": try s.aes(number)]).isEmpty)
            #expect(try await s.rows("Corp.Query", ["corpCode": project.contractorCreditCode]).count == 1)
            for method in [
                "CorpCredential.Query", "CorpBadRecord.Query", "CorpGoodRecord.Query", "CorpBlackList.Query",
                "WorkerCredential.Query",
            ] {
                _ = try await s.rows(method)
            }
            for method in ["WorkerBadRecord.Query", "WorkerGoodRecord.Query"] {
                _ = try await s.rows(method, ["idCardNumber": try s.aes(number)])
            }

            // Exit, then the team and the unit leave.
            let exit = try await s.write(
                "WorkerEntryExit.Add",
                [
                    "teamSysNo": sysNo,
                    "workerList": [["idCardType": "01", "idCardNumber": try s.aes(number), "date": today, "type": 0]],
                ])
            #expect(exit.status == 20, "\(exit)")
            #expect(try await s.write("Team.Update", ["teamSysNo": sysNo, "exitTime": today]).status == 20)
            let unitExit = try await s.write("ProjectSubContractor.Update", ["corpCode": unitCode, "exitTime": today])
            #expect(unitExit.status == 20, "\(unitExit)")

            // The project itself: one key per project.
            let add = try await s.write(
                "Project.Add",
                [
                    "contractorCorpCode": project.contractorCreditCode, "contractorCorpName": "x", "name": "x",
                    "category": "01", "areaCode": "510104",
                ])
            #expect(add.status == 10 && add.result.contains("PartUpdate"))
            let update = try await s.write("Project.PartUpdate", ["prjStatus": "003", "linkMan": "周工"])
            #expect(update.status == 20, "\(update)")
            #expect(try await ProjectModel.find(project.id, on: platform.db)?.linkMan == "周工")
            let corp = try await s.write(
                "Corp.Upload",
                [
                    "corpCode": project.contractorCreditCode, "corpName": project.contractorName, "areaCode": "510104",
                    "address": "成都市", "registerDate": "2001-01-01",
                ])
            #expect(corp.status == 20, "\(corp)")

            // Every write is audited under the app's name.
            let audited = try await AuditEventModel.query(on: platform.db).filter(\.$actorName == app.appID).count()
            #expect(audited >= 8)
        }
    }

    @Test("the same write resent with the same nonce and data under a new timestamp is one job with one serial")
    func resendIsProcessedOnce() async throws {
        try await TestPlatform.run { client, platform in
            let (app, project) = try await Gateway.credentials(platform)
            let data = #"{"projectCode":"\#(project.code)","prjStatus":"003"}"#
            let first = try await Gateway.call(
                client, Gateway.fields(app, method: "Project.PartUpdate", data: data, nonce: "42", at: Date()))
            let retry = try await Gateway.call(
                client,
                Gateway.fields(
                    app, method: "Project.PartUpdate", data: data, nonce: "42", at: Date().addingTimeInterval(5)))
            let serial = (first["data"] as? [String: Any])?["requestSerialCode"] as? String
            #expect(serial != nil && serial == (retry["data"] as? [String: Any])?["requestSerialCode"] as? String)
            #expect(try await NationalJobModel.query(on: platform.db).filter(\.$appID == app.appID).count() == 1)
            let other = try await Gateway.call(
                client, Gateway.fields(app, method: "Project.PartUpdate", data: data, nonce: "43", at: Date()))
            #expect(
                (other["data"] as? [String: Any])?["requestSerialCode"] as? String != serial,
                "another nonce is another write")
        }
    }

    @Test("results are kept 90 days, the replay memory two days; newer records stay")
    func retention() async throws {
        try await TestPlatform.run { client, platform in
            let (app, project) = try await Gateway.credentials(platform)
            let answer = try await Gateway.call(
                client,
                Gateway.fields(app, method: "Project.PartUpdate", data: #"{"projectCode":"\#(project.code)"}"#))
            let serial = try #require((answer["data"] as? [String: Any])?["requestSerialCode"] as? String)
            _ = try await Gateway.result(client, app, serial: serial)
            let jobs = platform.services.nationalJobs
            let kept = try await jobs.purge(now: Date().addingTimeInterval(29 * 24 * 3600))
            #expect(kept.jobs == 0 && kept.requests > 0, "after 29 days the result is kept, the replay memory is not")
            let gone = try await jobs.purge(now: Date().addingTimeInterval(91 * 24 * 3600))
            #expect(gone.jobs == 1 && gone.calls > 0)
            #expect(try await NationalJobModel.query(on: platform.db).filter(\.$serial == serial).count() == 0)
        }
    }

    @Test(
        "ProjectWorker.Update on a worker entered in the console, Project.Update, and credit queries from restrictions")
    func updatesAndCredit() async throws {
        try await TestPlatform.run { client, platform in
            let (app, project) = try await Gateway.credentials(platform)
            let s = Session(client: client, app: app, project: project)
            let entry = try #require(
                try await ProjectWorkerModel.query(on: platform.db).filter(\.$projectID == project.id!)
                    .filter(\.$status == "active").first())
            let worker = try #require(try await WorkerModel.find(entry.workerID, on: platform.db))
            let number = try platform.services.cipher.open(worker.idNumberCipher)
            let team = try #require(try await TeamModel.find(entry.teamID, on: platform.db))
            let update = try await s.write(
                "ProjectWorker.Update",
                [
                    "teamSysNo": team.sysNo,
                    "workerList": [
                        [
                            "idCardType": "01", "idCardNumber": try s.aes(number), "cardNumber": "IC-778899",
                            "hasBuyInsurance": 1,
                        ]
                    ],
                ])
            #expect(update.status == 20, "\(update)")
            let after = try #require(try await ProjectWorkerModel.find(entry.id, on: platform.db))
            #expect(after.cardNumber == "IC-778899" && after.hasInsurance, "the entry on site takes the new details")
            let other = try #require(
                try await TeamModel.query(on: platform.db).filter(\.$projectID == project.id!)
                    .filter(\.$id != team.id!).first())
            let move = try await s.write(
                "ProjectWorker.Update",
                ["teamSysNo": other.sysNo, "workerList": [["idCardType": "01", "idCardNumber": try s.aes(number)]]])
            #expect(move.status == 10 && move.result.contains("WORKER_ON_SITE_IN_OTHER_TEAM"), "\(move)")

            let renamed = try await s.write("Project.Update", ["name": "另一个名称", "linkPhone": "028-86001234"])
            #expect(renamed.status == 10 && renamed.result.contains("name"), "\(renamed)")
            #expect(try await s.write("Project.Update", ["linkPhone": "028-86001234"]).status == 20)

            let regulator = AccountSnapshot(
                try #require(
                    try await AccountModel.query(on: platform.db).filter(\.$username == "cd_admin").with(\.$enterprise)
                        .first()))
            try await platform.services.restrictions.add(
                .init(
                    subjectKind: "worker", subjectNumber: number, subjectName: worker.name, kind: .blacklist,
                    reason: "恶意讨薪被列入黑名单", endsOn: nil),
                by: regulator, division: try #require(DivisionCode("510100")))
            let listed = try await s.rows("WorkerBlackList.Query", ["idCardNumber": try s.aes(number)])
            #expect(listed.count == 1 && listed.first?["reason"] as? String == "恶意讨薪被列入黑名单", "\(listed)")
            #expect(try await s.rows("WorkerBadRecord.Query", ["idCardNumber": try s.aes(number)]).isEmpty)
            let corp = EnterpriseVerificationTests.creditCode("91510104MA6D9K2W3")
            try await platform.services.restrictions.add(
                .init(
                    subjectKind: "enterprise", subjectNumber: corp, subjectName: "某劳务公司", kind: .other,
                    reason: "拖欠工资被通报", endsOn: nil),
                by: regulator, division: try #require(DivisionCode("510100")))
            #expect(try await s.rows("CorpBadRecord.Query", ["corpCode": corp]).count == 1)
            #expect(try await s.rows("CorpBlackList.Query", ["corpCode": corp]).isEmpty)
            let missing = try await s.call("WorkerBlackList.Query", ["projectCode": project.code])
            #expect(Gateway.code(missing) == -1, "a person's records are looked up by ID number only")
        }
    }
}
