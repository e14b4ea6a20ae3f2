import FluentKit
import Foundation
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The attendance pages' data (E2, G2, M3): one read per page, from the `Caller` and typed
/// arguments, reach decided through the project shell, each table read once. The project tab
/// used to read the roster three times and run about 17 queries; it now reads the roster once,
/// the month's punches once, and the chosen day's or today's only when they lie outside the month.
struct AttendanceReads: Sendable {
    let attendance: AttendanceService
    let projects: ProjectReads

    static func manDays(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    // MARK: The project's attendance tab

    struct OnSiteRow: Sendable {
        var name: String
        var team: String
        var firstIn: String
        var last: String
        var onSiteNow: Bool
    }

    struct DayRow: Sendable {
        var detail: String
        var name: String
        var masked: String
        var team: String
        var firstIn: String
        var lastOut: String
        var hours: String
        var manDays: String
        var sources: String
        var flags: String
    }

    struct MonthRow: Sendable {
        var name: String
        var team: String
        var days: [MonthCell]
        var total: String
        var present: Int
    }

    struct MonthCell: Sendable {
        var text: String
        var full: Bool
        var half: Bool
    }

    struct SheetsView: ProjectView {
        var head: ProjectHead
        var present: Int
        var onSiteNow: Int
        var onSite: [OnSiteRow]
        var hasOnSite: Bool
        var date: String
        var dayRows: [DayRow]
        var hasDayRows: Bool
        var month: String
        var dayNumbers: [Int]
        var monthRows: [MonthRow]
        var hasMonthRows: Bool
        var monthTotal: String
        var teams: [SelectOption]
        var teamQuery: String
        var pendingReviews: Int
        var title: String
        var export: ExportTable
    }

    /// Today, the day sheet of `date` (default: the latest day with punches) and the month sheet
    /// of `month`, optionally for one team.
    func sheets(_ id: UUID, _ caller: Caller, date chosen: LocalDate?, month: PayMonth, team: UUID?) async throws
        -> SheetsView
    {
        let shell = try await projects.shell(id, caller, tab: .attendance)
        let project = shell.project.uuid
        let today = LocalDate.today(in: AttendanceService.timeZone)
        let roster = try await attendance.roster(project: project)
        let date = if let chosen { chosen } else { try await attendance.latestDay(project: project, upTo: today) }
        let monthPunches = try await attendance.punches(
            project: project, from: month.firstDay, to: month.lastDay, team: team)
        let inMonth = { (day: LocalDate) in team == nil && day >= month.firstDay && day <= month.lastDay }
        let dayPunches =
            inMonth(date) ? monthPunches : try await attendance.punches(project: project, from: date, to: date)
        let todayPunches =
            today == date
            ? dayPunches
            : inMonth(today) ? monthPunches : try await attendance.punches(project: project, from: today, to: today)
        let result = attendance.monthSheet(monthPunches, people: roster.people, year: month.year, month: month.month)
        let day = attendance.daySheet(dayPunches, people: roster.people, date: date)
        let onSite = attendance.onSite(todayPunches, people: roster.people, today: today)
        let pending = try await attendance.pendingReviewCount(projects: [project])
        let monthRows = result.sheet.rows.map { row in
            MonthRow(
                name: result.people[row.key]?.name ?? "", team: result.people[row.key]?.team ?? "",
                days: row.days.map {
                    MonthCell(text: $0 == 0 ? "" : Self.manDays($0), full: $0 >= 1, half: $0 > 0 && $0 < 1)
                }, total: Self.manDays(row.total), present: row.daysPresent)
        }
        let header = ["班组", "姓名", "身份证号（脱敏）"] + (1...month.dayCount).map { "\($0)日" } + ["出勤天数", "合计工日"]
        var cells: [[SheetCell]] = result.sheet.rows.map { row in
            let person = result.people[row.key]
            return [.text(person?.team ?? ""), .text(person?.name ?? ""), .text(person?.masked ?? "")]
                + row.days.map { $0 == 0 ? .text("") : .days($0) } + [
                    .integer(Int64(row.daysPresent)), .days(row.total),
                ]
        }
        if !cells.isEmpty {
            // The totals row: each day's man-days, the days present and the month's man-days.
            let rows = result.sheet.rows
            let dayTotals: [SheetCell] = (0..<month.dayCount).map { index in
                .columnTotal(rows.reduce(0) { $0 + (index < $1.days.count ? $1.days[index] : 0) }, places: 1)
            }
            cells.append(
                ["合计", "", ""] + dayTotals + [
                    .columnTotal(Double(rows.reduce(0) { $0 + $1.daysPresent }), places: 0),
                    .columnTotal(rows.reduce(0) { $0 + $1.total }, places: 1),
                ])
        }
        return SheetsView(
            head: shell.head, present: onSite.count, onSiteNow: onSite.filter(\.onSiteNow).count,
            onSite: onSite.map {
                OnSiteRow(
                    name: $0.person.name, team: $0.person.team, firstIn: $0.firstIn.map(AttendanceService.clock) ?? "",
                    last: AttendanceService.clock($0.lastPunch), onSiteNow: $0.onSiteNow)
            }, hasOnSite: !onSite.isEmpty, date: date.description,
            dayRows: day.map { line in
                DayRow(
                    detail: shell.path.below(
                        "/attendance/day?worker=\(line.person.workerID.uuidString)&date=\(date)"),
                    name: line.person.name, masked: line.person.masked, team: line.person.team,
                    firstIn: line.summary.firstIn.map(AttendanceService.clock) ?? "",
                    lastOut: line.summary.lastOut.map(AttendanceService.clock) ?? "",
                    hours: String(format: "%.1f", Double(line.summary.workedMinutes) / 60),
                    manDays: Self.manDays(line.summary.manDays),
                    sources: line.summary.sources.map(\.chineseName).joined(separator: "、"),
                    flags: line.summary.flags.joined(separator: "；"))
            }, hasDayRows: !day.isEmpty, month: month.description, dayNumbers: Array(1...month.dayCount),
            monthRows: monthRows, hasMonthRows: !monthRows.isEmpty,
            monthTotal: Self.manDays(result.sheet.rows.reduce(0) { $0 + $1.total }),
            teams: roster.teams.map {
                SelectOption(value: $0.uuid.uuidString, label: $0.name, selected: $0.id == team)
            },
            teamQuery: team.map { "&team=\($0.uuidString)" } ?? "", pendingReviews: pending,
            title: "\(shell.project.name)：考勤",
            export: ExportTable(
                fileName: "\(shell.project.code)-\(month)-考勤表", sheetName: "\(month) 考勤表", header: header,
                rows: cells))
    }

    // MARK: One worker's day

    struct PunchLine: Sendable {
        var id: String
        var time: String
        var clock: String
        var direction: String
        var source: String
        var status: String
        var details: String
        var position: String
        var corrects: Bool
        var canCorrect: Bool
        var isEntry: Bool
    }

    struct DayView: ProjectView {
        var head: ProjectHead
        var name: String
        var date: String
        var summary: String
        var punches: [PunchLine]
        var hasPunches: Bool
        var back: String
        var title: String
    }

    func day(_ id: UUID, _ caller: Caller, worker workerID: UUID, date: LocalDate) async throws -> DayView {
        let shell = try await projects.shell(id, caller, tab: .attendance)
        guard let person = try await attendance.people(project: shell.project.uuid)[workerID] else {
            throw AppError.notFound
        }
        let punches = try await attendance.punches(project: shell.project.uuid, worker: workerID, date: date)
        let summary = AttendanceDay.summarize(
            punches.map(AttendanceService.record), on: date, timeZone: AttendanceService.timeZone,
            rule: attendance.manDayRule)
        return DayView(
            head: shell.head, name: person.name, date: date.description,
            summary:
                "工时 \(String(format: "%.1f", Double(summary.workedMinutes) / 60)) 小时，\(Self.manDays(summary.manDays)) 个工日"
                + (summary.flags.isEmpty ? "" : "；" + summary.flags.joined(separator: "；")),
            punches: punches.map { punch in
                PunchLine(
                    id: punch.uuid.uuidString, time: AttendanceService.clock(punch.punchedAt),
                    clock: AttendanceService.clock(punch.punchedAt),
                    direction: PunchDirection(rawValue: punch.direction)?.chineseName ?? "",
                    source: PunchSource(rawValue: punch.source)?.chineseName ?? punch.source,
                    status: WorkerAttendanceReads.status(of: punch), details: punch.flagDetails ?? "",
                    position: Self.position(punch), corrects: punch.correctsID != nil,
                    canCorrect: shell.standing.manages(unit: punch.unitID) && punch.reviewStatus != "superseded",
                    isEntry: punch.direction == "in")
            }, hasPunches: !punches.isEmpty, back: shell.path.below("/attendance?date=\(date)"),
            title: "\(shell.project.name)：\(person.name) \(date) 考勤")
    }

    static func position(_ punch: AttendancePunchModel) -> String {
        punch.latitude.map {
            String(format: "%.6f, %.6f（精度 %.0f 米）", $0, punch.longitude ?? 0, punch.accuracy ?? 0)
        } ?? ""
    }
}
