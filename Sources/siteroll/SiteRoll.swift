import ArgumentParser
import Configuration
import Foundation
import Hummingbird
import Logging
import SiteRollBench
import SiteRollCore
import SiteRollServer
import SiteRollStore

@main
struct SiteRoll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siteroll",
        abstract: "SiteRoll: the construction-worker real-name platform (Sichuan guideline, 2018).",
        subcommands: [
            Serve.self, Migrate.self, Backup.self, Restore.self, Audit.self, Simulate.self, Bench.self,
            ConformanceCommand.self,
        ],
        defaultSubcommand: Serve.self)
}

/// Options shared by every command that opens the database. Given on the command line they win
/// over the environment (`DATA_DIR`, `DATABASE_URL`, `DATA_KEY`, …), which wins over defaults.
struct StoreOptions: ParsableArguments {
    @Option(help: "Directory for the SQLite file and the generated data key (default: ./siteroll-data).")
    var dataDir: String?

    @Option(help: "postgres://user:pass@host:port/db to use PostgreSQL instead of SQLite.")
    var databaseURL: String?

    func values() -> [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let dataDir { values[["data", "dir"]] = .init(.string(dataDir), isSecret: false) }
        if let databaseURL { values[["database", "url"]] = .init(.string(databaseURL), isSecret: true) }
        return values
    }
}

/// Command line over environment over defaults, as swift-configuration providers.
func readConfiguration(_ commandLine: [AbsoluteConfigKey: ConfigValue]) -> SiteRollConfiguration {
    let reader = ConfigReader(providers: [
        InMemoryProvider(name: "command line", values: commandLine),
        EnvironmentVariablesProvider(),
    ])
    return SiteRollConfiguration(reader: reader)
}

func makeLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
    return logger
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (migrates the database first).")

    @OptionGroup var store: StoreOptions

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default 8080).")
    var port: Int?

    @Flag(help: "Load the Sichuan demo data on first start (never loaded without this flag).")
    var demo = false

    func run() async throws {
        var values = store.values()
        if let host { values[["http", "host"]] = .init(.string(host), isSecret: false) }
        if let port { values[["http", "port"]] = .init(.int(port), isSecret: false) }
        if demo { values[["demo"]] = .init(.bool(true), isSecret: false) }
        let configuration = readConfiguration(values)
        let logger = makeLogger("siteroll")
        let location = try configuration.databaseLocation()
        logger.info(
            "starting SiteRoll",
            metadata: [
                "database": "\(location)",
                "address": "\(configuration.host):\(configuration.port)",
            ])
        let app = try await buildApplication(configuration, logger: logger) { report in
            printStartup(report, configuration: configuration)
        }
        try await app.runService()
        logger.info("SiteRoll stopped")
    }
}

/// What the operator must read once: the first administrator's one-time password, or the demo logins.
func printStartup(_ report: StartupReport, configuration: SiteRollConfiguration) {
    var lines: [String] = []
    let base = "http://\(configuration.host):\(configuration.port)"
    if let admin = report.firstAdministrator {
        lines.append("首次启动：已创建平台管理员账号 \(admin.username)（\(configuration.platformDivision.rawValue)）")
        if let password = admin.generatedPassword {
            lines.append("一次性密码：\(password)  （只显示这一次，首次登录后须修改）")
        } else {
            lines.append("密码：使用配置项 ADMIN_PASSWORD 的值")
        }
        lines.append("登录地址：\(base)/gov/login")
    }
    if !report.demoLogins.isEmpty, let password = report.demoPassword {
        lines.append("演示数据已就绪。所有演示账号的密码均为：\(password)")
        for login in report.demoLogins {
            lines.append(
                "  \(base)\(login.console)/login  \(login.username.padding(toLength: 14, withPad: " ", startingAt: 0)) \(login.who)"
            )
        }
    }
    if !report.demoNationalApps.isEmpty {
        lines.append("国家接口（\(base)/open.api，一项目一密钥；演示用，勿用于生产）：")
        for app in report.demoNationalApps {
            let account = report.demoWageAccounts[app.appID].map { "  工资专户 \($0)" } ?? "  （未登记工资专户）"
            lines.append("  appid \(app.appID)  appsecret \(app.secret)  \(app.project)\(account)")
        }
    }
    guard !lines.isEmpty else { return }
    print(String(repeating: "=", count: 72))
    for line in lines { print(line) }
    print(String(repeating: "=", count: 72))
    // stdout is block-buffered when redirected to a file: the operator must see this now
    // (fflush(nil) flushes every stream without touching the global `stdout`).
    fflush(nil)
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date, then exit.")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Revert every migration instead (destroys all data).")
    var revertAll = false

    func run() async throws {
        let configuration = readConfiguration(store.values())
        let database = try DatabaseService(
            location: try configuration.databaseLocation(), logger: makeLogger("siteroll.migrate"))
        do {
            if revertAll { try await database.revertAll() } else { try await database.migrate() }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
        print(revertAll ? "已撤销全部数据库迁移：\(database.location)" : "数据库结构已是最新：\(database.location)")
    }
}

