import Foundation
import Testing

@testable import SiteRollCore

/// Phone-punch plausibility (REQUIREMENTS M3) and the attendance code tables (standards.md c.17, c.18).
@Suite("Attendance rules")
struct AttendanceRuleTests {
    /// 天府广场, Chengdu, with a 200 m fence around it.
    static let site = GeoPoint(latitude: 30.6574, longitude: 104.0659)
    static let fence = Geofence.circle(center: site, radiusMetres: 200)
    static let morning = instant("2028-02-29T08:00:00+08:00")

    static func instant(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? .distantPast
    }

    /// The point `east` and `north` metres from `origin`, independently of the code under test.
    static func offset(_ origin: GeoPoint, east: Double, north: Double) -> GeoPoint {
        let radius = 6_371_008.8
        return GeoPoint(
            latitude: origin.latitude + north / radius * 180 / .pi,
            longitude: origin.longitude + east / (radius * cos(origin.latitude * .pi / 180)) * 180 / .pi)
    }

    /// A punch pressed at `pressed` (real time) on a phone whose clock is `phoneFast` seconds ahead, sent
    /// `waited` seconds later and received at once.
    static func fix(
        north: Double = 0, east: Double = 0, accuracy: Double = 15, pressed: Date = morning,
        waited: TimeInterval = 1, phoneFast: TimeInterval = 0, device: String = "dev-A"
    ) -> PhoneFix {
        PhoneFix(
            point: offset(site, east: east, north: north), accuracyMetres: accuracy,
            clientTime: pressed + phoneFast, clientSentTime: pressed + waited + phoneFast,
            serverTime: pressed + waited, deviceID: device)
    }

    static func earlier(
        north: Double = 0, east: Double = 0, accuracy: Double = 15, minutesBefore: Double
    ) -> PreviousFix {
        PreviousFix(
            point: offset(site, east: east, north: north), accuracyMetres: accuracy,
            time: morning - minutesBefore * 60)
    }

    static func evaluate(
        _ fix: PhoneFix, previous: [PreviousFix] = [], boundDeviceID: String? = nil,
        policy: PlausibilityPolicy = .default
    ) -> PunchVerdict {
        PunchPlausibility.evaluate(
            fix, fence: fence, previous: previous, boundDeviceID: boundDeviceID, policy: policy)
    }

    // MARK: - Clean punches

    @Test("a first punch with no history and no bound device is clean")
    func firstPunch() {
        let verdict = Self.evaluate(Self.fix())
        #expect(verdict.geofence == .inside)
        #expect(verdict.findings.isEmpty)
        #expect(!verdict.isRefused && !verdict.isSuspicious)
        #expect(verdict.refusalMessage == nil)
        #expect(verdict.correctedTime == Self.morning)
    }

    @Test("an ordinary second punch on the bound phone, nine hours later and a few metres away, is clean")
    func ordinaryPunch() {
        let previous = [Self.earlier(north: 12, east: -4, accuracy: 20, minutesBefore: 540)]
        let verdict = Self.evaluate(Self.fix(north: 3, accuracy: 8), previous: previous, boundDeviceID: "dev-A")
        #expect(verdict.findings.isEmpty)
        #expect(!verdict.isSuspicious)
    }

    // MARK: - Each rule

    struct RuleCase: Sendable, CustomTestStringConvertible {
        var name: String
        var fix: PhoneFix
        var previous: [PreviousFix] = []
        var boundDeviceID: String?
        /// nil: the rule stays silent.
        var expected: PlausibilityFinding?

        var testDescription: String { name }
    }

