import Synchronization

/// Which query parameters and form fields a handler read. The test that sends hostile values to
/// every route (issue 12 item 2) turns it on around one request and then knows what to fill,
/// so a new page or form is covered without anyone editing the test. Off (nil) everywhere else.
enum RequestFieldLog {
    @TaskLocal static var current: Recorder?

    final class Recorder: Sendable {
        private let names = Mutex<Set<String>>([])

        init() {}

        func note(_ name: String) { names.withLock { _ = $0.insert(name) } }

        var read: Set<String> { names.withLock { $0 } }
    }

    static func note(_ name: String) { current?.note(name) }
}
