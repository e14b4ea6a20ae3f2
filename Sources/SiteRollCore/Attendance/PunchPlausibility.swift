import Foundation

/// The anti-spoofing checks of phone punches (REQUIREMENTS M3, 建市〔2019〕18号 R7: mobile positioning where a
/// site cannot be closed with gates).
///
/// A phone punch rests on values the phone reports, and each can be faked: mock-location apps (Android's
/// 模拟位置 developer option, 虚拟定位 apps) set any position, a hand-set clock backdates a punch held back
/// offline, and a worker's login on a friend's phone lets one person punch for many (代打卡). No single value
/// proves a fake, so the checks only *flag*: a flagged punch is kept and goes to the employer's review queue
/// with the numbers that raised the flag. The only refusal is a position clearly outside the fence on a
/// project whose policy says so. Every threshold comes from `PlausibilityPolicy`.
public enum PunchPlausibility {
    /// Two coordinates closer than this in both latitude and longitude (about a centimetre) are the same
    /// reading. This defines "identical" rather than tuning a check: real GNSS readings differ by metres.
    public static let identicalCoordinateDegrees = 1e-7

    /// Checks a phone punch against the project's fence and the worker's history.
    ///
    /// - Parameters:
    ///   - fix: what the phone sent, with the server's receiving time.
    ///   - fence: the project's attendance fence.
    ///   - previous: the worker's earlier phone punches; newest first is expected, but any order works.
    ///   - boundDeviceID: the device id bound to the worker, nil (or empty) before the first phone punch,
    ///     which binds it.
    ///   - policy: the project's thresholds.
    public static func evaluate(
        _ fix: PhoneFix, fence: Geofence, previous: [PreviousFix], boundDeviceID: String?, policy: PlausibilityPolicy
    ) -> PunchVerdict {
        let time = correctedTime(of: fix)
        let geofence = fence.verdict(at: fix.point, accuracyMetres: fix.accuracyMetres)
        let history = previous.sorted { $0.time > $1.time }
        let findings = [
            fenceFinding(geofence, fix: fix),
            accuracyFinding(fix, policy: policy),
            repeatedFixFinding(fix, history: history, policy: policy),
            travelFinding(fix, at: time, history: history, policy: policy),
            clockSkewFinding(fix, policy: policy),
            offlineFinding(fix, policy: policy),
            deviceFinding(fix, boundDeviceID: boundDeviceID),
        ].compactMap { $0 }

        var refusalMessage: String?
        if case .outside(let distance) = geofence, policy.outsideFence == .refuse {
            refusalMessage = "不在项目考勤范围内，距围栏约 \(AttendanceText.distance(distance))"
        }
        return PunchVerdict(
            geofence: geofence, findings: findings, isRefused: refusalMessage != nil, correctedTime: time,
            refusalMessage: refusalMessage)
    }

    /// The moment of the press on the server's clock: `clientTime` moved by the skew measured when the punch
    /// arrived (`serverTime − clientSentTime`). Both phone times come from the same clock, so the skew
    /// cancels: a phone 10 minutes fast that held a punch offline for two hours still yields the real
    /// moment. Network transit (seconds) counts as skew, which is negligible for attendance.
    ///
    /// Never after `serverTime`: a press cannot follow its own arrival, and the national interface refuses
    /// attendance later than the request (standards.md b.6).
    ///
    /// What no server can correct is a clock changed *between* press and send; `offlineFinding` bounds how
    /// long such a window can be.
    public static func correctedTime(of fix: PhoneFix) -> Date {
        let skew = fix.serverTime.timeIntervalSince(fix.clientSentTime)
        return min(fix.clientTime.addingTimeInterval(skew), fix.serverTime)
    }

    // MARK: - Rules

    /// Outside the fence by more than the reading's accuracy: even the most favourable position is off site.
    /// Flagged (or refused, by the caller's policy) with the distance, so the employer can tell a worker at
    /// the gate from one at home.
    ///
    /// Uncertain — outside, but within the accuracy radius of the boundary — is only flagged: the accuracy
    /// circle straddles the edge, and GNSS under cranes, next to tall buildings or in a basement is often
    /// tens of metres off. Never refused, because the worker may well be on site.
    static func fenceFinding(_ verdict: GeofenceVerdict, fix: PhoneFix) -> PlausibilityFinding? {
        let accuracy = AttendanceText.number(fix.accuracyMetres)
        switch verdict {
        case .inside:
            return nil
        case .outside(let distance):
            return PlausibilityFinding(
                flag: .outsideFence,
                detail: "距考勤围栏约 \(AttendanceText.distance(distance))，超出定位误差（\(accuracy) 米）")
        case .uncertain(let distance) where !distance.isFinite:
            return PlausibilityFinding(flag: .edgeOfFence, detail: "定位坐标无效，无法判断是否在考勤范围内")
        case .uncertain(let distance):
            return PlausibilityFinding(
                flag: .edgeOfFence,
                detail: "在围栏外约 \(AttendanceText.distance(distance))，但在定位误差 \(accuracy) 米以内，可能在现场")
        }
    }

