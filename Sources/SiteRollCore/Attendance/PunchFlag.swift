/// Why a phone punch looks doubtful. The raw values are stable codes for storage and the API; people see
/// `chineseName` and the finding's detail. The order of the cases is the order of findings in a verdict.
public enum PunchFlag: String, Sendable, Hashable, CaseIterable, Codable {
    case outsideFence = "OUTSIDE_FENCE"
    case edgeOfFence = "EDGE_OF_FENCE"
    case poorAccuracy = "POOR_ACCURACY"
    case implausiblyPrecise = "IMPLAUSIBLY_PRECISE"
    case repeatedFix = "REPEATED_FIX"
    case impossibleTravel = "IMPOSSIBLE_TRAVEL"
    case clockSkew = "CLOCK_SKEW"
    case offlineTooLong = "OFFLINE_TOO_LONG"
    case unboundDevice = "UNBOUND_DEVICE"

    /// A short label for the review queue and the attendance sheets.
    public var chineseName: String {
        switch self {
        case .outsideFence: "不在考勤范围内"
        case .edgeOfFence: "位于考勤范围边缘"
        case .poorAccuracy: "定位精度差"
        case .implausiblyPrecise: "定位精度异常高"
        case .repeatedFix: "坐标重复"
        case .impossibleTravel: "移动速度异常"
        case .clockSkew: "手机时间不准"
        case .offlineTooLong: "离线打卡时间异常"
        case .unboundDevice: "非绑定手机"
        }
    }
}

/// One failed check, with the numbers that made it fail, for the employer who reviews the punch.
public struct PlausibilityFinding: Sendable, Equatable {
    public var flag: PunchFlag
    /// Simplified Chinese with the measured value and the limit, e.g.
    /// "定位误差约 250 米，超过 100 米".
    public var detail: String

    public init(flag: PunchFlag, detail: String) {
        self.flag = flag
        self.detail = detail
    }
}
