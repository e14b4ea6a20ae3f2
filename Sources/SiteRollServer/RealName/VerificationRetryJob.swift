import Foundation
import Logging
import ServiceLifecycle

/// Decides submissions kept while the identity authority did not answer (issue 3, item 3):
/// every few seconds, the due ones are tried again until graceful shutdown.
struct VerificationRetryJob: Service {
    let workers: WorkerVerificationService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await loop() }
    }

    private func loop() async throws {
        while !Task.isCancelled {
            guard workers.database.isMigrated else {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            do {
                let retried = try await workers.retryDue()
                if retried > 0 { logger.info("retried waiting verifications", metadata: ["count": "\(retried)"]) }
            } catch {
                logger.error("verification retry failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
