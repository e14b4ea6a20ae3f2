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
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A demo SiteRoll platform on a fresh database, listening on a free loopback port, built exactly
/// as `siteroll serve --demo` builds it — what the attendance and gateway benchmarks measure.
struct BenchmarkPlatform: Sendable {
    let services: SiteRollServices
    let base: String
    let client: HTTPClient
    /// What start-up printed: the demo's national apps with their secrets.
    let nationalApps: [(project: String, appID: String, secret: String)]
    let group: ServiceGroup
    let running: Task<Void, any Error>

    static func start(_ location: DatabaseLocation, logger: Logger) async throws -> BenchmarkPlatform {
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
        let report = StartupBox()
        let app = try await buildApplication(services: services, logger: quiet) { startup in
            report.value.withLock { $0 = startup }
        }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: quiet)
        let running = Task { try await group.run() }
        let base = "http://127.0.0.1:\(configuration.port)"
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await waitUntilHealthy(base, client: client)
        } catch {
            running.cancel()
            try? await client.shutdown()
            throw error
        }
        return BenchmarkPlatform(
            services: services, base: base, client: client,
            nationalApps: report.value.withLock { $0?.demoNationalApps } ?? [], group: group,
            running: running)
    }

    /// Shuts the server down gracefully (cancelling it would log every open connection as an error).
    func stop() async {
        try? await client.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await running.value
    }

    /// The first demo project (by code) and a gate device registered on it, with its bearer token.
    func deviceOnFirstProject() async throws -> (project: ProjectModel, device: AttendanceDeviceModel, token: String) {
        let db = services.database.database()
        guard let project = try await ProjectModel.query(on: db).sort(\.$code).first(),
            let admin = try await AccountModel.query(on: db).filter(\.$username == "sj_admin").with(\.$enterprise)
                .first()
        else { throw AppError(.notFound, code: "BENCH_NO_DEMO", message: "基准测试数据库中没有演示项目或企业管理员") }
        let account = AccountSnapshot(admin)
        let (device, secret) = try await services.attendance.registerDevice(
            name: "基准测试闸机", kind: "turnstile", project: project.uuid, scope: account.scope!, by: account)
        return (project, device, try await deviceToken(appID: device.code, secret: secret))
    }

    /// The workers on site on `project` with their entries and ID numbers (opened with the data key).
    func workersOnSite(_ project: ProjectModel) async throws
        -> [(worker: WorkerModel, entry: ProjectWorkerModel, idNumber: String)]
    {
        let db = services.database.database()
        let entries = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == project.uuid)
            .filter(\.$status == "active").all()
        let entryByWorker = Dictionary(entries.map { ($0.workerID, $0) }, uniquingKeysWith: { first, _ in first })
        return try await WorkerModel.query(on: db).filter(\.$id ~~ entries.map(\.workerID)).all().compactMap { worker in
            guard let entry = entryByWorker[worker.uuid] else { return nil }
            return (worker, entry, try services.cipher.open(worker.idNumberCipher))
        }
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

    private func deviceToken(appID: String, secret: String) async throws -> String {
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

    /// Posts one batch of device punches; returns the number of duplicates it reported.
    @discardableResult
    func postPunches(_ body: ByteBuffer, token: String) async throws -> Int {
        var request = HTTPClientRequest(url: base + "/api/v1/attendance/punches")
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

    /// Raw multi-row inserts of `rows` in chunks of `batchSize` over `lanes` concurrent transactions.
    func insertRaw(_ rows: [PunchRow], batchSize: Int, lanes: Int) async throws {
        let db = services.database.database()
        let chunks = stride(from: 0, to: rows.count, by: max(1, batchSize)).map {
            Array(rows[$0..<min($0 + max(1, batchSize), rows.count)])
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<max(1, lanes) {
                group.addTask {
                    for index in stride(from: lane, to: chunks.count, by: max(1, lanes)) {
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

/// What start-up reports, handed from the server's start-up closure to the benchmark.
private final class StartupBox: Sendable {
    let value = Mutex<StartupReport?>(nil)
}
