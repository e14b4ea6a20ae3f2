import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// A project's attendance in the consoles (E2, G2): today, the day sheet, the month sheet with
/// exports; and for the employer the review queue, manual registrations, phone rebinding, gate
/// devices and the phone-punch policy.
struct AttendancePages: Sendable {
    let attendance: AttendanceService
    let projects: ProjectPages

    struct OnSiteRow {
        var name: String
        var team: String
        var firstIn: String
        var last: String
        var onSiteNow: Bool
    }

    struct DayRow {
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

    struct MonthRow {
        var name: String
        var team: String
        var days: [MonthCell]
        var total: String
        var present: Int
    }

    struct MonthCell {
        var text: String
        var full: Bool
        var half: Bool
    }

    struct AttendanceModel {
        var head: ProjectPages.Head
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
    }

    static func manDays(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    func addReadRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>, base: String) {
        group.get("projects/:id/attendance") { request, context in
            try await sheets(request, context, base: base)
        }
        /// One worker's punches of one day, with their sources, verdicts and corrections.
        group.get("projects/:id/attendance/day") { request, context in
            let query = RequestQuery(request)
            guard let worker = try query.uuid("worker"), let date = try query.date("date") else {
                throw AppError.notFound
            }
            return try await day(context, worker: worker, date: date, path: request.uri.path, base: base)
        }
    }

    struct PunchLine {
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

    struct DayDetailModel {
        var head: ProjectPages.Head
        var name: String
        var date: String
        var summary: String
        var punches: [PunchLine]
        var hasPunches: Bool
        var back: String
    }

    func day<Context: ConsoleContext>(
        _ context: Context, worker workerID: UUID, date: LocalDate, path: String, base: String,
        error: AppError? = nil, notice: String? = nil
    ) async throws -> Response {
        let (project, standing) = try await projects.load(context)
        guard let person = try await attendance.people(project: project.uuid)[workerID] else { throw AppError.notFound }
        let punches = try await attendance.punches(project: project.uuid, worker: workerID, date: date)
        let summary = AttendanceDay.summarize(
            punches.map(AttendanceService.record), on: date, timeZone: AttendanceService.timeZone,
            rule: attendance.manDayRule)
        let model = DayDetailModel(
            head: try await projects.head(
                project, standing: standing, context: context, base: base, tab: "/attendance", error: error,
                notice: notice),
            name: person.name, date: date.description,
            summary:
                "工时 \(String(format: "%.1f", Double(summary.workedMinutes) / 60)) 小时，\(Self.manDays(summary.manDays)) 个工日"
                + (summary.flags.isEmpty ? "" : "；" + summary.flags.joined(separator: "；")),
            punches: punches.map { punch in
                PunchLine(
                    id: punch.uuid.uuidString, time: AttendanceService.clock(punch.punchedAt),
                    clock: AttendanceService.clock(punch.punchedAt),
                    direction: PunchDirection(rawValue: punch.direction)?.chineseName ?? "",
                    source: PunchSource(rawValue: punch.source)?.chineseName ?? punch.source,
                    status: WorkerAttendancePages.status(of: punch), details: punch.flagDetails ?? "",
                    position: punch.latitude.map {
                        String(format: "%.6f, %.6f（精度 %.0f 米）", $0, punch.longitude ?? 0, punch.accuracy ?? 0)
                    }
                        ?? "",
                    corrects: punch.correctsID != nil,
                    canCorrect: standing.manages(unit: punch.unitID) && punch.reviewStatus != "superseded",
                    isEntry: punch.direction == "in")
            }, hasPunches: !punches.isEmpty,
            back: "\(base)/projects/\(project.uuid.uuidString)/attendance?date=\(date)")
        return projects.render(
            "project-attendance-day", model, title: "\(project.name)：\(person.name) \(date) 考勤", context: context,
            path: path, status: error?.status ?? .ok)
    }

