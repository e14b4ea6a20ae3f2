import FluentKit
import Foundation
import HummingbirdTesting
import SiteRollNational
import Synchronization
import Testing

@testable import SiteRollClient
@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 15 items 5 and 6: `NationalClient` and the conformance sequence against a SiteRoll
/// platform listening on a real port, on both databases.
@Suite("Conformance kit and NationalClient over HTTP")
struct ConformanceTests {
    /// The steps in the order the kit runs them.
    static let sequence = [
        "CheckSign.Query", "Project.Query", "WrongSign", "StaleTimestamp", "Replay",
        "ProjectSubContractor.Add", "ProjectSubContractor.Query", "Team.Add", "Team.Query",
        "ProjectWorker.Add", "ProjectWorker.Query", "WorkerContract.Add", "ProjectTraining.Add",
        "WorkerEntryExit.Add", "WorkerAttendance.Add", "WorkerAttendance.Query", "Payroll.Add", "Payroll.Query",
        "Worker.Query", "WorkerBlackList.Query", "Corp.Query",
    ]

    /// The steps SiteRoll passes today: all of them since the national methods landed (issue 15
    /// item 1). A step missing here that starts passing fails this test until it is added.
    static let passing = Set(sequence)

    static func client(_ client: some TestClientProtocol, _ app: NationalGatewayTests.Credentials) throws
        -> NationalClient
    {
        let port = try #require(client.port)
        return NationalClient(url: "http://127.0.0.1:\(port)/open.api", appID: app.appID, secret: app.secret)
    }

