import FluentKit
import Foundation
import Logging
import NIOCore
import SiteRollClient
import SiteRollCore
import SiteRollNational
import SiteRollServer
import SiteRollStore

/// `siteroll bench gateway` (issue 15 item 7): the same punches three ways in one run on a fresh
/// demo platform — `WorkerAttendance.Add` through `/open.api` with `NationalClient` (sign, AES,
/// asynchronous job, polled until status 20), the gate devices' `/api/v1` punch upload, and raw
/// multi-row inserts — as rates and ratios, plus the time from a national request to its result 20.
public enum GatewayBenchmark {
    public struct Options: Sendable {
        public var punches = 2_000
        /// Swipes per call: 20 is the national clients' cap on `dataList` (standards.md b.6).
        public var batchSize = 20
        public var concurrency = 4
        /// Each HTTP phase stops sending new batches after this many seconds.
        public var maxSeconds: Double = 300
        public var postgresURL: String?

        public init() {}
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var database: String
        public var batchSize: Int
        public var concurrency: Int
        public var national: Phase
        public var device: Phase
        public var raw: Phase
        /// Calls made by the national phase (writes and polls) and results other than 20.
        public var nationalCalls: Int
        public var nationalFailures: [String]

        public struct Phase: Sendable {
            public var punches: Int
            public var seconds: Double
            public var p50Milliseconds: Double
            public var p99Milliseconds: Double
            public var rate: Double { seconds > 0 ? Double(punches) / seconds : 0 }
        }

        func line(_ title: String, _ phase: Phase) -> String {
            "\(title)\(String(format: "%6.0f", phase.rate)) punches/s (\(phase.punches) in \(String(format: "%.2f", phase.seconds)) s)"
        }

        func percent(_ a: Phase, _ b: Phase) -> String {
            b.rate > 0 ? String(format: "%.1f %%", a.rate / b.rate * 100) : "-"
        }

        public var description: String {
            """
            SiteRoll national gateway benchmark — \(database)
              batches of \(batchSize) swipes (the national clients' dataList cap), \(concurrency) concurrent clients
            \(line("  /open.api WorkerAttendance.Add (sign, AES, job, poll to 20): ", national))
            \(line("  /api/v1 device punch upload (token, JSON, same rules):       ", device))
            \(line("  raw multi-row insert of the same rows:                       ", raw))
              ratios: /open.api ÷ /api/v1 \(percent(national, device)), /open.api ÷ raw \(percent(national, raw)), /api/v1 ÷ raw \(percent(device, raw))
              /open.api request to result 20: p50 \(String(format: "%.1f", national.p50Milliseconds)) ms, p99 \(String(format: "%.1f", national.p99Milliseconds)) ms (\(nationalCalls) calls: writes and polls)
              /api/v1 request to answer:      p50 \(String(format: "%.1f", device.p50Milliseconds)) ms, p99 \(String(format: "%.1f", device.p99Milliseconds)) ms
              national results other than 20: \(nationalFailures.isEmpty ? "none" : "\(nationalFailures.count), first: \(nationalFailures[0])")
            """
        }
    }

    public static func run(_ options: Options, logger: Logger) async throws -> Report {
        try await BenchmarkSupport.withFreshDatabase(options.postgresURL, logger: logger) { location in
            let platform = try await BenchmarkPlatform.start(location, logger: logger)
            do {
                let report = try await measure(options, platform: platform, location: location)
                await platform.stop()
                return report
            } catch {
                await platform.stop()
                throw error
            }
        }
    }

    /// One swipe: who, when, which way.
    struct Swipe: Sendable {
        var worker: Int
        var time: Date
        var inward: Bool
    }