    func sheets<Context: ConsoleContext>(_ request: Request, _ context: Context, base: String) async throws -> Response
    {
        let (project, standing) = try await projects.load(context)
        let query = RequestQuery(request)
        let today = LocalDate.today(in: AttendanceService.timeZone)
        let chosenDate = try query.date("date")
        let chosenMonth = try query.month("month") ?? PayMonth(containing: today)
        let teamID = try query.uuid("team")
        let format = try query.choice("format", in: ["xlsx", "csv"], label: "导出格式")
        let date =
            if let chosenDate { chosenDate } else { try await attendance.latestDay(project: project.uuid, upTo: today) }
        let (year, month) = (chosenMonth.year, chosenMonth.month)
        let result = try await attendance.monthSheet(project: project.uuid, year: year, month: month, team: teamID)
        let monthLabel = chosenMonth.description
        if let format {
            let days = LocalDate.daysInMonth(month, year: year)
            let header = ["班组", "姓名", "身份证号（脱敏）"] + (1...days).map { "\($0)日" } + ["出勤天数", "合计工日"]
            let rows: [[SheetCell]] = result.sheet.rows.map { row in
                let person = result.people[row.key]
                return [.text(person?.team ?? ""), .text(person?.name ?? ""), .text(person?.masked ?? "")]
                    + row.days.map { $0 == 0 ? .text("") : .number($0) } + [
                        .integer(Int64(row.daysPresent)), .number(row.total),
                    ]
            }
            let name = "\(project.code)-\(monthLabel)-考勤表"
            let data =
                format == "xlsx"
                ? SpreadsheetWriter.xlsx(sheetName: "\(monthLabel) 考勤表", header: header, rows: rows)
                : SpreadsheetWriter.csv(header: header, rows: rows)
            return Download.response(
                data, fileName: "\(name).\(format)", type: format == "xlsx" ? Download.xlsxType : Download.csvType)
        }
        let onSite = try await attendance.onSiteToday(project: project.uuid)
        let day = try await attendance.daySheet(project: project.uuid, date: date)
        let teams = try await TeamModel.query(on: attendance.database.database()).filter(\.$projectID == project.uuid)
            .sort(\.$sysNo).all()
        let pending = try await attendance.pendingReviewCount(projects: [project.uuid])
        let monthRows = result.sheet.rows.map { row in
            MonthRow(
                name: result.people[row.key]?.name ?? "", team: result.people[row.key]?.team ?? "",
                days: row.days.map {
                    MonthCell(text: $0 == 0 ? "" : Self.manDays($0), full: $0 >= 1, half: $0 > 0 && $0 < 1)
                },
                total: Self.manDays(row.total), present: row.daysPresent)
        }
        let model = AttendanceModel(
            head: try await projects.head(
                project, standing: standing, context: context, base: base, tab: "/attendance"),
            present: onSite.count, onSiteNow: onSite.filter(\.onSiteNow).count,
            onSite: onSite.map {
                OnSiteRow(
                    name: $0.person.name, team: $0.person.team, firstIn: $0.firstIn.map(AttendanceService.clock) ?? "",
                    last: AttendanceService.clock($0.lastPunch), onSiteNow: $0.onSiteNow)
            }, hasOnSite: !onSite.isEmpty, date: date.description,
            dayRows: day.map { line in
                DayRow(
                    detail:
                        "\(base)/projects/\(project.uuid.uuidString)/attendance/day?worker=\(line.person.workerID.uuidString)&date=\(date)",
                    name: line.person.name, masked: line.person.masked, team: line.person.team,
                    firstIn: line.summary.firstIn.map(AttendanceService.clock) ?? "",
                    lastOut: line.summary.lastOut.map(AttendanceService.clock) ?? "",
                    hours: String(format: "%.1f", Double(line.summary.workedMinutes) / 60),
                    manDays: Self.manDays(line.summary.manDays),
                    sources: line.summary.sources.map(\.chineseName).joined(separator: "、"),
                    flags: line.summary.flags.joined(separator: "；"))
            }, hasDayRows: !day.isEmpty, month: monthLabel,
            dayNumbers: Array(1...LocalDate.daysInMonth(month, year: year)), monthRows: monthRows,
            hasMonthRows: !monthRows.isEmpty,
            monthTotal: Self.manDays(result.sheet.rows.reduce(0) { $0 + $1.total }),
            teams: teams.map { SelectOption(value: $0.uuid.uuidString, label: $0.name, selected: $0.id == teamID) },
            teamQuery: teamID.map { "&team=\($0.uuidString)" } ?? "", pendingReviews: pending)
        return projects.render(
            "project-attendance", model, title: "\(project.name)：考勤", context: context, path: request.uri.path)
    }

    // MARK: Review (employer)

