import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A simulator of an external system (the identity authority, the bank; later the upper platform)
/// served over real HTTP, written once. Inside `siteroll serve --demo` and the tests it listens on
/// an ephemeral loopback port as one of the application's services, so that they take the same HTTP
/// path as production (`baseURL` is nil until it listens); under `siteroll simulate …` it is the
/// process itself, on the port given. Its announcement names it a simulator in the log.
package final class LoopbackSimulator: Service, Sendable {
    private let host: String
    private let requestedPort: Int
    private let serverName: String
    private let announcement: String
    private let logger: Logger
    private let routes: @Sendable (Router<BasicRequestContext>) -> Void
    private let port = Mutex<Int?>(nil)

    /// `port` 0: an ephemeral port, known once the server listens.
    package init(
        serverName: String, announcement: String, host: String = "127.0.0.1", port: Int = 0, logger: Logger,
        routes: @escaping @Sendable (Router<BasicRequestContext>) -> Void
    ) {
        self.host = host
        self.requestedPort = port
        self.serverName = serverName
        self.announcement = announcement
        self.logger = logger
        self.routes = routes
    }

    /// `http://127.0.0.1:PORT` once the simulator listens; nil before.
    package var baseURL: String? { port.withLock { $0 }.map { "http://\(host):\($0)" } }

    /// The base URL, waiting up to `limit` for the simulator to start (start-up work such as the
    /// demo's paid months may ask before the service group has it listening).
    package func url(waitingUpTo limit: Duration = .seconds(5)) async -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if let baseURL { return baseURL }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return baseURL
    }

    /// As one of the application's services: the service group stops it.
    package func run() async throws {
        try await application().runService(gracefulShutdownSignals: [])
    }

    /// As a process of its own: until SIGINT or SIGTERM.
    package func runUntilSignalled() async throws {
        try await application().runService()
    }

    private func application() -> some ApplicationProtocol {
        let router = Router()
        routes(router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: requestedPort), serverName: serverName),
            onServerRunning: { [self] channel in
                let bound = channel.localAddress?.port
                port.withLock { $0 = bound }
                logger.notice("\(announcement)", metadata: ["port": "\(bound ?? 0)"])
            },
            logger: logger)
    }
}
