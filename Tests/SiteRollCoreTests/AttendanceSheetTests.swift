import Foundation
import Testing

@testable import SiteRollCore

/// Day summaries in man-days, the month sheet and the retention rule (REQUIREMENTS M3, 建市〔2019〕18号 R7).
@Suite("Attendance sheets")
struct AttendanceSheetTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
    static let utc = TimeZone(secondsFromGMT: 0)!
    static let leapDay = LocalDate(year: 2028, month: 2, day: 29)!

    /// `time` ("HH:mm") on `day` in Beijing time.
    static func at(_ time: String, on day: String = "2028-02-29") -> Date {
        ISO8601DateFormatter().date(from: "\(day)T\(time):00+08:00") ?? .distantPast
    }

    static func punch(
        _ direction: PunchDirection, _ time: String, on day: String = "2028-02-29", source: PunchSource = .device,
        counts: Bool = true, flags: [String] = []
    ) -> PunchRecord {
        PunchRecord(time: at(time, on: day), direction: direction, source: source, counts: counts, flags: flags)
    }

    static func summary(_ punches: [PunchRecord], rule: ManDayRule = .default) -> AttendanceDaySummary {
        AttendanceDay.summarize(punches, on: leapDay, timeZone: shanghai, rule: rule)
    }

    // MARK: - Days

    @Test("a normal eight-hour day at the gate is one man-day")
    func normalDay() {
        let day = Self.summary([Self.punch(.exit, "16:00"), Self.punch(.entry, "08:00")])
        #expect(
            day
                == AttendanceDaySummary(
                    date: Self.leapDay, firstIn: Self.at("08:00"), lastOut: Self.at("16:00"), workedMinutes: 480,
                    sources: [.device], flags: [], manDays: 1, punchCount: 2))
    }

    @Test(
        "hours between first entry and last exit decide the man-days",
        arguments: [
            (480, 1.0, [String]()), (360, 1.0, []), (359, 0.5, []), (180, 0.5, []), (120, 0.5, []), (119, 0, ["工时不足"]),
            (60, 0, ["工时不足"]), (0, 0, ["工时不足"]),
        ] as [(Int, Double, [String])])
    func manDays(minutes: Int, manDays: Double, flags: [String]) {
        let entry = Self.at("08:00")
        let punches = [
            PunchRecord(time: entry, direction: .entry, source: .device),
            PunchRecord(time: entry + Double(minutes) * 60, direction: .exit, source: .device),
        ]
        let day = Self.summary(punches)
        #expect(day.manDays == manDays)
        #expect(day.flags == flags)
        #expect(day.workedMinutes == minutes)
    }

    @Test("the thresholds are the project's")
    func customRule() {
        let rule = ManDayRule(fullDayMinimumHours: 8, halfDayMinimumHours: 4, missingExitCounts: 0.5)
        #expect(Self.summary([Self.punch(.entry, "08:00"), Self.punch(.exit, "15:00")], rule: rule).manDays == 0.5)
        #expect(Self.summary([Self.punch(.entry, "08:00"), Self.punch(.exit, "16:00")], rule: rule).manDays == 1)
        #expect(Self.summary([Self.punch(.entry, "08:00")], rule: rule).manDays == 0.5)
        #expect(ManDayRule.default == ManDayRule())
    }

    @Test("lunch outside does not shorten the day: first entry to last exit")
    func breaks() {
        let day = Self.summary([
            Self.punch(.entry, "07:50"), Self.punch(.exit, "12:00"), Self.punch(.entry, "13:00"),
            Self.punch(.exit, "17:30"),
        ])
        #expect(day.firstIn == Self.at("07:50"))
        #expect(day.lastOut == Self.at("17:30"))
        #expect(day.workedMinutes == 580)
        #expect(day.manDays == 1)
        #expect(day.punchCount == 4)
    }

    @Test("an entry without a later exit counts the rule's value and is flagged")
    func missingExit() {
        let day = Self.summary([Self.punch(.exit, "07:00"), Self.punch(.entry, "08:00")])
        #expect(day.firstIn == Self.at("08:00"))
        #expect(day.lastOut == nil)
        #expect(day.workedMinutes == 0)
        #expect(day.manDays == 1)
        #expect(day.flags == ["缺少出场记录"])
        #expect(day.flags == [AttendanceDay.missingExitFlag])
    }

    @Test("an exit without an entry counts nothing and is flagged")
    func missingEntry() {
        let day = Self.summary([Self.punch(.exit, "17:00")])
        #expect(day.firstIn == nil)
        #expect(day.lastOut == Self.at("17:00"))
        #expect(day.manDays == 0)
        #expect(day.flags == ["缺少入场记录"])
    }

    @Test("a suspicious phone punch not yet accepted does not count, and the day says so")
    func uncountedPunch() {
        let day = Self.summary([
            Self.punch(.entry, "08:00", source: .phone, counts: false, flags: ["不在考勤范围内"]),
            Self.punch(.exit, "17:00"),
        ])
        #expect(day.firstIn == nil)
        #expect(day.manDays == 0)
        #expect(day.punchCount == 1)
        #expect(day.sources == [.device])
        #expect(day.flags == ["缺少入场记录", "1 条打卡未计入（待审核或已驳回）"])
    }

    @Test("an accepted phone punch counts and carries its flags to the day")
    func acceptedPhonePunch() {
        let day = Self.summary([
            Self.punch(.entry, "08:00", source: .phone, flags: ["位于考勤范围边缘"]),
            Self.punch(.exit, "12:00", source: .manual, flags: ["位于考勤范围边缘"]),
            Self.punch(.exit, "17:00"),
        ])
        #expect(day.manDays == 1)
        #expect(day.sources == [.device, .phone, .manual])
        #expect(day.flags == ["位于考勤范围边缘"])
    }

    @Test("no punches: nothing, no flags")
    func emptyDay() {
        let day = Self.summary([])
        #expect(
            day
                == AttendanceDaySummary(
                    date: Self.leapDay, firstIn: nil, lastOut: nil, workedMinutes: 0, sources: [], flags: [],
                    manDays: 0, punchCount: 0))
    }

    @Test("the day is the calendar day in Asia/Shanghai, not in UTC")
    func timeZones() {
        let punches = [
            Self.punch(.entry, "00:30"),  // 2028-02-28 16:30 UTC
            Self.punch(.exit, "09:00"),  // 2028-02-29 01:00 UTC
            Self.punch(.entry, "07:30", on: "2028-03-01"),  // 2028-02-29 23:30 UTC
        ]
        let beijing = Self.summary(punches)
        #expect(beijing.firstIn == Self.at("00:30"))
        #expect(beijing.lastOut == Self.at("09:00"))
        #expect(beijing.workedMinutes == 510)
        #expect(beijing.manDays == 1)
        #expect(beijing.punchCount == 2)

        let universal = AttendanceDay.summarize(punches, on: Self.leapDay, timeZone: Self.utc, rule: .default)
        #expect(universal.firstIn == Self.at("07:30", on: "2028-03-01"))
        #expect(universal.lastOut == nil)
        #expect(universal.flags == ["缺少出场记录"])
    }

    @Test("a night shift across midnight shows as a missing exit and a missing entry")
    func nightShift() {
        let punches = [Self.punch(.entry, "20:00"), Self.punch(.exit, "04:00", on: "2028-03-01")]
        #expect(Self.summary(punches).flags == ["缺少出场记录"])
        let nextDay = AttendanceDay.summarize(
            punches, on: LocalDate(year: 2028, month: 3, day: 1)!, timeZone: Self.shanghai, rule: .default)
        #expect(nextDay.flags == ["缺少入场记录"])
        #expect(nextDay.manDays == 0)
    }

    @Test("sources have Chinese names")
    func sourceNames() {
        #expect(PunchSource.allCases.map(\.chineseName) == ["闸机", "手机", "补登"])
        #expect(PunchSource(rawValue: "manual") == .manual)
    }

    // MARK: - Month

    static func day(_ text: String, _ manDays: Double) -> AttendanceDaySummary {
        AttendanceDaySummary(
            date: LocalDate(text) ?? leapDay, firstIn: nil, lastOut: nil, workedMinutes: 0, sources: [], flags: [],
            manDays: manDays, punchCount: 0)
    }

    @Test("February 2028 has 29 columns; rows sorted by key, totals and days present")
    func monthSheet() throws {
        let sheet = MonthSheet.build(
            year: 2028, month: 2,
            summaries: [
                "w2": [
                    Self.day("2028-02-01", 1), Self.day("2028-02-29", 0.5), Self.day("2028-03-01", 1),
                    Self.day("2027-02-05", 1), Self.day("2028-02-10", 0),
                ],
                "w1": [],
                "team": [Self.day("2028-02-03", 1), Self.day("2028-02-03", 0.5)],
            ])
        #expect(sheet.year == 2028 && sheet.month == 2)
        #expect(sheet.daysInMonth == 29)
        #expect(sheet.rows.map(\.key) == ["team", "w1", "w2"])
        #expect(sheet.rows.allSatisfy { $0.days.count == 29 })

        let w2 = try #require(sheet.rows.last)
        #expect(w2.days[0] == 1)
        #expect(w2.days[28] == 0.5)
        #expect(w2.total == 1.5)
        #expect(w2.daysPresent == 2)

        #expect(
            sheet.rows[1] == MonthSheet.Row(key: "w1", days: Array(repeating: 0, count: 29), total: 0, daysPresent: 0))
        #expect(sheet.rows[0].days[2] == 1.5)
        #expect(sheet.rows[0].daysPresent == 1)
    }

    @Test(
        "days in a month",
        arguments: [
            (2028, 2, 29), (2027, 2, 28), (2100, 2, 28), (2000, 2, 29), (2028, 4, 30), (2028, 12, 31), (2028, 13, 0),
            (2028, 0, 0),
        ])
    func daysInMonth(year: Int, month: Int, days: Int) {
        let sheet = MonthSheet.build(year: year, month: month, summaries: ["w": [Self.day("2028-02-29", 1)]])
        #expect(sheet.daysInMonth == days)
        #expect(sheet.rows.first?.days.count == days)
    }

    // MARK: - Retention

    @Test(
        "attendance is kept at least two years (R7)",
        arguments: [
            ("2026-03-01", "2028-03-01", false), ("2026-03-01", "2028-03-02", true),
            ("2028-02-29", "2030-02-28", false),
            ("2028-02-29", "2030-03-01", true), ("2026-03-01", "2026-03-01", false),
            ("2026-03-01", "2020-01-01", false),
        ])
    func retention(punch: String, today: String, mayPurge: Bool) throws {
        #expect(RetentionRule.attendanceYears == 2)
        let punchDate = try #require(LocalDate(punch))
        let todayDate = try #require(LocalDate(today))
        #expect(RetentionRule.mayPurge(punchDate: punchDate, today: todayDate) == mayPurge)
    }
}
