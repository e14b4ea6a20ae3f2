import Foundation

/// Sign-in throttling (S1). A wrong password is counted under the typed username — whether or not
/// such an account exists, so the answer never tells an attacker which names are real — and under
/// the source address; when the browser has signed in to that account before, under that known
/// browser instead. After `freeFailures` a key must wait before its next attempt, the wait doubling
/// from `firstDelay` up to `maximumDelay`, and it ends by itself: there is no lock a stranger can
/// put on an owner, and the owner's own browser is counted apart from the stranger's attempts.
/// Counts lapse after `quietPeriod` without a failure. The state lives in the database, so every
/// process behind the load balancer counts the same attempts (DESIGN.md, Scale).
public struct LoginThrottlePolicy: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The typed username.
        case account
        /// The address the attempt came from: many users behind one office gateway share it, so
        /// it is allowed more failures.
        case source
        /// A browser that signed in to the account before.
        case device
    }

    public var freeFailures: Int
    public var sourceFreeFailures: Int
    public var firstDelay: TimeInterval
    public var maximumDelay: TimeInterval
    public var quietPeriod: TimeInterval

    public init(
        freeFailures: Int = 5, sourceFreeFailures: Int = 30, firstDelay: TimeInterval = 30,
        maximumDelay: TimeInterval = 15 * 60, quietPeriod: TimeInterval = 24 * 3600
    ) {
        self.freeFailures = max(freeFailures, 1)
        self.sourceFreeFailures = max(sourceFreeFailures, 1)
        self.firstDelay = max(firstDelay, 1)
        self.maximumDelay = max(maximumDelay, self.firstDelay)
        self.quietPeriod = max(quietPeriod, 60)
    }

    public struct State: Sendable, Equatable {
        public var failures: Int
        public var lastFailure: Date?
        public var blockedUntil: Date?

        public init(failures: Int = 0, lastFailure: Date? = nil, blockedUntil: Date? = nil) {
            self.failures = failures
            self.lastFailure = lastFailure
            self.blockedUntil = blockedUntil
        }

        public static let clear = State()
    }

    public func freeFailures(for kind: Kind) -> Int { kind == .source ? sourceFreeFailures : freeFailures }

    /// Whether the key must wait at `now`.
    public func isBlocked(_ state: State, at now: Date) -> Bool {
        guard let until = state.blockedUntil else { return false }
        return until > now
    }

    /// The state after a wrong password at `now`.
    public func afterFailure(_ state: State, kind: Kind, at now: Date) -> State {
        let lapsed = state.lastFailure.map { now.timeIntervalSince($0) > quietPeriod } ?? true
        let failures = (lapsed ? 0 : min(state.failures, 10_000)) + 1
        let over = failures - freeFailures(for: kind)
        guard over >= 0 else { return State(failures: failures, lastFailure: now, blockedUntil: nil) }
        // 30 s, 60 s, 120 s … held at the maximum (the exponent is capped before it can overflow).
        let delay = min(firstDelay * pow(2, Double(min(over, 30))), maximumDelay)
        return State(failures: failures, lastFailure: now, blockedUntil: now.addingTimeInterval(delay))
    }

    /// Whether this failure is the one that starts the waits: the moment to alert the
    /// administrators that someone is trying an account's password.
    public func startsThrottling(_ state: State, kind: Kind) -> Bool {
        state.failures == freeFailures(for: kind)
    }
}
