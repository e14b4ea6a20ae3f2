import ArgumentParser
import SiteRollBench

/// Where a benchmark runs: SQLite in a temporary directory, and/or a fresh PostgreSQL database.
struct BenchDatabases: ParsableArguments {
    @Option(help: "Also run on PostgreSQL: a server URL; a fresh database is created and dropped.")
    var postgres: String?

    @Flag(help: "Skip SQLite (only with --postgres).")
    var skipSqlite = false

    /// `body` once per database asked for: nil for SQLite, then the PostgreSQL URL.
    func each(_ body: (String?) async throws -> Void) async throws {
        if !skipSqlite || postgres == nil { try await body(nil) }
        if let postgres { try await body(postgres) }
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print ratios against the raw database on this machine.",
        subcommands: [AttendanceCommand.self, WarningsCommand.self, GatewayCommand.self])

    struct AttendanceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attendance",
            abstract: "Gate-device ingest through the full HTTP path against raw inserts of the same rows (issue 5).")

        @Option(help: "Number of punches.")
        var punches = 20_000

        @Option(help: "Punches per batch (at most 500).")
        var batch = 500

        @Option(help: "Concurrent device clients.")
        var concurrency = 4

        @OptionGroup var databases: BenchDatabases

        func run() async throws {
            let logger = makeLogger("siteroll.bench")
            var options = AttendanceBenchmark.Options()
            options.punches = punches
            options.batchSize = min(max(batch, 1), 500)
            options.concurrency = concurrency
            try await databases.each { postgres in
                options.postgresURL = postgres
                print(try await AttendanceBenchmark.run(options, logger: logger))
            }
        }
    }

    struct WarningsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "warnings",
            abstract:
                "A full wage-warning run over a synthetic province against a raw scan of the same tables (issue 6).")

        @Option(help: "Projects in the synthetic province.")
        var projects = 2_000

        @Option(help: "Workers on site per project (one of them a manager).")
        var workersPerProject = 100

        @OptionGroup var databases: BenchDatabases

        func run() async throws {
            let logger = makeLogger("siteroll.bench")
            var options = WarningBenchmark.Options()
            options.projects = max(1, projects)
            options.workersPerProject = max(2, workersPerProject)
            try await databases.each { postgres in
                options.postgresURL = postgres
                print(try await WarningBenchmark.run(options, logger: logger))
            }
        }
    }
}

extension Bench {
    struct GatewayCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gateway",
            abstract:
                "WorkerAttendance.Add through /open.api (to result 20) against /api/v1 punch upload and raw inserts (issue 15)."
        )

        @Option(help: "Number of punches per way.")
        var punches = 2_000

        @Option(help: "Swipes per call (the national clients send at most 20).")
        var batch = 20

        @Option(help: "Concurrent clients.")
        var concurrency = 4

        @Option(help: "Stop sending new batches in a phase after this many seconds.")
        var maxSeconds: Double = 300

        @OptionGroup var databases: BenchDatabases

        func run() async throws {
            let logger = makeLogger("siteroll.bench")
            var options = GatewayBenchmark.Options()
            options.punches = max(1, punches)
            options.batchSize = min(max(batch, 1), 500)
            options.concurrency = max(1, concurrency)
            options.maxSeconds = max(1, maxSeconds)
            try await databases.each { postgres in
                options.postgresURL = postgres
                print(try await GatewayBenchmark.run(options, logger: logger))
            }
        }
    }
}