    private static func measure(_ options: Options, platform: BenchmarkPlatform, location: DatabaseLocation)
        async throws -> Report
    {
        let (project, _, token) = try await platform.deviceOnFirstProject()
        let onSite = try await platform.workersOnSite(project)
        guard !onSite.isEmpty,
            let app = platform.nationalApps.first(where: { $0.appID == project.code })
        else { throw AppError(.notFound, code: "BENCH_NO_APP", message: "演示项目没有在岗工人或国家接口应用") }
        // The app's call rate (600 a minute unless set) would measure the limit, not the gateway.
        let db = platform.services.database.database()
        if let model = try await AppCredentialModel.query(on: db).filter(\.$appID == app.appID)
            .filter(\.$kind == "national").first()
        {
            model.ratePerMinute = 1_000_000
            try await model.update(on: db)
        }
        let idNumbers = onSite.map(\.idNumber)
        let client = NationalClient(
            url: platform.base + "/open.api", appID: app.appID, secret: app.secret, httpClient: platform.client)

        // Three disjoint stretches of the last weeks: distinct seconds per worker, nothing a duplicate.
        func batches(startingDaysAgo days: Double) -> [[Swipe]] {
            let start = Date().addingTimeInterval(-days * 86_400)
            let swipes = (0..<options.punches).map { index in
                Swipe(
                    worker: index % onSite.count,
                    time: start.addingTimeInterval(Double(index / onSite.count) * 30 + Double(index % onSite.count)),
                    inward: index % 2 == 0)
            }
            return stride(from: 0, to: swipes.count, by: options.batchSize).map {
                Array(swipes[$0..<min($0 + options.batchSize, swipes.count)])
            }
        }

        let calls = Counter()
        let national = try await phase(batches(startingDaysAgo: 21), options) { batch in
            let list: [NationalJSON] = try batch.map { swipe in
                .object([
                    "idCardType": .string("01"),
                    "idCardNumber": .string(try client.encrypt(idNumbers[swipe.worker])),
                    "date": .string(NationalClient.dateTimeText(swipe.time)),
                    "direction": .string(swipe.inward ? "01" : "02"),
                    "attendType": .string("001"),
                ])
            }
            let serial = try await client.submit(
                method: "WorkerAttendance.Add",
                data: .object(["projectCode": .string(project.code), "teamSysNo": .int(0), "dataList": .array(list)]))
            let result = try await client.waitForResult(serial: serial, timeout: 120, firstInterval: .milliseconds(5))
            await calls.add(1 + result.polls)
            return result.status == .succeeded ? nil : (result.result ?? "status \(result.status.rawValue)")
        }
        let device = try await phase(batches(startingDaysAgo: 14), options) { batch in
            let formatter = ISO8601DateFormatter()
            let items = batch.map { swipe in
                [
                    "idCardNumber": idNumbers[swipe.worker], "time": formatter.string(from: swipe.time),
                    "direction": swipe.inward ? "in" : "out", "passageMethod": "001",
                ]
            }
            let body = try JSONSerialization.data(withJSONObject: ["punches": items])
            try await platform.postPunches(ByteBuffer(bytes: body), token: token)
            return nil
        }
        let rows = batches(startingDaysAgo: 7).joined().prefix(national.phase.punches).enumerated().map {
            index, swipe in
            let (worker, entry, _) = onSite[swipe.worker]
            var row = PunchRow(
                id: UUID(), projectID: project.uuid, workerID: worker.uuid, unitID: entry.unitID, teamID: entry.teamID,
                localDate: AttendanceService.localDate(swipe.time), punchedAt: swipe.time,
                direction: swipe.inward ? "in" : "out", source: "device", dedupeKey: "raw:\(index)",
                serverTime: Date(), status: "accepted", recordedBy: "raw")
            row.passageMethod = "001"
            return row
        }
        let clock = ContinuousClock()
        let rawStart = clock.now
        try await platform.insertRaw(Array(rows), batchSize: options.batchSize, lanes: options.concurrency)
        let rawSeconds = BenchmarkSupport.milliseconds(clock.now - rawStart) / 1000
        return Report(
            database: location.description, batchSize: options.batchSize, concurrency: options.concurrency,
            national: national.phase, device: device.phase,
            raw: .init(punches: rows.count, seconds: rawSeconds, p50Milliseconds: 0, p99Milliseconds: 0),
            nationalCalls: await calls.value, nationalFailures: national.failures)
    }

    /// Sends `batches` over `options.concurrency` lanes until done or `maxSeconds` pass; `send`
    /// answers nil for success or the reason a batch failed.
    private static func phase(
        _ batches: [[Swipe]], _ options: Options, send: @escaping @Sendable ([Swipe]) async throws -> String?
    ) async throws -> (phase: Report.Phase, failures: [String]) {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .seconds(options.maxSeconds)
        let lanes = max(1, options.concurrency)
        let outcomes = try await withThrowingTaskGroup(of: [(Duration, Int, String?)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var own: [(Duration, Int, String?)] = []
                    for index in stride(from: lane, to: batches.count, by: lanes) where clock.now < deadline {
                        let began = clock.now
                        let failure = try await send(batches[index])
                        own.append((clock.now - began, batches[index].count, failure))
                    }
                    return own
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = BenchmarkSupport.milliseconds(clock.now - started) / 1000
        let latencies = outcomes.map(\.0)
        return (
            Report.Phase(
                punches: outcomes.reduce(0) { $0 + $1.1 }, seconds: elapsed,
                p50Milliseconds: BenchmarkSupport.percentile(latencies, 0.5),
                p99Milliseconds: BenchmarkSupport.percentile(latencies, 0.99)),
            outcomes.compactMap(\.2)
        )
    }

    private actor Counter {
        var value = 0
        func add(_ amount: Int) { value += amount }
    }
}
