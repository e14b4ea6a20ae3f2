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

#if canImport(Glibc)
    import Glibc
#endif

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
        var configuration = SiteRollConfiguration()
        configuration.demo = true
        configuration.port = try freePort()
        configuration.bcryptCost = 4
        configuration.dataDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("siteroll-bench-data-\(UUID())").path
        configuration.dataKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        configuration.simulatorIdentities = "*\t*\tmatch\n"
        switch location {
        case .postgres(let url): configuration.databaseURL = url
        case .sqlite(let path): configuration.databaseURL = "sqlite:" + path
        case .sqliteInMemory: configuration.databaseURL = "sqlite::memory:"
        }
        var quiet = logger
        quiet.logLevel = .warning
        let services = try await makeServices(configuration, logger: quiet)
        let app = try await buildApplication(services: services, logger: quiet)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: quiet)
        let running = Task { try await group.run() }
        defer { running.cancel() }
        let base = "http://127.0.0.1:\(configuration.port)"
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { Task { try? await client.shutdown() } }
        try await waitUntilHealthy(base, client: client)

        // A device on the first demo project, and the workers on site there.
        let db = services.database.database()
        guard let project = try await ProjectModel.query(on: db).sort(\.$code).first(),
            let admin = try await AccountModel.query(on: db).filter(\.$username == "sj_admin").with(\.$enterprise)
                .first()
        else { throw AppError(.notFound, code: "BENCH_NO_DEMO", message: "基准测试数据库中没有演示项目或企业管理员") }
        let account = AccountSnapshot(admin)
        let (device, secret) = try await services.attendance.registerDevice(
            name: "基准测试闸机", kind: "turnstile", project: project.uuid, scope: account.scope!, by: account)
        let entries = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == project.uuid)
            .filter(\.$status == "active").all()
        let workers = try await WorkerModel.query(on: db).filter(\.$id ~~ entries.map(\.workerID)).all()
        var identities: [(idNumber: String?, code: String?)] = []
        for (index, worker) in workers.enumerated() {
            identities.append(
                index % 2 == 0 ? (try services.cipher.open(worker.idNumberCipher), nil) : (nil, worker.verificationCode)
            )
        }
        let token = try await deviceToken(base, client: client, appID: device.code, secret: secret)

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
                        try await post(
                            base + "/api/v1/attendance/punches", body: bodies[index], token: token, client: client)
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
        let replay = try await post(base + "/api/v1/attendance/punches", body: bodies[0], token: token, client: client)

        // Raw phase: the same rows, new keys, plain multi-row inserts in the same batch size.
        let entryByWorker = Dictionary(entries.map { ($0.workerID, $0) }, uniquingKeysWith: { first, _ in first })
        let rows: [PunchRow] = (0..<options.punches).map { index in
            let worker = workers[index % workers.count]
            let entry = entryByWorker[worker.uuid]!
            let time = start.addingTimeInterval(Double(index / workers.count) * 30 + Double(index % workers.count))
            var row = PunchRow(
                id: UUID(), projectID: project.uuid, workerID: worker.uuid, unitID: entry.unitID, teamID: entry.teamID,
                localDate: AttendanceService.localDate(time), punchedAt: time, direction: index % 2 == 0 ? "in" : "out",
                source: "device", dedupeKey: "raw:\(index)", serverTime: Date(), status: "accepted", recordedBy: "raw")
            row.passageMethod = "001"
            return row
        }
        let chunks = stride(from: 0, to: rows.count, by: options.batchSize).map {
            Array(rows[$0..<min($0 + options.batchSize, rows.count)])
        }
        let rawStart = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            let lanes = max(1, options.concurrency)
            for lane in 0..<lanes {
                group.addTask {
                    for index in stride(from: lane, to: chunks.count, by: lanes) {
                        try await db.transaction { tx in
                            let builder = try tx.sql().insert(into: AttendancePunchModel.schema).columns(
                                PunchQueries.columns)
                            for row in chunks[index] { builder.values(PunchQueries.values(row)) }
                            try await builder.run()
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let rawElapsed = clock.now - rawStart

        let sorted = latencies.sorted()
        let milliseconds = { (duration: Duration) in
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        let seconds = { (duration: Duration) in milliseconds(duration) / 1000 }
        return Report(
            database: location.description, punches: options.punches, batches: bodies.count,
            batchSize: options.batchSize, concurrency: options.concurrency, httpSeconds: seconds(httpElapsed),
            rawSeconds: seconds(rawElapsed), p50Milliseconds: milliseconds(sorted[sorted.count / 2]),
            p99Milliseconds: milliseconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]),
            peakRSSMegabytes: peak, accepted: accepted, duplicatesOnReplay: replay)
    }

    private static func waitUntilHealthy(_ base: String, client: HTTPClient) async throws {
        for _ in 0..<600 {
            if let response = try? await client.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(2)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw AppError(.serviceUnavailable, code: "BENCH_SERVER_DOWN", message: "基准测试服务器未能启动")
    }

    private static func deviceToken(_ base: String, client: HTTPClient, appID: String, secret: String) async throws
        -> String
    {
        var request = HTTPClientRequest(url: base + "/api/v1/auth/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["appId": appID, "appSecret": secret])))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
            let token = json["token"] as? String
        else { throw AppError(.unauthorized, code: "BENCH_TOKEN", message: "设备未能换取令牌") }
        return token
    }

    /// Posts one batch; returns the number of duplicates it reported.
    @discardableResult
    private static func post(_ url: String, body: ByteBuffer, token: String, client: HTTPClient) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: .seconds(120))
        let data = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok,
            let json = try JSONSerialization.jsonObject(with: Data(buffer: data)) as? [String: Any]
        else {
            throw AppError(
                .internalServerError, code: "BENCH_BATCH_FAILED",
                message: "批次上传失败：HTTP \(response.status.code) \(String(buffer: data).prefix(300))")
        }
        if let refused = json["refused"] as? Int, refused > 0 {
            throw AppError(
                .internalServerError, code: "BENCH_REFUSED",
                message: "批次中有 \(refused) 条被拒绝：\(String(buffer: data).prefix(300))")
        }
        return json["duplicates"] as? Int ?? 0
    }

    private static func freePort() throws -> Int {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            return Int(UInt16(bigEndian: address.sin_port))
        #else
            return 18_080
        #endif
    }
}
