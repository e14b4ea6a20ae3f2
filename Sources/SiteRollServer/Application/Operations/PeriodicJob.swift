import Logging
import ServiceLifecycle
import SiteRollCore
import SiteRollStore

/// Background work repeated every `interval` until graceful shutdown, once this process has
/// brought the schema up to date: the retry of verifications waiting for the identity authority,
/// the follow-up of unsettled bank batches, the scheduled warning run. What a round does across
/// several processes (claims, leases) is the work's own business; this only paces it.
struct PeriodicJob: Service {
    let name: String
    let database: DatabaseService
    let interval: Duration
    /// Before the first round, so that start-up (and a test suite's short-lived servers) is not slowed.
    var startDelay: Duration = .zero
    /// After a failed round, try again this soon (SQLite's one connection may have been busy).
    var retryAfterFailure: Duration?
    let logger: Logger
    let work: @Sendable () async throws -> Void

    func run() async throws {
        // Background work keeps the real clock even when a test runs the platform on a fixed
        // one: its rounds come at moments of their own and must not shift the test's readings.
        try? await ServerClock.$fixed.withValue(nil) {
            try await cancelWhenGracefulShutdown { try await loop() }
        }
    }

    private func loop() async throws {
        try await Task.sleep(for: startDelay)
        while !Task.isCancelled {
            guard database.isMigrated else {
                try await Task.sleep(for: .milliseconds(200))
                continue
            }
            var pause = interval
            do {
                try await work()
            } catch {
                logger.error("\(name) failed", metadata: ["error": "\(error)"])
                if let retry = retryAfterFailure { pause = min(pause, retry) }
            }
            try await Task.sleep(for: pause)
        }
    }
}
