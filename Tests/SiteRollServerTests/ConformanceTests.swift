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

    /// The steps SiteRoll passes today. Grow it as the national methods land (issue 15 item 1):
    /// a step that starts passing fails this test until it is added here.
    static let passing: Set<String> = ["CheckSign.Query", "Project.Query", "WrongSign", "StaleTimestamp", "Replay"]

    static func client(_ client: some TestClientProtocol, _ app: NationalGatewayTests.Credentials) throws
        -> NationalClient
    {
        let port = try #require(client.port)
        return NationalClient(url: "http://127.0.0.1:\(port)/open.api", appID: app.appID, secret: app.secret)
    }

    @Test("the whole sequence: every step's outcome as expected, failures with the server's words, skips naming why")
    func sequenceAgainstSiteRoll() async throws {
        try await TestPlatform.run(live: true) { client, platform in
            let (app, project) = try await NationalGatewayTests.credentials(platform)
            let printed = LinesSeen()
            let report = await Conformance(client: try Self.client(client, app)).run { printed.add($0.line) }
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
            // A method not offered yet fails with the server's own message, and the run goes on.
            if let unit = report.step("ProjectSubContractor.Add"), unit.outcome == .failed {
                #expect(unit.detail.hasPrefix("应答 ") || unit.detail.hasPrefix("异步结果 "), "\(unit.line)")
            }
            #expect(report.allPassed == (Self.passing.count == Self.sequence.count))
            #expect(report.summary.hasPrefix("共 \(Self.sequence.count) 步：通过 \(Self.passing.count)"))
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
