import Foundation
import Testing

@testable import SiteRollCore

/// Gate-device punches (M3 item 1): which record of a batch is stored, and the stable code and
/// message of each one that is not (issue 13 item 5).
@Suite("Device punch rules")
struct DevicePunchRuleTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let day = LocalDate("2027-01-15")

    /// A record that is stored, changed by `change`.
    static func facts(_ change: (inout DevicePunchFacts) -> Void = { _ in }) -> DevicePunchFacts {
        var facts = DevicePunchFacts(
            workerName: "张建国", isOnSite: true, direction: "in", passageMethod: nil, time: now.addingTimeInterval(-60),
            photoBytes: nil, attendanceDay: day, repeatsEarlierRecord: false)
        change(&facts)
        return facts
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var facts: DevicePunchFacts
        var expected: DevicePunchRefusal?
        var testDescription: String { name }

        init(_ name: String, _ facts: DevicePunchFacts, _ expected: DevicePunchRefusal?) {
            self.name = name
            self.facts = facts
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case("a clean record", facts(), nil),
        Case("direction as the c.17 code", facts { $0.direction = "02" }, nil),
        Case("a c.18 passage method", facts { $0.passageMethod = "001" }, nil),
        Case("a device clock 5 minutes fast", facts { $0.time = now.addingTimeInterval(300) }, nil),
        Case("31 days old to the second", facts { $0.time = now.addingTimeInterval(-31 * 86_400) }, nil),
        Case("a 50 KB photo", facts { $0.photoBytes = 50 * 1024 }, nil),
        Case("no such worker", facts { $0.workerName = nil }, .workerUnknown),
        Case("not on site", facts { $0.isOnSite = false }, .notOnSite(workerName: "张建国")),
        Case("direction unknown", facts { $0.direction = "up" }, .directionInvalid),
        Case("passage method unknown", facts { $0.passageMethod = "99" }, .passageMethodInvalid("99")),
        Case("more than 5 minutes ahead", facts { $0.time = now.addingTimeInterval(301) }, .timeInFuture),
        Case("older than 31 days", facts { $0.time = now.addingTimeInterval(-31 * 86_400 - 1) }, .timeTooOld),
        Case("a photo over 50 KB", facts { $0.photoBytes = 50 * 1024 + 1 }, .photoTooLarge),
        Case("no attendance day", facts { $0.attendanceDay = nil }, .timeInvalid),
        Case("repeats an earlier record of the batch", facts { $0.repeatsEarlierRecord = true }, .duplicateInBatch),
        // The order decides which of several faults a record reports.
        Case(
            "unknown worker before everything else",
            facts {
                $0.workerName = nil
                $0.isOnSite = false
                $0.direction = "up"
            }, .workerUnknown
        ),
        Case(
            "not on site before a bad direction",
            facts {
                $0.isOnSite = false
                $0.direction = "up"
            }, .notOnSite(workerName: "张建国")
        ),
        Case(
            "a future time before a large photo",
            facts {
                $0.time = now.addingTimeInterval(3600)
                $0.photoBytes = 1_000_000
            }, .timeInFuture
        ),
        Case(
            "a fault before a duplicate",
            facts {
                $0.photoBytes = 1_000_000
                $0.repeatsEarlierRecord = true
            }, .photoTooLarge
        ),
    ]

    @Test("each record's refusal", arguments: cases)
    func refusal(_ example: Case) {
        #expect(DevicePunchRules.refusal(example.facts, now: Self.now) == example.expected)
    }

    struct Words: Sendable {
        var refusal: DevicePunchRefusal
        var code: String
        var status: DevicePunchStatus
        var message: String

        init(_ refusal: DevicePunchRefusal, _ code: String, _ status: DevicePunchStatus, _ message: String) {
            self.refusal = refusal
            self.code = code
            self.status = status
            self.message = message
        }
    }

    @Test(
        "codes, statuses and messages stay as devices know them",
        arguments: [
            Words(.workerUnknown, "WORKER_UNKNOWN", .refused, "平台上没有这名工人（身份证号或实名核验码不符）"),
            Words(.notOnSite(workerName: "李四"), "WORKER_NOT_ON_SITE", .refused, "李四 在本项目没有有效的进场记录，不能考勤"),
            Words(.directionInvalid, "DIRECTION_INVALID", .refused, "考勤方向应为 in/out（或 01 入场、02 出场）"),
            Words(
                .passageMethodInvalid("ABCDEFGHIJKL"), "PASSAGE_METHOD_INVALID", .refused,
                "通行方式代码“ABCDEFGHIJ”不在国家代码表中"),
            Words(.timeInFuture, "TIME_IN_FUTURE", .refused, "考勤时间晚于服务器当前时间，请校准设备时钟"),
            Words(.timeTooOld, "TIME_TOO_OLD", .refused, "考勤时间早于 31 天前，请联系项目部人工核实"),
            Words(.timeInvalid, "TIME_TOO_OLD", .refused, "考勤时间无效，请校准设备时钟"),
            Words(.photoTooLarge, "PHOTO_TOO_LARGE", .refused, "考勤照片不能超过 50 KB"),
            Words(.duplicateInBatch, "DUPLICATE", .duplicate, "同一批次中重复的记录"),
            Words(.alreadyStored, "DUPLICATE", .duplicate, "该记录已上传过"),
        ])
    func words(_ example: Words) {
        #expect(example.refusal.code == example.code)
        #expect(example.refusal.status == example.status)
        #expect(example.refusal.message == example.message)
    }

    @Test(
        "directions as devices send them",
        arguments: [
            ("in", PunchDirection.entry), ("out", .exit), ("01", .entry), ("02", .exit), ("1", nil), ("IN", nil),
            ("", nil),
        ])
    func direction(text: String, expected: PunchDirection?) {
        #expect(DevicePunchRules.direction(text) == expected)
    }
}