    /// The reported accuracy radius, checked from both sides.
    ///
    /// - Too coarse (`maximumAccuracyMetres`): a position known only to a few hundred metres — a browser
    ///   that fell back to Wi-Fi or cell towers — says little about presence on site, and a large radius is
    ///   also what turns an off-site reading into an "uncertain" one.
    /// - Too fine (`minimumPlausibleAccuracyMetres`): a phone browser's real readings are rarely better than
    ///   3–5 m, while mock-location apps typically report 0–1 m (or a constant). A project whose workers carry
    ///   survey-grade receivers can lower the floor.
    /// - Not a number, or negative: the phone (or whatever sent the request) gave no usable accuracy; the
    ///   browser API never does that by itself.
    static func accuracyFinding(_ fix: PhoneFix, policy: PlausibilityPolicy) -> PlausibilityFinding? {
        let accuracy = fix.accuracyMetres
        guard accuracy.isFinite, accuracy >= 0 else {
            return PlausibilityFinding(flag: .poorAccuracy, detail: "手机未报告有效的定位精度")
        }
        if accuracy > policy.maximumAccuracyMetres {
            let limit = AttendanceText.number(policy.maximumAccuracyMetres)
            return PlausibilityFinding(
                flag: .poorAccuracy, detail: "定位误差约 \(AttendanceText.number(accuracy)) 米，超过 \(limit) 米")
        }
        if accuracy < policy.minimumPlausibleAccuracyMetres {
            let reported = AttendanceText.number(accuracy, fractionDigits: 2)
            let floor = AttendanceText.number(policy.minimumPlausibleAccuracyMetres)
            return PlausibilityFinding(
                flag: .implausiblyPrecise, detail: "定位误差仅 \(reported) 米，手机浏览器通常达不到 \(floor) 米以内，疑似模拟定位")
        }
        return nil
    }

    /// The same coordinates, to `identicalCoordinateDegrees`, as one of the last `repeatedFixLookback`
    /// punches. Two real readings always differ a little, even standing still, because GNSS positions drift
    /// by metres; an exact repeat is a saved position being replayed, which is how mock-location apps
    /// "teleport" a worker to the site every day.
    static func repeatedFixFinding(
        _ fix: PhoneFix, history: [PreviousFix], policy: PlausibilityPolicy
    ) -> PlausibilityFinding? {
        let recent = history.prefix(max(0, policy.repeatedFixLookback))
        guard let index = recent.firstIndex(where: { isIdentical($0.point, fix.point) }) else { return nil }
        let which = index == 0 ? "上次打卡" : "前第 \(index + 1) 次打卡"
        return PlausibilityFinding(
            flag: .repeatedFix,
            detail: "坐标（\(AttendanceText.coordinates(fix.point))）与\(which)完全相同，真实定位每次都会略有漂移")
    }

    /// Faster than `maximumSpeedKmh` from the newest previous punch to this one: the worker cannot have
    /// covered the distance, so one of the two positions is not where the phone was — typically a mock
    /// location set to the site, or one login used on two phones in different places.
    ///
    /// The distance is the least the worker must have moved: the measured distance minus both accuracy
    /// radii. Readings whose circles overlap are ignored (the worker may not have moved at all), which also
    /// keeps two presses seconds apart from looking like a jump. With a real distance, a zero or negative
    /// interval — this punch at or before the previous one — is impossible too.
    static func travelFinding(
        _ fix: PhoneFix, at time: Date, history: [PreviousFix], policy: PlausibilityPolicy
    ) -> PlausibilityFinding? {
        guard let last = history.first, fix.point.isFinite, last.point.isFinite else { return nil }
        let slack = usableAccuracy(fix.accuracyMetres) + usableAccuracy(last.accuracyMetres)
        let minimum = Geofence.distance(last.point, fix.point) - slack
        guard minimum.isFinite, minimum > 0 else { return nil }
        let distance = "距上次打卡至少 \(AttendanceText.distance(minimum))"
        let interval = time.timeIntervalSince(last.time)
        if interval == 0 {
            return PlausibilityFinding(flag: .impossibleTravel, detail: "\(distance)，打卡时间却与上次相同")
        }
        if interval < 0 {
            return PlausibilityFinding(
                flag: .impossibleTravel, detail: "\(distance)，打卡时间却比上次早 \(AttendanceText.duration(interval))")
        }
        let speedKmh = minimum / interval * 3.6
        guard speedKmh > policy.maximumSpeedKmh else { return nil }
        let elapsed = AttendanceText.duration(interval)
        let speed = AttendanceText.number(speedKmh, fractionDigits: 0)
        let limit = AttendanceText.number(policy.maximumSpeedKmh)
        return PlausibilityFinding(
            flag: .impossibleTravel, detail: "\(distance)，仅隔 \(elapsed)，折合 \(speed) 公里/小时，超过 \(limit) 公里/小时")
    }

