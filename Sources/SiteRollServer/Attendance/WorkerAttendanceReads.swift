import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// 我的考勤 on the phone (M3, issue 14 item 4): one month as a calendar, the month's totals, and
/// each day's punches under it. One read of the worker's first entry and one of the month's
/// punches; months before the first entry or after this month read no punches.
struct WorkerAttendanceReads: Sendable {
    let attendance: AttendanceService

    struct Punch: Sendable {
        var time: String
        var direction: String
        var status: String
        var suspicious: Bool
        var source: String
    }

    struct Cell: Sendable {
        var day: Int
        var blank: Bool
        /// present, waiting, absent, future or before (the worker was not yet on the platform).
        var state: String
        /// What the cell says under the day: the man-days, 待核, or nothing.
        var mark: String
        var anchor: String
        var hasPunches: Bool
        var isToday: Bool
    }

    struct Week: Sendable { var cells: [Cell] }

    struct Day: Sendable {
        var anchor: String
        var date: String
        var summary: String
        var manDays: String
        var punches: [Punch]
        var flags: String
        var waiting: Bool
    }

    struct MonthView: Sendable {
        var month: String
        var monthName: String
        var previous: String?
        var next: String?
        var weeks: [Week]
        var days: [Day]
        var hasDays: Bool
        var presentDays: Int
        var manDays: String
        var waitingPunches: Int
        var notice: String?
        var manualLink: String
    }

    static func status(of punch: AttendancePunchModel) -> String {
        switch (punch.status, punch.reviewStatus) {
        case ("suspicious", nil): "待核实"
        case (_, "rejected"): "未通过"
        case (_, "superseded"): "已更正"
        case ("suspicious", "accepted"): "已认可"
        default: "已记录"
        }
    }

    static func punch(_ punch: AttendancePunchModel) -> Punch {
        Punch(
            time: AttendanceService.clock(punch.punchedAt),
            direction: PunchDirection(rawValue: punch.direction)?.chineseName ?? "", status: status(of: punch),
            suspicious: punch.status == "suspicious" && punch.reviewStatus == nil,
            source: PunchSource(rawValue: punch.source)?.chineseName ?? "")
    }

    /// The worker's month; `month` nil is this month.
    func month(worker workerID: UUID, month wanted: PayMonth?, now: Date = ServerClock.now()) async throws
        -> MonthView
    {
        let today = LocalDate.today(in: AttendanceService.timeZone, now: now)
        let latest = PayMonth(containing: today)
        let month = wanted ?? latest
        let firstDay = try await firstDay(of: workerID, today: today)
        let earliest = min(PayMonth(containing: firstDay), latest)
        var notice: String?
        if month > latest {
            notice = "\(month.chinese)还没有到，下面是空的日历；请看\(latest.chinese)或以前的考勤"
        } else if month < earliest {
            notice = "您从 \(firstDay.description) 起在平台登记，\(month.chinese)没有考勤记录"
        }
        let punches =
            notice == nil
            ? try await attendance.punches(
                worker: workerID, from: month.firstDay.description, to: month.lastDay.description)
            : []
        let byDay = Dictionary(grouping: punches, by: \.localDate)
        var cells: [Cell] = []
        var days: [Day] = []
        var presentDays = 0
        var manDays = 0.0
        for number in 1...month.dayCount {
            guard let date = LocalDate(year: month.year, month: month.month, day: number) else { continue }
            let theirs = (byDay[date.description] ?? []).sorted { $0.punchedAt < $1.punchedAt }
            let summary = AttendanceDay.summarize(
                theirs.map(AttendanceService.record), on: date, timeZone: AttendanceService.timeZone,
                rule: attendance.manDayRule)
            let waiting = theirs.contains { $0.status == "suspicious" && $0.reviewStatus == nil }
            let anchor = "d-\(date.description)"
            let state: String
            var mark = ""
            if date > today {
                state = "future"
            } else if date < firstDay && theirs.isEmpty {
                state = "before"
            } else if summary.manDays > 0 {
                state = "present"
                mark = AttendanceReads.manDays(summary.manDays)
                presentDays += 1
                manDays += summary.manDays
            } else if waiting {
                state = "waiting"
                mark = "待核"
            } else {
                state = "absent"
                mark = theirs.isEmpty ? "" : "0"
            }
            cells.append(
                Cell(
                    day: number, blank: false, state: state, mark: mark, anchor: anchor, hasPunches: !theirs.isEmpty,
                    isToday: date == today))
            guard !theirs.isEmpty else { continue }
            days.append(
                Day(
                    anchor: anchor, date: "\(date.description) 星期\(Self.weekdayNames[Self.column(of: date)])",
                    summary: [
                        summary.firstIn.map { "入场 \(AttendanceService.clock($0))" },
                        summary.lastOut.map { "出场 \(AttendanceService.clock($0))" },
                    ].compactMap { $0 }.joined(separator: " · "),
                    manDays: AttendanceReads.manDays(summary.manDays), punches: theirs.map(Self.punch),
                    flags: summary.flags.joined(separator: "；"), waiting: waiting))
        }
        let leading = Self.column(of: month.firstDay)
        let padded =
            Array(repeating: Self.blank, count: leading) + cells
            + Array(repeating: Self.blank, count: (7 - (leading + cells.count) % 7) % 7)
        let weeks = stride(from: 0, to: padded.count, by: 7).map {
            Week(cells: Array(padded[$0..<min($0 + 7, padded.count)]))
        }
        let link = { (target: PayMonth) in "\(Paths.Mobile.attendance)?month=\(target.description)" }
        return MonthView(
            month: month.description, monthName: month.chinese,
            previous: month > earliest ? month.adding(months: -1).map { link(min($0, latest)) } : nil,
            next: month < latest ? month.adding(months: 1).map { link(max($0, earliest)) } : nil,
            weeks: weeks, days: days, hasDays: !days.isEmpty, presentDays: presentDays,
            manDays: AttendanceReads.manDays(manDays),
            waitingPunches: punches.filter { $0.status == "suspicious" && $0.reviewStatus == nil }.count,
            notice: notice, manualLink: Paths.Mobile.manual)
    }

    /// The day the worker first came onto the platform: the earliest project entry, else the
    /// record's creation.
    private func firstDay(of workerID: UUID, today: LocalDate) async throws -> LocalDate {
        let db = attendance.database.database()
        let entry = try await ProjectWorkerModel.query(on: db).filter(\.$workerID == workerID)
            .sort(\.$entryDate, .ascending).first().flatMap { LocalDate($0.entryDate) }
        let created = try await WorkerModel.find(workerID, on: db).flatMap {
            LocalDate($0.createdAt, in: AttendanceService.timeZone)
        }
        return [entry, created].compactMap { $0 }.min() ?? today
    }

    static let weekdayNames = ["一", "二", "三", "四", "五", "六", "日"]
    static let blank = Cell(
        day: 0, blank: true, state: "blank", mark: "", anchor: "", hasPunches: false, isToday: false)

    /// 0 for Monday … 6 for Sunday (a Chinese calendar starts on Monday); day 0 of the count,
    /// 1970-01-01, was a Thursday.
    static func column(of date: LocalDate) -> Int {
        (((date.dayNumber % 7) + 7) % 7 + 3) % 7
    }
}
