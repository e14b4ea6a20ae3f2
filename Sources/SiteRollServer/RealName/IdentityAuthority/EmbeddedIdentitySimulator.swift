import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The identity-authority simulator run inside `siteroll serve --demo` when no authority is
/// configured: a real HTTP server on an ephemeral loopback port, so that the demo exercises the
/// same HTTP path as production. Every answer it gives says it is simulated.
final class EmbeddedIdentitySimulator: Service, Sendable {
    private let simulator: IdentityAuthoritySimulator
    private let logger: Logger
    private let port = Mutex<Int?>(nil)

    init(simulator: IdentityAuthoritySimulator, logger: Logger) {
        self.simulator = simulator
        self.logger = logger
    }

    /// `http://127.0.0.1:PORT` once the simulator listens; nil before.
    var baseURL: String? { port.withLock { $0 }.map { "http://127.0.0.1:\($0)" } }

    func run() async throws {
        let router = Router()
        simulator.addRoutes(to: router, logger: logger)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "SiteRoll-Simulator"),
            onServerRunning: { [self, logger] channel in
                let bound = channel.localAddress?.port
                self.port.withLock { $0 = bound }
                logger.notice(
                    "identity authority SIMULATOR listening (answers are simulated)",
                    metadata: ["port": "\(bound ?? 0)"])
            },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [])
    }

    /// The demo's identities: the demo workers, and any other well-formed number matches.
    static let demoIdentities = "*\t*\tmatch\n"
}