    /// The phone's clock differs from the server's by more than `maximumClockSkewSeconds` when it sends.
    /// Phones set their clocks from the network, so minutes of difference usually mean a clock set by hand —
    /// the tool for backdating a punch held offline. `correctedTime` already removes the skew from the
    /// attendance time; the flag tells the employer that the phone's clock was tampered with.
    static func clockSkewFinding(_ fix: PhoneFix, policy: PlausibilityPolicy) -> PlausibilityFinding? {
        let skew = fix.serverTime.timeIntervalSince(fix.clientSentTime)
        guard abs(skew) > policy.maximumClockSkewSeconds else { return nil }
        let direction = skew < 0 ? "快" : "慢"
        let limit = AttendanceText.duration(policy.maximumClockSkewSeconds)
        return PlausibilityFinding(
            flag: .clockSkew, detail: "手机时间比服务器\(direction)约 \(AttendanceText.duration(skew))，超过允许的 \(limit)")
    }

    /// The punch waited on the phone too long, or its times run backwards.
    ///
    /// Offline punches are legitimate — basements, tunnels and remote sites have no signal — but the time of
    /// an offline punch rests on the phone's clock between press and send, which the server cannot see: set
    /// the clock back, punch, set it right, reconnect. Past `maximumOfflineHours` that window is too wide to
    /// trust, and the day may already be in a wage table. A press more than `maximumClockRewindSeconds`
    /// *after* the send, on the same clock, means the clock was turned back in between.
    static func offlineFinding(_ fix: PhoneFix, policy: PlausibilityPolicy) -> PlausibilityFinding? {
        let waited = fix.clientSentTime.timeIntervalSince(fix.clientTime)
        let longest = policy.maximumOfflineHours * 3600
        if waited > longest {
            let limit = AttendanceText.duration(longest)
            return PlausibilityFinding(
                flag: .offlineTooLong, detail: "打卡后约 \(AttendanceText.duration(waited))才上传，超过允许的 \(limit)")
        }
        if -waited > policy.maximumClockRewindSeconds {
            return PlausibilityFinding(
                flag: .offlineTooLong,
                detail: "按手机时间，打卡比上传还晚 \(AttendanceText.duration(waited))，打卡后手机时间可能被调整过")
        }
        return nil
    }

    /// A different phone from the one bound to the worker: the worker's login is being used elsewhere, the
    /// usual way of punching for someone who is not there (代打卡). The first phone punch binds its device,
    /// so without a bound id there is nothing to compare. A worker with a new phone (or cleared browser
    /// storage) is flagged on every punch until the employer rebinds the device.
    static func deviceFinding(_ fix: PhoneFix, boundDeviceID: String?) -> PlausibilityFinding? {
        guard let bound = boundDeviceID, !bound.isEmpty, bound != fix.deviceID else { return nil }
        // Plain words for the worker and the employer; the device ids are on the rebinding page.
        return PlausibilityFinding(flag: .unboundDevice, detail: newPhoneDetail)
    }

    /// What a punch from a phone other than the bound one says (issue 12 item 7).
    public static let newPhoneDetail = "用一部新手机打卡（不是已绑定的考勤手机），已申请把这部手机绑定为考勤手机，等待企业确认"

    // MARK: - Helpers

    static func isIdentical(_ a: GeoPoint, _ b: GeoPoint) -> Bool {
        abs(a.latitude - b.latitude) < identicalCoordinateDegrees
            && abs(a.longitude - b.longitude) < identicalCoordinateDegrees
    }

    /// An accuracy radius that can widen a distance: finite and not negative, else none.
    static func usableAccuracy(_ metres: Double) -> Double {
        metres.isFinite && metres > 0 ? metres : 0
    }
}
