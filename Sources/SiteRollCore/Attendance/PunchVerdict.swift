import Foundation

/// The outcome of `PunchPlausibility.evaluate`: whether the punch is stored, whether someone must review it,
/// and at which moment it happened.
public struct PunchVerdict: Sendable, Equatable {
    /// Where the reading lies relative to the project's fence.
    public var geofence: GeofenceVerdict
    /// Every check that failed, in `PunchFlag` order, also for a refused punch (for the log).
    public var findings: [PlausibilityFinding]
    /// Refused outright (outside the fence under the refuse policy): not stored as attendance.
    public var isRefused: Bool
    /// Kept, but goes to the employer's review queue.
    public var isSuspicious: Bool { !isRefused && !findings.isEmpty }
    /// The event time on the server's clock: clientTime corrected by the measured skew (serverTime −
    /// clientSentTime), so an offline punch keeps its real moment even if the phone clock is off.
    public var correctedTime: Date
    /// What the worker is told when the punch is refused, e.g. "不在项目考勤范围内，距围栏约 350 米".
    public var refusalMessage: String?

    public init(
        geofence: GeofenceVerdict, findings: [PlausibilityFinding], isRefused: Bool, correctedTime: Date,
        refusalMessage: String?
    ) {
        self.geofence = geofence
        self.findings = findings
        self.isRefused = isRefused
        self.correctedTime = correctedTime
        self.refusalMessage = refusalMessage
    }

    /// The flags of the findings, for storing with the punch.
    public var flags: [PunchFlag] { findings.map(\.flag) }
}
