import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The bank simulator run inside `siteroll serve --demo` and the tests when no `bank.url` is
/// configured: a real HTTP server on an ephemeral loopback port, so that pay-on-behalf takes the
/// same HTTP path as production. Its books live in `<data dir>/bank-simulator.json`, so a
/// restarted demo still agrees with what SiteRoll stored. Every answer says it is simulated.
final class EmbeddedBankSimulator: Service, Sendable {
    let simulator: BankSimulator
    private let logger: Logger
    private let port = Mutex<Int?>(nil)

    init(simulator: BankSimulator, logger: Logger) {
        self.simulator = simulator
        self.logger = logger
    }

    static func stateFile(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("bank-simulator.json").path
    }

    /// `http://127.0.0.1:PORT` once the simulator listens; nil before.
    var baseURL: String? { port.withLock { $0 }.map { "http://127.0.0.1:\($0)" } }

    /// The base URL, waiting up to five seconds for the simulator to start (start-up work such as
    /// the demo's paid months may ask before the service group has it listening).
    func url() async -> String? {
        for _ in 0..<100 {
            if let baseURL { return baseURL }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return baseURL
    }

    func run() async throws {
        let router = Router()
        simulator.addRoutes(to: router, logger: logger)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "SiteRoll-Bank-Simulator"),
            onServerRunning: { [self, logger] channel in
                let bound = channel.localAddress?.port
                self.port.withLock { $0 = bound }
                logger.notice(
                    "bank SIMULATOR listening (pay-on-behalf and statements are simulated)",
                    metadata: ["port": "\(bound ?? 0)"])
            },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }
}