    /// The demo project's dedicated wage account, which `Payroll.Add` must name as the paying account.
    static func payAccount(_ platform: TestPlatform, project: ProjectModel) async throws
        -> (number: String, bankCode: String, bankName: String)
    {
        let account = try #require(
            try await WageAccountModel.query(on: platform.db).filter(\.$projectID == project.id!).first())
        return (try platform.services.cipher.open(account.numberCipher), account.bankCode, account.bankName)
    }

    @Test("the whole sequence: every step's outcome as expected, printed as decided, results carried forward")
    func sequenceAgainstSiteRoll() async throws {
        try await TestPlatform.run(live: true) { client, platform in
            let (app, project) = try await NationalGatewayTests.credentials(platform)
            var options = Conformance.Options()
            options.payAccount = try await Self.payAccount(platform, project: project)
            let printed = LinesSeen()
            let report = await Conformance(client: try Self.client(client, app), options: options).run {
                printed.add($0.line)
            }
            #expect(report.steps.map(\.id) == Self.sequence)
            #expect(printed.lines == report.steps.map(\.line), "each step is reported as soon as it is decided")
            for step in report.steps {
                if Self.passing.contains(step.id) {
                    #expect(step.outcome == .passed, "\(step.line)")
                } else {
                    #expect(step.outcome != .passed, "\(step.id) passes now: add it to ConformanceTests.passing")
                    #expect(!step.detail.isEmpty, "\(step.line)")
                }
                if step.outcome == .skipped { #expect(step.detail.hasPrefix("需要先通过"), "\(step.line)") }
            }
            #expect(report.step("Project.Query")?.detail.contains(project.code) == true)
            #expect(report.step("WrongSign")?.detail.hasPrefix("应答 -2") == true)
            #expect(report.step("StaleTimestamp")?.detail.contains("平台时间为") == true)
            #expect(report.step("Team.Add")?.detail.contains("teamSysNo") == true)
            #expect(report.step("Payroll.Add")?.detail.contains("payrollCode") == true)
            #expect(report.allPassed == (Self.passing.count == Self.sequence.count))
            #expect(report.summary.hasPrefix("共 \(Self.sequence.count) 步：通过 \(Self.passing.count)"))
            let units = try await ProjectUnitModel.query(on: platform.db).filter(\.$projectID == project.id!).all()
            #expect(
                units.contains { unit in
                    report.step("ProjectSubContractor.Add")?.detail.contains(unit.creditCode) == true
                })
        }
    }

    @Test("a refused write fails with the server's words and the steps that need it are skipped; the rest run")
    func refusalAndSkips() async throws {
        try await TestPlatform.run(live: true) { client, platform in
            let (app, _) = try await NationalGatewayTests.credentials(platform)
            // No dedicated account given: the made-up paying account is refused, as the regulation asks.
            let report = await Conformance(client: try Self.client(client, app)).run()
            let payroll = try #require(report.step("Payroll.Add"))
            #expect(payroll.outcome == .failed && payroll.detail.hasPrefix("异步结果 10："), "\(payroll.line)")
            #expect(payroll.detail.contains("payBankCardNumber"), "\(payroll.line)")
            #expect(report.step("Payroll.Query")?.outcome == .skipped)
            #expect(report.step("Payroll.Query")?.detail == "需要先通过 Payroll.Add")
            #expect(report.step("Corp.Query")?.outcome == .passed, "steps after the failure still run")
            #expect(!report.allPassed && report.summary.hasSuffix("未全部通过"))
        }
    }

    @Test("NationalClient: WorkerAttendance.Add for a worker on site, submitted, polled to 20, stored once")
    func attendanceThroughTheClient() async throws {
        try await TestPlatform.run(live: true) { client, platform in
            let (app, project) = try await NationalGatewayTests.credentials(platform)
            let national = try Self.client(client, app)
            let entry = try #require(
                try await ProjectWorkerModel.query(on: platform.db).filter(\.$projectID == project.id!)
                    .filter(\.$status == "active").first())
            let worker = try #require(try await WorkerModel.find(entry.workerID, on: platform.db))
            let number = try platform.services.cipher.open(worker.idNumberCipher)
            let swipe: NationalJSON = .object([
                "idCardType": .string("01"), "idCardNumber": .string(try national.encrypt(number)),
                "date": .string(NationalClient.dateTimeText(Date().addingTimeInterval(-120))),
                "direction": .string("01"),
            ])
            let data: NationalJSON = .object([
                "projectCode": .string(project.code), "teamSysNo": .int(0), "dataList": .array([swipe]),
            ])
            func stored() async throws -> Int {
                try await AttendancePunchModel.query(on: platform.db).filter(\.$workerID == worker.id!)
                    .filter(\.$source == "device").count()
            }
            let before = try await stored()
            let serial = try await national.submit(method: "WorkerAttendance.Add", data: data)
            #expect(serial.hasPrefix("workerattendance-add-"))
            let result = try await national.waitForResult(serial: serial, timeout: 20)
            #expect(result.status == .succeeded && result.polls >= 1, "\(result)")
            #expect(try await stored() == before + 1)
            // A refusal is an answer for `call` and a typed failure for `submit`.
            let refused = try await national.call(method: "WorkerAttendance.Add", data: .object([:]))
            #expect(refused.nationalCode == .invalidParameters)
            await #expect(throws: NationalClient.Failure.refused(refused)) {
                _ = try await national.submit(method: "WorkerAttendance.Add", data: .object([:]))
            }
        }
    }

    @Test("no crash on what is not a national answer: a 404, a JSON that is not the envelope, a closed port")
    func malformedAnswers() async throws {
        try await TestPlatform.run(live: true) { client, platform in
            let (app, _) = try await NationalGatewayTests.credentials(platform)
            let port = try #require(client.port)
            let missing = NationalClient(
                url: "http://127.0.0.1:\(port)/no-such-api", appID: app.appID, secret: app.secret)
            let error = await #expect(throws: NationalClient.Failure.self) {
                _ = try await missing.call(method: "CheckSign.Query", data: .object([:]))
            }
            if case .httpStatus(let status, _)? = error {
                #expect(status == 404)
            } else {
                Issue.record("\(String(describing: error))")
            }
            #expect(NationalClient.answer(Data(#"{"status":"ok"}"#.utf8)) == nil)
            #expect(NationalClient.answer(Data("<html>".utf8)) == nil)
            #expect(NationalClient.answer(Data(#"{"code":"-2","message":"签名错误"}"#.utf8))?.code == -2)
        }
        let closed = NationalClient(
            url: "http://127.0.0.1:1/open.api", appID: "x", secret: String(repeating: "a", count: 32))
        let report = await Conformance(client: closed).run()
        #expect(report.step("CheckSign.Query")?.detail.hasPrefix("无法连接平台") == true)
        #expect(report.steps.dropFirst().allSatisfy { $0.outcome == .skipped }, "nothing else is tried")
        #expect(report.steps.count == Self.sequence.count && !report.allPassed)
    }
}

/// The lines a run hands to its progress callback, in order.
final class LinesSeen: Sendable {
    private let storage = Mutex<[String]>([])
    func add(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}