/// Issue 12, item 5 (S4): a consistent copy while the server runs; the data key stays out of it.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent backup of the database to a file (safe while the server runs).")

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("to"), help: "The backup file to write (must not exist yet).")
    var file: String

    func run() async throws {
        let configuration = readConfiguration(store.values())
        let backup = try configuration.databaseBackup(logger: makeLogger("siteroll.backup"))
        let manifest = try await backup.backup(to: file)
        print(
            "备份完成：\(file)（\(backup.location)，数据库结构 \(manifest.schemaLevel ?? "-")，\(manifest.payloadBytes) 字节，"
                + "数据加密密钥指纹 \(manifest.keyFingerprint)）")
        print("备份中不含数据加密密钥：请另行保管 DATA_KEY 或数据目录中的 data.key，没有它无法解密证件号和银行卡号")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup into an empty database (refuses one that already holds tables).")

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("from"), help: "The backup file written by `siteroll backup`.")
    var file: String

    func run() async throws {
        let configuration = readConfiguration(store.values())
        let backup = try configuration.databaseBackup(logger: makeLogger("siteroll.restore"))
        let manifest = try await backup.restore(from: file)
        let made = ISO8601DateFormatter().string(from: manifest.createdAt)
        print(
            "恢复完成：\(backup.location)（备份于 \(made)，数据库结构 \(manifest.schemaLevel ?? "-")，"
                + "\(manifest.migrations.count) 个迁移，已用当前密钥解密校验）")
        print("下一步：siteroll audit verify 校验审计链，然后 siteroll serve 启动服务")
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the audit hash chain; exit 1 naming the first event altered or removed.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = readConfiguration(store.values())
            let database = try DatabaseService(
                location: try configuration.databaseLocation(), logger: makeLogger("siteroll.audit"))
            let report: AuditVerifier.Report
            do {
                report = try await AuditVerifier().verify(on: database.database())
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            if let broken = report.firstBreak {
                print("审计链校验失败：\(broken.chineseDescription)（此前 \(report.eventsChecked) 个事件完好）")
                throw ExitCode(1)
            }
            print("审计链完好：共 \(report.eventsChecked) 个事件，逐一校验通过")
        }
    }
}

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a simulator of an external system on loopback, for development and tests.",
        subcommands: [IdentityAuthorityCommand.self, BankCommand.self])

    struct IdentityAuthorityCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "identity-authority",
            abstract:
                "Simulate the identity authority (docs/identity-authority.md), driven by a file of test identities.")

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on.")
        var port = 9100

        @Option(help: "Tab-separated test identities: idNumber, name, [verdict], [portrait sha256].")
        var identities: String

        func run() async throws {
            let text = try String(contentsOfFile: identities, encoding: .utf8)
            let simulator = IdentityAuthoritySimulator.parse(text)
            let logger = makeLogger("siteroll.simulator.identity-authority")
            let server = simulator.loopback(host: host, port: port, logger: logger)
            print("模拟身份核验服务：http://\(host):\(port)  （仅供开发与测试，所有应答均为模拟，共 \(simulator.identities.count) 个测试身份）")
            fflush(nil)
            try await server.runUntilSignalled()
        }
    }
}

extension Simulate {
    struct BankCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bank",
            abstract:
                "Simulate the dedicated-account bank (docs/bank-gateway.md): balances, statements, pay-on-behalf batches."
        )

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on.")
        var port = 9200

        @Option(help: "JSON file keeping the simulator's books across restarts (default: in memory only).")
        var state: String?

        @Option(help: "Require this bearer key on every call (SiteRoll's bank.key).")
        var key: String?

        func run() async throws {
            let simulator = try BankSimulator(stateFile: state, apiKey: key)
            let logger = makeLogger("siteroll.simulator.bank")
            let server = simulator.loopback(host: host, port: port, logger: logger)
            print("模拟银行：http://\(host):\(port)  （仅供开发与测试，所有余额、流水和代发均为模拟\(state.map { "，账本文件 \($0)" } ?? "，账本只在内存中")）")
            fflush(nil)
            try await server.runUntilSignalled()
        }
    }
}
