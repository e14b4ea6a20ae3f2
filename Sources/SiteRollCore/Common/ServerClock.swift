import Foundation
import Synchronization

/// The server's clock: what services, stores and pages take "now" from. Rules never read it —
/// they take `today` as a parameter — but the code around them does, through this one door, so
/// that a test can run the whole platform on a fixed day (the HTML snapshots of issue 13 render
/// the demo on the same date whatever day the suite runs).
public enum ServerClock {
    /// A clock that starts at a fixed instant and moves one millisecond per reading, so that
    /// events keep their order and every run reads the same instants in the same sequence.
    public final class Fixed: Sendable {
        private let start: Date
        private let readings = Mutex<Int64>(0)

        public init(_ start: Date) { self.start = start }

        public func now() -> Date {
            let count = readings.withLock { value -> Int64 in
                value += 1
                return value
            }
            return start.addingTimeInterval(Double(count) / 1000)
        }
    }

    /// Set by a test around the work it runs; nil everywhere else.
    @TaskLocal public static var fixed: Fixed?

    public static func now() -> Date { fixed?.now() ?? Date() }
}
