/// What to do with a phone punch whose position is clearly outside the project's fence.
public enum OutsideFencePolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// The punch is refused and the worker told why; nothing is stored as attendance.
    case refuse
    /// The punch is kept but goes to the employer's review queue, like any other suspicious punch. The
    /// default: a worker who is on site with a bad position reading still gets a record that someone can
    /// confirm, instead of losing the day.
    case suspicious

    /// As the project settings page shows it.
    public var chineseName: String {
        switch self {
        case .refuse: "拒绝打卡"
        case .suspicious: "允许打卡，转人工审核"
        }
    }
}

/// The thresholds of the phone-punch checks, configurable per project [I]: a tunnel project needs a longer
/// offline window, a site with surveyors' devices a lower precision floor. Every rule in
/// `PunchPlausibility` reads its limit from here. The defaults are SiteRoll's choices, not a standard's.
public struct PlausibilityPolicy: Sendable, Equatable {
    public var outsideFence: OutsideFencePolicy = .suspicious
    /// A reading less accurate than this (metres) says too little about where the phone is.
    public var maximumAccuracyMetres: Double = 100
    /// A phone browser reading more accurate than this (metres) suggests a mock location.
    public var minimumPlausibleAccuracyMetres: Double = 3
    /// Faster than this (km/h) between the previous punch and this one is impossible travel.
    public var maximumSpeedKmh: Double = 120
    /// How far (seconds) the phone's clock may differ from the server's: |serverTime − clientSentTime|.
    public var maximumClockSkewSeconds: Double = 300
    /// How long (hours) a punch may wait on the phone before it is sent: clientSentTime − clientTime.
    public var maximumOfflineHours: Double = 72
    /// How far (seconds) the press may lie *after* the send on the phone's own clock before the clock
    /// counts as changed in between. Not zero: an automatic time synchronisation may step the clock back a
    /// little while a punch waits.
    public var maximumClockRewindSeconds: Double = 60
    /// How many of the worker's latest phone punches to compare coordinates with (0 turns the check off).
    public var repeatedFixLookback: Int = 5

    public init(
        outsideFence: OutsideFencePolicy = .suspicious, maximumAccuracyMetres: Double = 100,
        minimumPlausibleAccuracyMetres: Double = 3, maximumSpeedKmh: Double = 120,
        maximumClockSkewSeconds: Double = 300, maximumOfflineHours: Double = 72,
        maximumClockRewindSeconds: Double = 60, repeatedFixLookback: Int = 5
    ) {
        self.outsideFence = outsideFence
        self.maximumAccuracyMetres = maximumAccuracyMetres
        self.minimumPlausibleAccuracyMetres = minimumPlausibleAccuracyMetres
        self.maximumSpeedKmh = maximumSpeedKmh
        self.maximumClockSkewSeconds = maximumClockSkewSeconds
        self.maximumOfflineHours = maximumOfflineHours
        self.maximumClockRewindSeconds = maximumClockRewindSeconds
        self.repeatedFixLookback = repeatedFixLookback
    }

    public static let `default` = PlausibilityPolicy()
}
