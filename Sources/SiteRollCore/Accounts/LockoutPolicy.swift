import Foundation

/// Lock-out after repeated failed logins (S1). The state lives in the account row, not in a
/// process, so that every server behind the load balancer sees the same count (DESIGN.md, Scale).
public struct LockoutPolicy: Sendable {
    public var maximumFailures: Int
    public var lockDuration: TimeInterval

    public init(maximumFailures: Int = 5, lockDuration: TimeInterval = 15 * 60) {
        self.maximumFailures = maximumFailures
        self.lockDuration = lockDuration
    }

    public struct State: Sendable, Equatable {
        public var failedAttempts: Int
        public var lockedUntil: Date?

        public init(failedAttempts: Int, lockedUntil: Date?) {
            self.failedAttempts = failedAttempts
            self.lockedUntil = lockedUntil
        }
    }

    public func isLocked(_ state: State, at now: Date) -> Bool {
        guard let until = state.lockedUntil else { return false }
        return until > now
    }

    /// The state after a wrong password: the count grows; reaching the maximum locks the account.
    public func afterFailure(_ state: State, at now: Date) -> State {
        // A lock that has run out starts a fresh count.
        let previous = (state.lockedUntil.map { $0 <= now } ?? false) ? 0 : state.failedAttempts
        let attempts = previous + 1
        if attempts >= maximumFailures {
            return State(failedAttempts: attempts, lockedUntil: now.addingTimeInterval(lockDuration))
        }
        return State(failedAttempts: attempts, lockedUntil: nil)
    }

    public static let cleared = State(failedAttempts: 0, lockedUntil: nil)
}
