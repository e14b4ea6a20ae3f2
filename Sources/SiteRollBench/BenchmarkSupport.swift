import FluentKit
import FluentSQL
import Foundation
import Logging
import SiteRollServer
import SiteRollStore

/// What both benchmarks need around a run: a fresh database, and the process's peak memory.
enum BenchmarkSupport {
    /// A fresh database for a benchmark and how to remove it: SQLite in a temporary directory, or,
    /// given a PostgreSQL server URL, a new database on it, dropped afterwards.
    static func freshDatabase(_ postgresURL: String?, logger: Logger) async throws
        -> (DatabaseLocation, @Sendable () async -> Void)
    {
        guard let adminURL = postgresURL else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("siteroll-bench-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return (
                .sqlite(path: directory.appendingPathComponent("bench.sqlite").path),
                { try? FileManager.default.removeItem(at: directory) }
            )
        }
        let name = "siteroll_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        guard var components = URLComponents(string: adminURL) else {
            throw AppError(.badRequest, code: "BENCH_POSTGRES_URL", message: "PostgreSQL 地址无法识别：\(adminURL)")
        }
        components.path = "/" + name
        guard let url = components.string else {
            throw AppError(.badRequest, code: "BENCH_POSTGRES_URL", message: "PostgreSQL 地址无法识别：\(adminURL)")
        }
        let admin = try DatabaseService(location: .postgres(url: adminURL), logger: logger, connectionsPerLoop: 1)
        try await (try admin.database().sql()).raw("CREATE DATABASE \(unsafeRaw: name)").run()
        await admin.shutdown()
        return (
            .postgres(url: url),
            {
                guard
                    let admin = try? DatabaseService(
                        location: .postgres(url: adminURL), logger: logger, connectionsPerLoop: 1)
                else { return }
                try? await (try admin.database().sql()).raw(
                    "DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)"
                ).run()
                await admin.shutdown()
            }
        )
    }

    /// Runs `body` on a fresh database and removes the database afterwards, whether `body` succeeds
    /// or throws (both benchmarks' `run`).
    static func withFreshDatabase<T: Sendable>(
        _ postgresURL: String?, logger: Logger, _ body: (DatabaseLocation) async throws -> T
    ) async throws -> T {
        let (location, cleanup) = try await freshDatabase(postgresURL, logger: logger)
        do {
            let result = try await body(location)
            await cleanup()
            return result
        } catch {
            await cleanup()
            throw error
        }
    }

    /// Peak resident set size (VmHWM) of this process, in MB.
    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1024
        }
        return 0
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// The `fraction` percentile of `durations` in milliseconds (nearest rank); 0 for none.
    static func percentile(_ durations: [Duration], _ fraction: Double) -> Double {
        let sorted = durations.sorted()
        guard !sorted.isEmpty else { return 0 }
        return milliseconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
    }
}
