import Foundation

/// What became of one record of a gate device's batch (M3 item 1), as `/api/v1` reports it.
public enum DevicePunchStatus: String, Sendable, Hashable, CaseIterable {
    case accepted
    /// Stored once already: an earlier record of the same batch, or an earlier batch.
    case duplicate
    case refused
}

/// Why a device punch is not stored, each with a stable code and the Chinese message the device's
/// operator reads. `duplicateInBatch` and `alreadyStored` are not faults of the record: they are
/// reported as `duplicate`, every other case as `refused`.
public enum DevicePunchRefusal: Sendable, Hashable {
    /// No worker with this ID number (by its keyed hash) or verification code.
    case workerUnknown
    /// The worker has no active entry on the device's project.
    case notOnSite(workerName: String)
    /// Neither `in`/`out` nor the c.17 codes `01`/`02`.
    case directionInvalid
    /// Not a c.18 passage method code (the first ten characters are quoted back).
    case passageMethodInvalid(String)
    /// More than `DevicePunchRules.futureToleranceSeconds` after the server's clock.
    case timeInFuture
    /// More than `DevicePunchRules.maximumAgeDays` before the server's clock.
    case timeTooOld
    /// An instant the project's attendance day cannot be computed for.
    case timeInvalid
    /// A photo over `DevicePunchRules.maximumPhotoBytes`.
    case photoTooLarge
    /// The same device, worker and second earlier in the same batch.
    case duplicateInBatch
    /// The same device, worker and second stored by an earlier batch.
    case alreadyStored

    public var status: DevicePunchStatus {
        switch self {
        case .duplicateInBatch, .alreadyStored: .duplicate
        default: .refused
        }
    }

    public var code: String {
        switch self {
        case .workerUnknown: "WORKER_UNKNOWN"
        case .notOnSite: "WORKER_NOT_ON_SITE"
        case .directionInvalid: "DIRECTION_INVALID"
        case .passageMethodInvalid: "PASSAGE_METHOD_INVALID"
        case .timeInFuture: "TIME_IN_FUTURE"
        // An instant beyond the calendar is reported like an old one: the device's clock is wrong.
        case .timeTooOld, .timeInvalid: "TIME_TOO_OLD"
        case .photoTooLarge: "PHOTO_TOO_LARGE"
        case .duplicateInBatch, .alreadyStored: "DUPLICATE"
        }
    }

    public var message: String {
        switch self {
        case .workerUnknown: "平台上没有这名工人（身份证号或实名核验码不符）"
        case .notOnSite(let name): "\(name) 在本项目没有有效的进场记录，不能考勤"
        case .directionInvalid: "考勤方向应为 in/out（或 01 入场、02 出场）"
        case .passageMethodInvalid(let method): "通行方式代码“\(method.prefix(10))”不在国家代码表中"
        case .timeInFuture: "考勤时间晚于服务器当前时间，请校准设备时钟"
        case .timeTooOld: "考勤时间早于 \(DevicePunchRules.maximumAgeDays) 天前，请联系项目部人工核实"
        case .timeInvalid: "考勤时间无效，请校准设备时钟"
        case .photoTooLarge: "考勤照片不能超过 \(DevicePunchRules.maximumPhotoBytes / 1024) KB"
        case .duplicateInBatch: "同一批次中重复的记录"
        case .alreadyStored: "该记录已上传过"
        }
    }
}

/// The facts about one record of a device batch that decide whether it is stored. The service
/// gathers them (worker lookup, active entry, the project's attendance day); the rule decides.
public struct DevicePunchFacts: Sendable {
    /// The worker's name; nil when no worker matched the record.
    public var workerName: String?
    /// Whether the worker has an active entry on the device's project.
    public var isOnSite: Bool
    /// As sent: `in`/`out` or the c.17 code.
    public var direction: String
    /// As sent: a c.18 code, or nil.
    public var passageMethod: String?
    public var time: Date
    /// The photo's size in bytes, if one was sent.
    public var photoBytes: Int?
    /// The attendance day `time` falls on for the project; nil when it cannot be computed.
    public var attendanceDay: LocalDate?
    /// An earlier record of the same batch has the same device, worker and second.
    public var repeatsEarlierRecord: Bool

    public init(
        workerName: String?, isOnSite: Bool, direction: String, passageMethod: String? = nil, time: Date,
        photoBytes: Int? = nil, attendanceDay: LocalDate?, repeatsEarlierRecord: Bool = false
    ) {
        self.workerName = workerName
        self.isOnSite = isOnSite
        self.direction = direction
        self.passageMethod = passageMethod
        self.time = time
        self.photoBytes = photoBytes
        self.attendanceDay = attendanceDay
        self.repeatsEarlierRecord = repeatsEarlierRecord
    }
}

/// The gate-device punch rules (M3 item 1): the first refusal that applies, in a fixed order, so
/// that a record with several faults always reports the same one.
public enum DevicePunchRules {
    /// A device clock this far ahead of the server's is tolerated.
    public static let futureToleranceSeconds: TimeInterval = 300
    /// Older punches are refused: a device that was offline for weeks needs a person to look at its data.
    public static let maximumAgeDays = 31
    /// The largest photo a device may attach (the browser-side limit of a portrait, too).
    public static let maximumPhotoBytes = 50 * 1024

    /// The direction as a device may send it: `in`/`out` or the c.17 code `01`/`02`.
    public static func direction(_ text: String) -> PunchDirection? {
        PunchDirection(rawValue: text) ?? PunchDirection(nationalCode: text)
    }

    /// Why the record is not stored, or nil when it is.
    public static func refusal(_ facts: DevicePunchFacts, now: Date) -> DevicePunchRefusal? {
        guard let name = facts.workerName else { return .workerUnknown }
        guard facts.isOnSite else { return .notOnSite(workerName: name) }
        guard direction(facts.direction) != nil else { return .directionInvalid }
        if let method = facts.passageMethod, !CodeTable.passageMethods.contains(method) {
            return .passageMethodInvalid(method)
        }
        if facts.time > now.addingTimeInterval(futureToleranceSeconds) { return .timeInFuture }
        if facts.time < now.addingTimeInterval(-Double(maximumAgeDays) * 86_400) { return .timeTooOld }
        if let bytes = facts.photoBytes, bytes > maximumPhotoBytes { return .photoTooLarge }
        guard facts.attendanceDay != nil else { return .timeInvalid }
        if facts.repeatsEarlierRecord { return .duplicateInBatch }
        return nil
    }
}
