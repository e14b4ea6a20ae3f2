import AsyncHTTPClient
import FluentKit
import FluentSQL
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SiteRollCore
import SiteRollServer
import SiteRollStore

/// `siteroll bench attendance` (issue 5, item 8): the gate-device ingest rate through the full
/// HTTP path (token auth, JSON, validation, worker lookup, dedupe, audit, storage) against raw
/// multi-row inserts of the same rows into the same database, in one process.
public enum AttendanceBenchmark {
    public struct Options: Sendable {
        public var punches = 20_000
        public var batchSize = 500
        public var concurrency = 4
        /// nil: SQLite in a temporary directory. Otherwise a PostgreSQL server URL: a fresh
        /// database is created on it for the run and dropped afterwards.
        public var postgresURL: String?

        public init() {}
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var database: String
        public var punches: Int
        public var batches: Int
        public var batchSize: Int
        public var concurrency: Int
        public var httpSeconds: Double
        public var rawSeconds: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var peakRSSMegabytes: Double
        public var accepted: Int
        public var duplicatesOnReplay: Int

        public var httpRate: Double { Double(punches) / httpSeconds }
        public var rawRate: Double { Double(punches) / rawSeconds }

        public var description: String {
            """
            SiteRoll attendance ingest benchmark — \(database)
              punches: \(punches) in \(batches) batches of \(batchSize), \(concurrency) concurrent clients
              HTTP ingest (auth, JSON, validation, lookup, dedupe, audit, storage): \(String(format: "%.0f", httpRate)) punches/s (\(String(format: "%.2f", httpSeconds)) s)
              raw multi-row insert of the same rows:                               \(String(format: "%.0f", rawRate)) punches/s (\(String(format: "%.2f", rawSeconds)) s)
              ratio HTTP / raw: \(String(format: "%.0f", httpRate / rawRate * 100)) %
              batch latency: p50 \(String(format: "%.1f", p50Milliseconds)) ms, p99 \(String(format: "%.1f", p99Milliseconds)) ms
              peak RSS during the HTTP phase: \(String(format: "%.0f", peakRSSMegabytes)) MB
              stored: \(accepted) accepted; replaying one batch: \(duplicatesOnReplay) duplicates, nothing stored twice
            """
        }
    }

    public static func run(_ options: Options, logger: Logger) async throws -> Report {
        try await BenchmarkSupport.withFreshDatabase(options.postgresURL, logger: logger) { location in
            try await measure(options, location: location, logger: logger)
        }
    }

    private static func measure(_ options: Options, location: DatabaseLocation, logger: Logger) async throws -> Report {
        let platform = try await BenchmarkPlatform.start(location, logger: logger)
        defer { Task { await platform.stop() } }
        let db = platform.services.database.database()
        // A device on the first demo project, and the workers on site there.
        let (project, device, token) = try await platform.deviceOnFirstProject()
        let onSite = try await platform.workersOnSite(project)
        let identities: [(idNumber: String?, code: String?)] = onSite.enumerated().map { index, worker in
            index % 2 == 0 ? (worker.idNumber, nil) : (nil, worker.worker.verificationCode)
        }

        // The punches: distinct seconds per worker over the last days.
        let start = Date().addingTimeInterval(-20 * 86_400)
        let formatter = ISO8601DateFormatter()
        let bodies: [ByteBuffer] = stride(from: 0, to: options.punches, by: options.batchSize).map { first in
            let items = (first..<min(first + options.batchSize, options.punches)).map { index -> [String: String] in
                let identity = identities[index % identities.count]
                let time = start.addingTimeInterval(
                    Double(index / identities.count) * 30 + Double(index % identities.count))
                var item = [
                    "time": formatter.string(from: time), "direction": index % 2 == 0 ? "in" : "out",
                    "passageMethod": "001",
                ]
                if let number = identity.idNumber { item["idCardNumber"] = number }
                if let code = identity.code { item["verificationCode"] = code }
                return item
            }
            let data = try! JSONSerialization.data(withJSONObject: ["punches": items])
            return ByteBuffer(bytes: data)
        }

        // HTTP phase, with the peak RSS counter reset first (Linux: clear_refs 5).
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        let clock = ContinuousClock()
        let httpStart = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            let lanes = max(1, options.concurrency)
            for lane in 0..<lanes {
                group.addTask {
                    var own: [Duration] = []
                    for index in stride(from: lane, to: bodies.count, by: lanes) {
                        let began = clock.now
                        try await platform.postPunches(bodies[index], token: token)
                        own.append(clock.now - began)
                    }
                    return own
                }
            }
            return try await group.reduce(into: [Duration]()) { $0 += $1 }
        }
        let httpElapsed = clock.now - httpStart
        let peak = BenchmarkSupport.peakRSSMegabytes()
        let accepted = try await AttendancePunchModel.query(on: db).filter(\.$deviceID == device.uuid).count()
        let replay = try await platform.postPunches(bodies[0], token: token)

        // Raw phase: the same rows, new keys, plain multi-row inserts in the same batch size.
        let rows: [PunchRow] = (0..<options.punches).map { index in
            let (worker, entry, _) = onSite[index % onSite.count]
            let time = start.addingTimeInterval(Double(index / onSite.count) * 30 + Double(index % onSite.count))
            var row = PunchRow(
                id: UUID(), projectID: project.uuid, workerID: worker.uuid, unitID: entry.unitID, teamID: entry.teamID,
                localDate: AttendanceService.localDate(time), punchedAt: time, direction: index % 2 == 0 ? "in" : "out",
                source: "device", dedupeKey: "raw:\(index)", serverTime: Date(), status: "accepted", recordedBy: "raw")
            row.passageMethod = "001"
            return row
        }
        let rawStart = clock.now
        try await platform.insertRaw(rows, batchSize: options.batchSize, lanes: options.concurrency)
        let rawElapsed = clock.now - rawStart

        let seconds = { (duration: Duration) in BenchmarkSupport.milliseconds(duration) / 1000 }
        return Report(
            database: location.description, punches: options.punches, batches: bodies.count,
            batchSize: options.batchSize, concurrency: options.concurrency, httpSeconds: seconds(httpElapsed),
            rawSeconds: seconds(rawElapsed), p50Milliseconds: BenchmarkSupport.percentile(latencies, 0.5),
            p99Milliseconds: BenchmarkSupport.percentile(latencies, 0.99),
            peakRSSMegabytes: peak, accepted: accepted, duplicatesOnReplay: replay)
    }
}