    static let ruleCases: [RuleCase] = [
        // poorAccuracy
        RuleCase(name: "accuracy 100 m is acceptable", fix: fix(accuracy: 100)),
        RuleCase(
            name: "accuracy 100.5 m is poor", fix: fix(accuracy: 100.5),
            expected: .init(flag: .poorAccuracy, detail: "定位误差约 100.5 米，超过 100 米")),
        RuleCase(
            name: "accuracy that is not a number", fix: fix(accuracy: .nan),
            expected: .init(flag: .poorAccuracy, detail: "手机未报告有效的定位精度")),
        // implausiblyPrecise
        RuleCase(name: "accuracy 3 m is plausible", fix: fix(accuracy: 3)),
        RuleCase(
            name: "accuracy 2.9 m is implausible", fix: fix(accuracy: 2.9),
            expected: .init(flag: .implausiblyPrecise, detail: "定位误差仅 2.9 米，手机浏览器通常达不到 3 米以内，疑似模拟定位")),
        RuleCase(
            name: "accuracy 0 m, as mock-location apps report", fix: fix(accuracy: 0),
            expected: .init(flag: .implausiblyPrecise, detail: "定位误差仅 0 米，手机浏览器通常达不到 3 米以内，疑似模拟定位")),
        // repeatedFix
        RuleCase(
            name: "same coordinates as the last punch", fix: fix(),
            previous: [earlier(minutesBefore: 540)],
            expected: .init(flag: .repeatedFix, detail: "坐标（30.6574000, 104.0659000）与上次打卡完全相同，真实定位每次都会略有漂移")),
        RuleCase(
            name: "same coordinates as the fifth punch back", fix: fix(),
            previous: [1, 2, 3, 4].map { earlier(north: Double($0), minutesBefore: Double($0) * 600) }
                + [earlier(minutesBefore: 3000)],
            expected: .init(flag: .repeatedFix, detail: "坐标（30.6574000, 104.0659000）与前第 5 次打卡完全相同，真实定位每次都会略有漂移")),
        RuleCase(
            name: "same coordinates as the sixth punch back are beyond the lookback", fix: fix(),
            previous: [1, 2, 3, 4, 5].map { earlier(north: Double($0), minutesBefore: Double($0) * 600) }
                + [earlier(minutesBefore: 3600)]),
        RuleCase(
            name: "coordinates 2e-7° apart are different readings", fix: fix(),
            previous: [
                PreviousFix(
                    point: GeoPoint(latitude: site.latitude + 2e-7, longitude: site.longitude), accuracyMetres: 15,
                    time: morning - 32_400)
            ]),
        // impossibleTravel
        RuleCase(
            name: "35.2 km (after both accuracies) in 10 minutes", fix: fix(),
            previous: [earlier(north: 35_230, minutesBefore: 10)],
            expected: .init(
                flag: .impossibleTravel, detail: "距上次打卡至少 35.2 公里，仅隔 10 分钟，折合 211 公里/小时，超过 120 公里/小时")),
        RuleCase(
            name: "19.99 km in 10 minutes is just under 120 km/h", fix: fix(),
            previous: [earlier(north: 20_020, minutesBefore: 10)]),
        RuleCase(
            name: "readings whose accuracy circles overlap are ignored, even a second apart", fix: fix(),
            previous: [earlier(north: 25, minutesBefore: 1.0 / 60)]),
        RuleCase(
            name: "a kilometre away at the same moment", fix: fix(),
            previous: [earlier(north: 1000, minutesBefore: 0)],
            expected: .init(flag: .impossibleTravel, detail: "距上次打卡至少 970 米，打卡时间却与上次相同")),
        RuleCase(
            name: "a kilometre away and five minutes before the previous punch", fix: fix(),
            previous: [earlier(north: 1000, minutesBefore: -5)],
            expected: .init(flag: .impossibleTravel, detail: "距上次打卡至少 970 米，打卡时间却比上次早 5 分钟")),
        // clockSkew
        RuleCase(name: "phone clock 5 minutes fast is tolerated", fix: fix(phoneFast: 300)),
        RuleCase(
            name: "phone clock 5 minutes 1 second fast", fix: fix(phoneFast: 301),
            expected: .init(flag: .clockSkew, detail: "手机时间比服务器快约 5 分 1 秒，超过允许的 5 分钟")),
        RuleCase(
            name: "phone clock 10 minutes slow", fix: fix(phoneFast: -600),
            expected: .init(flag: .clockSkew, detail: "手机时间比服务器慢约 10 分钟，超过允许的 5 分钟")),
        // offlineTooLong
        RuleCase(name: "sent 72 hours after the press", fix: fix(waited: 72 * 3600)),
        RuleCase(
            name: "sent 80 hours after the press", fix: fix(waited: 80 * 3600),
            expected: .init(flag: .offlineTooLong, detail: "打卡后约 80 小时才上传，超过允许的 72 小时")),
        RuleCase(name: "press a minute after the send on the phone's clock is tolerated", fix: fix(waited: -60)),
        RuleCase(
            name: "press 5 minutes after the send on the phone's clock", fix: fix(waited: -300),
            expected: .init(flag: .offlineTooLong, detail: "按手机时间，打卡比上传还晚 5 分钟，打卡后手机时间可能被调整过")),
        // unboundDevice
        RuleCase(name: "the bound phone", fix: fix(device: "dev-A"), boundDeviceID: "dev-A"),
        RuleCase(name: "no bound phone yet: this punch binds it", fix: fix(device: "dev-B"), boundDeviceID: nil),
        RuleCase(name: "an empty binding counts as none", fix: fix(device: "dev-B"), boundDeviceID: ""),
        RuleCase(
            name: "another phone", fix: fix(device: "dev-B-1234567890"), boundDeviceID: "dev-A",
            expected: .init(flag: .unboundDevice, detail: PunchPlausibility.newPhoneDetail)),
        RuleCase(
            name: "another phone with a strange id", fix: fix(device: "<b>设备</b>"), boundDeviceID: "dev-A",
            expected: .init(flag: .unboundDevice, detail: PunchPlausibility.newPhoneDetail)),
    ]

