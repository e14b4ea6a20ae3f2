import Foundation
import Logging
import ServiceLifecycle

/// Runs the warning rules on a schedule (G4: "on a schedule and on demand"). Every process of a
/// deployment runs one of these; each run is claimed in the database with the interval as the
/// minimum gap, so that a province's several processes evaluate once per interval, not once each.
/// The first check waits `startDelay` so that start-up (and a test suite's short-lived servers)
/// is not slowed by a full evaluation.
struct WarningScheduler: Service {
    let warnings: WarningService
    let interval: Duration
    let startDelay: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await loop() }
    }

    private func loop() async throws {
        try await Task.sleep(for: startDelay)
        while !Task.isCancelled {
            guard warnings.database.isMigrated else {
                try await Task.sleep(for: .milliseconds(500))
                continue
            }
            var pause = min(interval, .seconds(600))
            do {
                let seconds = Double(interval.components.seconds)
                let outcome = try await warnings.run(trigger: .schedule, minimumGap: seconds * 0.95)
                if outcome.skipped == nil {
                    logger.info(
                        "warning run finished",
                        metadata: [
                            "projects": "\(outcome.projects)", "opened": "\(outcome.opened)",
                            "resolved": "\(outcome.resolved)", "open": "\(outcome.stillOpen)",
                            "seconds": "\(String(format: "%.1f", outcome.seconds))",
                        ])
                }
            } catch {
                // SQLite's single connection may have been busy (a long import): try again soon.
                logger.error("scheduled warning run failed", metadata: ["error": "\(error)"])
                pause = min(pause, .seconds(30))
            }
            // Check again well within the interval: another process may have run meanwhile.
            try await Task.sleep(for: pause)
        }
    }
}
