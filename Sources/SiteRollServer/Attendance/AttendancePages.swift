import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// A project's attendance in the consoles (E2, G2): today, the day sheet, the month sheet with
/// exports; and for the employer the review queue, manual registrations, phone rebinding, gate
/// devices and the phone-punch policy. Each page is one read of `AttendanceReads`.
struct AttendancePages: Sendable {
    let attendance: AttendanceService
    let projects: ProjectPages
    var reads: AttendanceReads { AttendanceReads(attendance: attendance, projects: projects.reads) }

    func addReadRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// Today, a day and a month; `?format=xlsx|csv` exports the month.
        group.get(ProjectTab.attendance.route) { request, context in
            let query = RequestQuery(request)
            let date = try query.date("date")
            let month =
                try query.month("month") ?? PayMonth(containing: LocalDate.today(in: AttendanceService.timeZone))
            let team = try query.uuid("team")
            let format = try ExportFormat.requested(by: query)
            let view = try await reads.sheets(
                try projects.projectID(context), context.caller, date: date, month: month, team: team)
            if let format { return Download.export(view.export, as: format) }
            return projects.render("project-attendance", view, context: context, path: request.uri.path)
        }
        /// One worker's punches of one day, with their sources, verdicts and corrections.
        group.get(ProjectPath.route("/attendance/day")) { request, context in
            let query = RequestQuery(request)
            guard let worker = try query.uuid("worker"), let date = try query.date("date") else {
                throw AppError.notFound
            }
            return try await day(context, worker: worker, date: date, path: request.uri.path)
        }
    }

    func day<Context: ConsoleContext>(
        _ context: Context, worker: UUID, date: LocalDate, path: String, error: AppError? = nil
    ) async throws -> Response {
        let view = try await reads.day(try projects.projectID(context), context.caller, worker: worker, date: date)
        return projects.render("project-attendance-day", view, context: context, path: path, error: error)
    }

    func review(_ context: CorpContext, path: String, error: AppError? = nil) async throws -> Response {
        let view = try await reads.review(try projects.projectID(context), context.caller)
        return projects.render("project-attendance-review", view, context: context, path: path, error: error)
    }

    func addEmployerRoutes(to group: RouterGroup<CorpContext>) {
        group.get(ProjectTab.review.route) { request, context in
            try await review(context, path: request.uri.path)
        }
        group.post(ProjectPath.route("/attendance/punches/:punch/review")) { request, context in
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
        group.post(ProjectPath.route("/attendance/manual/:request")) { request, context in
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
        group.post(ProjectPath.route("/attendance/bindings/:binding")) { request, context in
            let id = try projects.projectID(context)
            guard let bindingID = context.parameters.get("binding", as: UUID.self) else { throw AppError.notFound }
            return try await outcome(context, path: request.uri.path) {
                try await attendance.approveRebinding(bindingID, project: id, scope: context.scope, by: context.account)
                return "已同意更换考勤手机"
            }
        }
        group.post(ProjectPath.route("/attendance/devices")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            return try await outcome(context, path: request.uri.path) {
                let (device, secret) = try await attendance.registerDevice(
                    name: form.text("name"), kind: form.text("kind"), project: id, scope: context.scope,
                    by: context.account)
                return Flash(
                    "考勤设备已登记",
                    once: .init(
                        title: "设备编码和密钥",
                        rows: [
                            .init(label: "设备编码", value: device.code, id: "device-code"),
                            .init(label: "设备密钥", value: secret, id: "device-secret"),
                        ],
                        hint:
                            "密钥只显示这一次，请立即配置到设备中：设备以编码和密钥调用接口 /api/v1/auth/token 换取令牌，再调用接口 /api/v1/attendance/punches 上传考勤。"
                    ))
            }
        }
        /// A correction: a new punch referencing the old one, with the reason.
        group.post(ProjectPath.route("/attendance/punches/:punch/correct")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projects.projectID(context)
            guard let punchID = context.parameters.get("punch", as: UUID.self) else { throw AppError.notFound }
            let (worker, date) = try await attendance.workerDay(of: punchID, project: id)
            let dayPage =
                ProjectPath(audience: .corp, project: id).below("/attendance/day")
                + "?worker=\(worker.uuidString)&date=\(date)"
            return try await PageOutcome.respond(to: dayPage) {
                try await attendance.correct(
                    punchID, direction: form.text("direction"), time: form.text("time"), reason: form.text("reason"),
                    project: id, scope: context.scope, by: context.account)
                return "已更正，原记录保留"
            } refused: { error in
                try await day(context, worker: worker, date: date, path: request.uri.path, error: error)
            }
        }
        group.post(ProjectPath.route("/attendance/policy")) { request, context in
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

    /// A review-page form: a success goes back to the review page with its notice.
    private func outcome(_ context: CorpContext, path: String, _ change: () async throws -> Flash) async throws
        -> Response
    {
        let location = ProjectPath(audience: .corp, project: try projects.projectID(context)).tab(.review)
        return try await PageOutcome.respond(to: location, change) { error in
            try await review(context, path: path, error: error)
        }
    }
}
