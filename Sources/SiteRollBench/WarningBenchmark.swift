import FluentKit
import FluentSQL
import Foundation
import Logging
import SiteRollCore
import SiteRollServer
import SiteRollStore
import Synchronization

/// `siteroll bench warnings` (issue 6, item 8): a full warning run over a synthetic province, timed
/// cold (every warning new) and warm (the daily run: everything still there), against a raw scan
/// that reads every row of the same tables once, in the same process and database.
public enum WarningBenchmark {
    public struct Options: Sendable {
        public var projects = 2_000
        public var workersPerProject = 100
        /// nil: SQLite in a temporary directory; otherwise a PostgreSQL server URL (a fresh database
        /// is created for the run and dropped afterwards).
        public var postgresURL: String?

        public init() {}
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var database: String
        public var projects: Int
        public var workers: Int
        public var punches: Int
        public var lines: Int
        public var seedSeconds: Double
        public var coldSeconds: Double
        public var warmSeconds: Double
        public var rawSeconds: Double
        public var rawRows: Int
        public var opened: Int
        /// The daily run: what it wrote besides "still seen".
        var warm: WarningService.Outcome
        public var byRule: [WarningRuleID: Int]
        public var peakRSSMegabytes: Double

        public var description: String {
            let rules = WarningRuleID.allCases.map { "\($0.rawValue) \(byRule[$0] ?? 0)" }.joined(separator: ", ")
            return """
                SiteRoll wage-warning run benchmark — \(database)
                  synthetic province: \(projects) projects, \(workers) workers on site, \(punches) attendance punches (workers last month, managers this month, one per working day), \(lines) payroll lines; seeded in \(String(format: "%.1f", seedSeconds)) s
                  first run (every warning new):        \(String(format: "%.2f", coldSeconds)) s
                  daily run (same facts, all still open): \(String(format: "%.2f", warmSeconds)) s — reading facts \(String(format: "%.2f", warm.gatherSeconds)) s, evaluating \(String(format: "%.2f", warm.evaluateSeconds)) s, writing \(String(format: "%.2f", warm.reconcileSeconds)) s; \(warm.opened) new, \(warm.rewritten) rewritten, \(warm.resolved) resolved
                  raw scan of the same tables (\(rawRows) rows read once): \(String(format: "%.2f", rawSeconds)) s
                  ratio daily run / raw scan: \(String(format: "%.2f", warmSeconds / max(rawSeconds, 0.001)))×; first run / raw scan: \(String(format: "%.2f", coldSeconds / max(rawSeconds, 0.001)))×
                  warnings raised: \(opened) — \(rules)
                  peak RSS: \(String(format: "%.0f", peakRSSMegabytes)) MB
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
        configuration.dataDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent("siteroll-bench-data-\(UUID())").path
        configuration.dataKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        configuration.databaseURL =
            switch location {
            case .postgres(let url): url
            case .sqlite(let path): "sqlite:" + path
            case .sqliteInMemory: "sqlite::memory:"
            }
        var quiet = logger
        quiet.logLevel = .warning
        let database = try DatabaseService(
            location: try configuration.databaseLocation(), logger: quiet,
            connectionsPerLoop: configuration.databasePoolSize,
            poolTimeoutSeconds: Int64(configuration.databasePoolTimeout))
        do {
            let report = try await measure(options, configuration: configuration, database: database, logger: quiet)
            await database.shutdown()
            return report
        } catch {
            await database.shutdown()
            throw error
        }
    }

    private static func measure(
        _ options: Options, configuration: SiteRollConfiguration, database: DatabaseService, logger: Logger
    ) async throws -> Report {
        try await database.migrate()
        // The 21st of this month at noon in Sichuan: last month's pay day (the 10th) has passed.
        let thisMonth = PayMonth(containing: WarningService.today())
        let today = LocalDate(year: thisMonth.year, month: thisMonth.month, day: 21)!
        let now = AttendanceService.instant(today, time: "12:00") ?? Date()
        let clock = ContinuousClock()
        var began = clock.now
        let province = try await seed(options, today: today, on: database)
        let seedSeconds = seconds(clock.now - began)

        var service = try makeWarningService(configuration, database: database, logger: logger)
        service.batchSize = 200
        began = clock.now
        let cold = try await service.run(trigger: .manual, now: now)
        let coldSeconds = seconds(clock.now - began)
        began = clock.now
        let warm = try await service.run(trigger: .manual, now: now.addingTimeInterval(60))
        let warmSeconds = seconds(clock.now - began)
        began = clock.now
        let rawRows = try await rawScan(database, from: PayMonth(containing: today).nearAdding(months: -12))
        let rawSeconds = seconds(clock.now - began)
        return Report(
            database: database.location.description, projects: province.projects, workers: province.workers,
            punches: province.punches, lines: province.lines, seedSeconds: seedSeconds, coldSeconds: coldSeconds,
            warmSeconds: warmSeconds, rawSeconds: rawSeconds, rawRows: rawRows, opened: cold.opened, warm: warm,
            byRule: cold.findingsByRule, peakRSSMegabytes: BenchmarkSupport.peakRSSMegabytes())
    }

    /// Every row of every table the run reads, the columns it reads, streamed once and counted.
    static func rawScan(_ database: DatabaseService, from month: PayMonth) async throws -> Int {
        let sql = try database.sql()
        let statements: [SQLQueryString] = [
            "SELECT id, code, name, division_code, status, contract_signed_on, start_date, pay_day, builder_name, contractor_enterprise_id, contractor_name, authority_phone, created_at FROM projects",
            "SELECT id, project_id, enterprise_id, name, participation_type FROM project_units",
            "SELECT project_id, opened_on, number_masked FROM wage_accounts",
            "SELECT project_id, amount_fen, valid_from, valid_until FROM wage_guarantees",
            "SELECT project_id, occurred_on, amount_fen, counterparty_name, direction, kind FROM wage_account_transactions",
            "SELECT project_id, unit_id, role, starts_on, ends_on FROM project_managers",
            "SELECT id, project_id, unit_id, pay_month, code, status FROM payrolls",
            "SELECT id, payroll_id, project_id, unit_id, worker_id, pay_month, due_fen, paid_fen, paid_on, status, failure_reason, card_id, is_back_pay, back_pay_month FROM payroll_lines",
            "SELECT project_id, unit_id, worker_id, local_date, status, review_status FROM attendance_punches WHERE local_date >= \(bind: month.firstDay.description)",
            "SELECT id, project_id, unit_id, worker_id, work_role, entry_date, exit_date, status FROM project_workers",
            "SELECT id, name, id_number_masked, birth_date, verification_code, verified_at FROM workers",
            "SELECT id, worker_id, holder_name, number_hmac, number_masked, status FROM worker_bank_cards",
            "SELECT project_id, worker_id, unit_id, starts_on, ends_on FROM labour_contracts",
            "SELECT training_id, worker_id FROM training_attendees",
            "SELECT id, type_code, held_on FROM trainings",
            "SELECT id, rule_id, subject_key, status FROM wage_warnings",
        ]
        let count = Mutex(0)
        for statement in statements {
            try await sql.raw(statement).run { _ in count.withLock { $0 += 1 } }
        }
        return count.withLock { $0 }
    }

    static func seconds(_ duration: Duration) -> Double { WarningService.seconds(duration) }
}