    @Test("each rule fires with its detail and stays silent just under its threshold", arguments: ruleCases)
    func rule(_ rule: RuleCase) {
        let verdict = Self.evaluate(rule.fix, previous: rule.previous, boundDeviceID: rule.boundDeviceID)
        #expect(verdict.findings == (rule.expected.map { [$0] } ?? []))
        #expect(verdict.isSuspicious == (rule.expected != nil))
        #expect(!verdict.isRefused)
    }

    @Test("findings come in flag order, and several rules can fire at once")
    func severalFindings() {
        let fix = Self.fix(north: 220, accuracy: 150, waited: 100 * 3600, phoneFast: 900, device: "dev-B")
        let verdict = Self.evaluate(
            fix, previous: [Self.earlier(north: 220, minutesBefore: 6000)], boundDeviceID: "dev-A")
        #expect(
            verdict.flags == [.edgeOfFence, .poorAccuracy, .repeatedFix, .clockSkew, .offlineTooLong, .unboundDevice])
        #expect(verdict.isSuspicious)
    }

    @Test("the previous fixes may come in any order: the newest is compared for travel")
    func previousOrder() {
        let previous = [Self.earlier(minutesBefore: 600), Self.earlier(north: 35_230, minutesBefore: 10)]
        let verdict = Self.evaluate(Self.fix(east: 5), previous: previous)
        #expect(verdict.flags == [.impossibleTravel])
    }

    @Test("thresholds come from the project's policy")
    func policyValues() {
        let strict = PlausibilityPolicy(
            maximumAccuracyMetres: 50, minimumPlausibleAccuracyMetres: 1, maximumSpeedKmh: 60,
            maximumClockSkewSeconds: 60, maximumOfflineHours: 1, maximumClockRewindSeconds: 0, repeatedFixLookback: 0)
        #expect(Self.evaluate(Self.fix(accuracy: 60), policy: strict).findings.map(\.detail) == ["定位误差约 60 米，超过 50 米"])
        #expect(Self.evaluate(Self.fix(accuracy: 2), policy: strict).findings.isEmpty)
        #expect(Self.evaluate(Self.fix(phoneFast: 90), policy: strict).flags == [.clockSkew])
        #expect(Self.evaluate(Self.fix(waited: 7200), policy: strict).flags == [.offlineTooLong])
        #expect(Self.evaluate(Self.fix(waited: -30), policy: strict).flags == [.offlineTooLong])
        let previous = [Self.earlier(north: 15_000, minutesBefore: 10)]
        #expect(Self.evaluate(Self.fix(), previous: previous, policy: strict).flags == [.impossibleTravel])
        #expect(Self.evaluate(Self.fix(), previous: previous).findings.isEmpty)
        let same = [Self.earlier(minutesBefore: 600)]
        #expect(Self.evaluate(Self.fix(), previous: same, policy: strict).findings.isEmpty)
        let negativeLookback = PlausibilityPolicy(repeatedFixLookback: -1)
        #expect(Self.evaluate(Self.fix(), previous: same, policy: negativeLookback).findings.isEmpty)
        #expect(PlausibilityPolicy.default == PlausibilityPolicy())
        #expect(PlausibilityPolicy.default.outsideFence == .suspicious)
    }

    // MARK: - The fence

    @Test("outside the fence: refused under the refuse policy, flagged under the suspicious one")
    func outside() throws {
        let fix = Self.fix(north: 550)  // 350 m beyond the 200 m radius
        let refusing = Self.evaluate(fix, policy: PlausibilityPolicy(outsideFence: .refuse))
        guard case .outside(let distance) = refusing.geofence else {
            Issue.record("expected .outside, got \(refusing.geofence)")
            return
        }
        #expect(abs(distance - 350) < 0.01)
        #expect(refusing.isRefused)
        #expect(!refusing.isSuspicious)
        #expect(refusing.refusalMessage == "不在项目考勤范围内，距围栏约 350 米")
        let finding = PlausibilityFinding(flag: .outsideFence, detail: "距考勤围栏约 350 米，超出定位误差（15 米）")
        #expect(refusing.findings == [finding])

        let flagging = Self.evaluate(fix, policy: PlausibilityPolicy(outsideFence: .suspicious))
        #expect(!flagging.isRefused)
        #expect(flagging.isSuspicious)
        #expect(flagging.refusalMessage == nil)
        #expect(flagging.findings == [finding])

        let far = Self.evaluate(Self.fix(north: 12_200), policy: PlausibilityPolicy(outsideFence: .refuse))
        #expect(far.refusalMessage == "不在项目考勤范围内，距围栏约 12 公里")
    }

    @Test("at the edge, the accuracy circle straddles the boundary: flagged, never refused")
    func edge() {
        let fix = Self.fix(north: 220, accuracy: 30)  // 20 m outside, accuracy 30 m
        for policy in [PlausibilityPolicy(outsideFence: .refuse), PlausibilityPolicy(outsideFence: .suspicious)] {
            let verdict = Self.evaluate(fix, policy: policy)
            guard case .uncertain(let distance) = verdict.geofence else {
                Issue.record("expected .uncertain, got \(verdict.geofence)")
                continue
            }
            #expect(abs(distance - 20) < 0.01)
            #expect(!verdict.isRefused)
            #expect(verdict.isSuspicious)
            #expect(
                verdict.findings == [
                    PlausibilityFinding(flag: .edgeOfFence, detail: "在围栏外约 20 米，但在定位误差 30 米以内，可能在现场")
                ])
        }
        #expect(Self.evaluate(Self.fix(north: 190, accuracy: 30)).findings.isEmpty)
    }

    @Test("a reading without coordinates is flagged, not refused, and breaks nothing")
    func invalidCoordinates() {
        var fix = Self.fix()
        fix.point = GeoPoint(latitude: .nan, longitude: .infinity)
        let verdict = Self.evaluate(
            fix, previous: [Self.earlier(minutesBefore: 10)], policy: PlausibilityPolicy(outsideFence: .refuse))
        #expect(!verdict.isRefused)
        #expect(verdict.findings == [PlausibilityFinding(flag: .edgeOfFence, detail: "定位坐标无效，无法判断是否在考勤范围内")])
    }

    @Test("absurd values from a tampered request are flagged without trapping")
    func absurdValues() {
        let huge = Self.evaluate(
            Self.fix(accuracy: 1e300, waited: 1e15, phoneFast: -1e15, device: String(repeating: "x", count: 10_000)),
            boundDeviceID: "dev-A")
        #expect(huge.flags == [.poorAccuracy, .clockSkew, .offlineTooLong, .unboundDevice])
        #expect(huge.findings.first?.detail == "定位误差约 1e+300 米，超过 100 米")
        #expect(huge.correctedTime == Self.morning)
        #expect(Self.evaluate(Self.fix(accuracy: -5)).flags == [.poorAccuracy])
    }

    // MARK: - Time

    @Test("corrected time: a phone 10 minutes fast, online")
    func fastPhone() {
        let verdict = Self.evaluate(Self.fix(waited: 2, phoneFast: 600))
        #expect(verdict.correctedTime == Self.morning)
        #expect(verdict.flags == [.clockSkew])
    }

    @Test("corrected time: an offline punch sent 2 hours later keeps its moment, with a good or a fast clock")
    func offlinePunch() {
        let honest = Self.evaluate(Self.fix(waited: 7200))
        #expect(honest.correctedTime == Self.morning)
        #expect(honest.findings.isEmpty)

        let fast = Self.evaluate(Self.fix(waited: 7200, phoneFast: 600))
        #expect(fast.correctedTime == Self.morning)
        #expect(fast.flags == [.clockSkew])
        #expect(fast.findings.first?.detail == "手机时间比服务器快约 10 分钟，超过允许的 5 分钟")
    }

    @Test("corrected time is never after the server received the punch")
    func neverInTheFuture() {
        let fix = Self.fix(waited: -600)  // the press is 10 minutes after the send on the phone's clock
        let verdict = Self.evaluate(fix)
        #expect(verdict.correctedTime == fix.serverTime)
        #expect(PunchPlausibility.correctedTime(of: fix) == fix.serverTime)
        #expect(verdict.flags == [.offlineTooLong])
    }

    // MARK: - Names and codes

    @Test("flags: stable codes and distinct Chinese names")
    func flagNames() throws {
        #expect(PunchFlag.allCases.count == 9)
        #expect(Set(PunchFlag.allCases.map(\.rawValue)).count == 9)
        #expect(Set(PunchFlag.allCases.map(\.chineseName)).count == 9)
        #expect(PunchFlag.impossibleTravel.rawValue == "IMPOSSIBLE_TRAVEL")
        #expect(PunchFlag(rawValue: "UNBOUND_DEVICE") == .unboundDevice)
        let encoded = try JSONEncoder().encode([PunchFlag.outsideFence])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["OUTSIDE_FENCE"]"#)
        #expect(OutsideFencePolicy.refuse.chineseName == "拒绝打卡")
        #expect(OutsideFencePolicy(rawValue: "suspicious") == .suspicious)
    }

    @Test("c.17 考勤方向: 01 入场, 02 出场, built from PunchDirection")
    func directions() throws {
        let table = CodeTable.attendanceDirections
        #expect(table.source == "standards.md c.17 考勤方向")
        #expect(table.entries == [.init(code: "01", name: "入场"), .init(code: "02", name: "出场")])
        #expect(PunchDirection.entry.rawValue == "in" && PunchDirection.exit.rawValue == "out")
        #expect(PunchDirection(nationalCode: "01") == .entry)
        #expect(PunchDirection(nationalCode: "02") == .exit)
        #expect(PunchDirection(nationalCode: "1") == nil)
        #expect(PunchDirection(nationalCode: "03") == nil)
        for direction in PunchDirection.allCases {
            #expect(PunchDirection(nationalCode: direction.nationalCode) == direction)
            #expect(table.name(of: direction.nationalCode) == direction.chineseName)
        }
        #expect(PunchDirection.entry.buttonLabel == "上班打卡")
        #expect(PunchDirection.exit.buttonLabel == "下班打卡")
        let encoded = try JSONEncoder().encode([PunchDirection.entry, .exit])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["in","out"]"#)
        #expect(table != CodeTable.entryExitTypes)
    }

    @Test("c.18 通行方式: the eleven codes 001–011 in order")
    func passageMethods() {
        let table = CodeTable.passageMethods
        #expect(table.source == "standards.md c.18 通行方式")
        #expect(table.entries.map(\.code) == (1...11).map { $0 < 10 ? "00\($0)" : "0\($0)" })
        #expect(Set(table.entries.map(\.name)).count == 11)
        #expect(
            table.entries.map(\.name) == [
                "人脸识别", "虹膜识别", "指纹识别", "掌纹识别", "身份证识别", "实名卡", "异常清退", "一键开闸", "应急通道", "二维码识别", "其他方式",
            ])
        #expect(table.name(of: "001") == "人脸识别")
        #expect(table.code(named: "二维码识别") == "010")
        #expect(!table.contains("1") && !table.contains("012"))
    }
}
