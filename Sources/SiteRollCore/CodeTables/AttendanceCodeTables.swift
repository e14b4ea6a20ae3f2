/// Code tables of attendance records (`WorkerAttendance.Add`, standards.md b.6).
extension CodeTable {
    /// standards.md c.17 考勤方向 `direction` [C2], built from `PunchDirection`. Not the 进退场类型 of
    /// `WorkerEntryExit` (c.17b, `entryExitTypes`), which records joining and leaving a project rather than
    /// a day's passage through the gate.
    public static let attendanceDirections = CodeTable(
        source: "standards.md c.17 考勤方向", PunchDirection.allCases.map { ($0.nationalCode, $0.chineseName) })

    /// standards.md c.18 通行方式 `attendType` [C]: how a worker passed the gate. Optional in an upload.
    /// 007 异常清退 clears a worker who left without passing the gate, so that the gate's in/out state is
    /// consistent again; 009 应急通道 is a passage without any gate interaction. Phone positioning has no code
    /// of its own.
    public static let passageMethods = CodeTable(
        source: "standards.md c.18 通行方式",
        [
            ("001", "人脸识别"), ("002", "虹膜识别"), ("003", "指纹识别"), ("004", "掌纹识别"), ("005", "身份证识别"),
            ("006", "实名卡"), ("007", "异常清退"), ("008", "一键开闸"), ("009", "应急通道"), ("010", "二维码识别"),
            ("011", "其他方式"),
        ])
}

/// Whether a punch records arriving on site or leaving it: the attendance `direction` of the national
/// interface (standards.md c.17). The raw values are what SiteRoll stores and its API sends.
public enum PunchDirection: String, Sendable, Hashable, CaseIterable, Codable {
    case entry = "in"
    case exit = "out"

    /// The national code (c.17): "01" 入场, "02" 出场, with the leading zero.
    public var nationalCode: String {
        switch self {
        case .entry: "01"
        case .exit: "02"
        }
    }

    /// The name in the national table, as sheets and record lists show it. Deliberately 入场 rather than
    /// 进场, which is c.17b's word for joining a project (`entryExitTypes`).
    public var chineseName: String {
        switch self {
        case .entry: "入场"
        case .exit: "出场"
        }
    }

    /// The label of the button on the worker's punch page.
    public var buttonLabel: String {
        switch self {
        case .entry: "上班打卡"
        case .exit: "下班打卡"
        }
    }

    public init?(nationalCode: String) {
        guard let direction = PunchDirection.allCases.first(where: { $0.nationalCode == nationalCode }) else {
            return nil
        }
        self = direction
    }
}