    struct ReviewRow {
        var id: String
        var name: String
        var team: String
        var time: String
        var direction: String
        var details: [String]
        var position: String
    }

    struct ManualRow {
        var id: String
        var name: String
        var date: String
        var time: String
        var direction: String
        var reason: String
        var status: String
        var pending: Bool
        var note: String?
    }

    struct BindingRow {
        var id: String
        var name: String
        var requested: String
        var device: String
    }

    struct DeviceRow {
        var code: String
        var name: String
        var kind: String
        var active: Bool
        var created: String
    }

    struct ReviewModel {
        var head: ProjectPages.Head
        var reviews: [ReviewRow]
        var hasReviews: Bool
        var manual: [ManualRow]
        var hasManual: Bool
        var bindings: [BindingRow]
        var hasBindings: Bool
        var devices: [DeviceRow]
        var hasDevices: Bool
        var kinds: [SelectOption]
        var newDevice: NewDevice?
        var outsidePolicies: [SelectOption]
        var maxAccuracy: String
        var maxSpeed: String
        var maxSkew: String
        var dayStart: String
    }

    struct NewDevice {
        var code: String
        var secret: String
    }

    func review(
        _ context: CorpContext, path: String, error: AppError? = nil, notice: String? = nil, newDevice: NewDevice? = nil
    ) async throws -> Response {
        let (project, standing) = try await projects.load(context)
        let db = attendance.database.database()
        let people = try await attendance.people(project: project.uuid)
        let queue = try await attendance.reviewQueue(project: project.uuid)
        let manual = try await attendance.manualRequests(project: project.uuid)
        let bindings = try await attendance.rebindingRequests(project: project.uuid)
        let bindingWorkers = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(\.$id ~~ bindings.map(\.workerID)).all()
                .map { ($0.uuid, $0.name) })
        let manualWorkers = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(
                \.$id ~~ Array(Set(manual.map(\.workerID)))
            )
            .all().map { ($0.uuid, $0.name) })
        let policy = attendance.policy(for: project)
        let model = ReviewModel(
            head: try await projects.head(
                project, standing: standing, context: context, base: Paths.Corp.home, tab: "/attendance/review",
                error: error, notice: notice),
            reviews: queue.map { punch in
                ReviewRow(
                    id: punch.uuid.uuidString, name: people[punch.workerID]?.name ?? "",
                    team: people[punch.workerID]?.team ?? "",
                    time: "\(punch.localDate) \(AttendanceService.clock(punch.punchedAt))",
                    direction: PunchDirection(rawValue: punch.direction)?.chineseName ?? "",
                    details: (punch.flagDetails ?? "").split(separator: "\n").map(String.init),
                    position: punch.latitude.map {
                        String(format: "%.6f, %.6f（精度 %.0f 米）", $0, punch.longitude ?? 0, punch.accuracy ?? 0)
                    } ?? "")
            }, hasReviews: !queue.isEmpty,
            manual: manual.map {
                ManualRow(
                    id: $0.uuid.uuidString, name: manualWorkers[$0.workerID] ?? "", date: $0.localDate, time: $0.time,
                    direction: PunchDirection(rawValue: $0.direction)?.chineseName ?? "", reason: $0.reason,
                    status: ["pending": "待处理", "confirmed": "已确认", "rejected": "已驳回"][$0.status] ?? $0.status,
                    pending: $0.status == "pending", note: $0.decisionNote)
            }, hasManual: !manual.isEmpty,
            bindings: bindings.map {
                BindingRow(
                    id: $0.uuid.uuidString, name: bindingWorkers[$0.workerID] ?? "",
                    requested: ChineseFormat.dateTime($0.requestedAt), device: String($0.deviceID.prefix(8)) + "…")
            }, hasBindings: !bindings.isEmpty,
            devices: try await attendance.devices(of: project.uuid).map {
                DeviceRow(
                    code: $0.code, name: $0.name, kind: AttendanceService.deviceKinds.name(of: $0.kind) ?? $0.kind,
                    active: $0.status == "active", created: ChineseFormat.dateTime($0.createdAt))
            }, hasDevices: true,
            kinds: AttendanceService.deviceKinds.entries.map { SelectOption(value: $0.code, label: $0.name) },
            newDevice: newDevice,
            outsidePolicies: OutsideFencePolicy.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.chineseName, selected: $0 == policy.outsideFence)
            }, maxAccuracy: String(Int(policy.maximumAccuracyMetres)), maxSpeed: String(Int(policy.maximumSpeedKmh)),
            maxSkew: String(Int(policy.maximumClockSkewSeconds)),
            dayStart: AttendanceService.dayStart(of: project).description)
        return projects.render(
            "project-attendance-review", model, title: "\(project.name)：考勤核查", context: context, path: path,
            status: error?.status ?? .ok)
    }

    func addEmployerRoutes(to group: RouterGroup<CorpContext>) {
        group.get("projects/:id/attendance/review") { request, context in
            try await review(context, path: request.uri.path)
        }
        group.post("projects/:id/attendance/punches/:punch/review") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            guard let punchID = context.parameters.get("punch", as: UUID.self) else { throw AppError.notFound }
            return try await outcome(context, path: request.uri.path) {
                let accept = form.text("decision") == "accept"
                try await attendance.review(
                    punchID, accept: accept, reason: form.text("reason"), project: id, scope: context.scope,
                    by: context.account)
                return accept ? "已认可该打卡记录" : "已不予认可该打卡记录"
            }
        }
        group.post("projects/:id/attendance/manual/:request") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            guard let requestID = context.parameters.get("request", as: UUID.self) else { throw AppError.notFound }
            return try await outcome(context, path: request.uri.path) {
                let confirm = form.text("decision") == "confirm"
                try await attendance.decideManual(
                    requestID, confirm: confirm, note: form.text("note"), project: id, scope: context.scope,
                    by: context.account)
                return confirm ? "已确认补登" : "已驳回补登申请"
            }
        }
        group.post("projects/:id/attendance/bindings/:binding") { request, context in
            let id = try projects.projectID(context)
            guard let bindingID = context.parameters.get("binding", as: UUID.self) else { throw AppError.notFound }
            return try await outcome(context, path: request.uri.path) {
                try await attendance.approveRebinding(bindingID, project: id, scope: context.scope, by: context.account)
                return "已同意更换考勤手机"
            }
        }
        group.post("projects/:id/attendance/devices") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            do {
                let (device, secret) = try await attendance.registerDevice(
                    name: form.text("name"), kind: form.text("kind"), project: id, scope: context.scope,
                    by: context.account)
                return try await review(
                    context, path: request.uri.path, notice: "考勤设备已登记",
                    newDevice: NewDevice(code: device.code, secret: secret))
            } catch let error as AppError where error.status != .notFound {
                return try await review(context, path: request.uri.path, error: error)
            }
        }
        /// A correction: a new punch referencing the old one, with the reason.
        group.post("projects/:id/attendance/punches/:punch/correct") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            guard let punchID = context.parameters.get("punch", as: UUID.self),
                let original = try await AttendancePunchModel.find(punchID, on: attendance.database.database()),
                let date = LocalDate(original.localDate)
            else { throw AppError.notFound }
            do {
                try await attendance.correct(
                    punchID, direction: form.text("direction"), time: form.text("time"), reason: form.text("reason"),
                    project: id, scope: context.scope, by: context.account)
                return try await day(
                    context, worker: original.workerID, date: date, path: request.uri.path, base: Paths.Corp.home,
                    notice: "已更正，原记录保留")
            } catch let error as AppError where error.status != .notFound {
                return try await day(
                    context, worker: original.workerID, date: date, path: request.uri.path, base: Paths.Corp.home,
                    error: error)
            }
        }
        group.post("projects/:id/attendance/policy") { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            return try await outcome(context, path: request.uri.path) {
                try await attendance.setPolicy(
                    outside: form.text("outside"), maxAccuracy: form.text("maxAccuracy"),
                    maxSpeed: form.text("maxSpeed"), maxSkew: form.text("maxSkew"), dayStart: form.text("dayStart"),
                    project: id, scope: context.scope, by: context.account)
                return "手机考勤规则已保存"
            }
        }
    }

    private func outcome(_ context: CorpContext, path: String, _ change: () async throws -> String) async throws
        -> Response
    {
        do {
            let notice = try await change()
            return try await review(context, path: path, notice: notice)
        } catch let error as AppError where error.status != .notFound {
            return try await review(context, path: path, error: error)
        }
    }
}
