import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The worker's phone (M3): one big button on the punch page, punches that wait on the phone
/// while offline (`punch.js`), the own history, and manual registration (补登) with its outcome.
struct WorkerAttendancePages: Sendable {
    let attendance: AttendanceService
    let directory: WorkerDirectory
    let pages: PageRenderer
    let navigation: Navigation

    struct ProjectOption {
        var id: String
        var name: String
        var selected: Bool
        var hasFence: Bool
    }

    struct TodayPunch {
        var time: String
        var direction: String
        var status: String
        var suspicious: Bool
        var source: String
    }

    struct PunchModel {
        var worker: String
        var csrf: String
        var endpoint: String
        var projects: [ProjectOption]
        var hasProjects: Bool
        var nextDirection: String
        var nextLabel: String
        var today: [TodayPunch]
        var hasToday: Bool
        var historyLink: String
        var manualLink: String
    }

    func addRoutes(to group: RouterGroup<WorkerContext>) {
        /// The punch page: project preselected, one big button.
        group.get("punch") { request, context in
            let projects = try await attendance.punchableProjects(worker: context.workerID)
            let wanted = try RequestQuery(request).uuid("project")
            let selected = projects.first { $0.id == wanted } ?? projects.first
            let next = try await attendance.nextDirection(worker: context.workerID, project: selected?.id)
            let today = AttendanceService.localDate(ServerClock.now())
            let punches = try await attendance.punches(worker: context.workerID, from: today, to: today)
                .sorted { $0.punchedAt < $1.punchedAt }
            let model = PunchModel(
                worker: context.workerID.uuidString, csrf: context.identity.csrfToken, endpoint: Paths.Mobile.punches,
                projects: projects.map {
                    ProjectOption(
                        id: $0.uuid.uuidString, name: $0.name, selected: $0.id == selected?.id,
                        hasFence: $0.geofence != nil)
                }, hasProjects: !projects.isEmpty, nextDirection: next.rawValue, nextLabel: next.buttonLabel,
                today: punches.map {
                    TodayPunch(
                        time: AttendanceService.clock($0.punchedAt),
                        direction: PunchDirection(rawValue: $0.direction)?.chineseName ?? "",
                        status: WorkerAttendanceReads.status(of: $0),
                        suspicious: $0.status == "suspicious" && $0.reviewStatus == nil,
                        source: PunchSource(rawValue: $0.source)?.chineseName ?? "")
                }, hasToday: !punches.isEmpty, historyLink: Paths.Mobile.attendance, manualLink: Paths.Mobile.manual)
            return pages.html(
                "m-punch", model,
                layout: navigation.layout(
                    .mobile, title: "考勤打卡", identity: context.identity, current: Paths.Mobile.punch))
        }
        /// A punch from `punch.js`, online or replayed from the phone's queue. Always JSON.
        group.post("punches") { request, context in
            do {
                return try await punch(request, context)
            } catch let error as AppError {
                return Self.json(["code": error.code, "message": error.message], status: error.status)
            }
        }
        /// 我的考勤: one month (`?month=YYYY-MM`, this month by default) as a calendar.
        group.get("attendance") { request, context in
            let month = try RequestQuery(request).month("month")
            let view = try await WorkerAttendanceReads(attendance: attendance).month(
                worker: context.workerID, month: month)
            return pages.html(
                "m-attendance", view,
                layout: navigation.layout(
                    .mobile, title: "我的考勤", identity: context.identity, current: Paths.Mobile.attendance))
        }
        group.get("attendance/manual") { request, context in
            try await manualPage(context, path: request.uri.path)
        }
        group.post("attendance/manual") { request, context in
            let form = try await FormFields.read(request)
            let worker = try await directory.own(context.workerID)
            return try await PageOutcome.respond(to: Paths.Mobile.manual) {
                try await attendance.requestManual(
                    project: form.text("projectID"), date: form.text("date"), time: form.text("time"),
                    direction: form.text("direction"), reason: form.text("reason"), worker: worker, by: context.account)
                return "补登申请已提交，等待企业确认"
            } refused: { error in
                try await manualPage(context, path: request.uri.path, error: error)
            }
        }
    }

    private func punch(_ request: Request, _ context: WorkerContext) async throws -> Response {
        let form = try await FormFields.read(request)
        let worker = try await directory.own(context.workerID)
        // A punch queued on a shared phone by another worker stays there for that worker's session.
        let owner = form.text("workerId")
        if !owner.isEmpty, owner.lowercased() != context.workerID.uuidString.lowercased() {
            throw AppError(
                .conflict, code: "PUNCH_OTHER_WORKER",
                message: "手机上还有另一位工人保存的打卡，已留在手机上，等该工人登录后自动上传")
        }
        guard let projectID = UUID(uuidString: form.text("projectId")),
            let latitude = DecimalText.parse(form.text("latitude"), in: -90...90, maxFractionDigits: 20),
            let longitude = DecimalText.parse(form.text("longitude"), in: -180...180, maxFractionDigits: 20),
            let accuracy = DecimalText.parse(form.text("accuracy"), in: 0...100_000, maxFractionDigits: 20)
        else { throw AppError.badRequest("PUNCH_INVALID", "打卡数据不完整，请刷新页面后重试") }
        // A phone clock set to another century is refused here, before any date arithmetic.
        guard let clientTime = RequestBounds.instant(form.text("clientTime")) else {
            throw AppError.badRequest("PUNCH_TIME_INVALID", "手机时间不正确，请把手机时间设为自动后重新打卡")
        }
        let sentText = form.text("clientSentTime")
        let clientSentTime = sentText.isEmpty ? clientTime : RequestBounds.instant(sentText)
        guard let clientSentTime else {
            throw AppError.badRequest("PUNCH_TIME_INVALID", "手机时间不正确，请把手机时间设为自动后重新打卡")
        }
        let outcome = try await attendance.phonePunch(
            .init(
                clientEventID: form.text("clientEventId"), projectID: projectID, direction: form.text("direction"),
                latitude: latitude, longitude: longitude, accuracy: accuracy, clientTime: clientTime,
                clientSentTime: clientSentTime, deviceID: form.text("deviceId")),
            worker: worker, by: context.account)
        let next = try await attendance.nextDirection(worker: worker.uuid, project: projectID)
        var body = ["nextDirection": next.rawValue, "nextLabel": next.buttonLabel]
        switch outcome {
        case .accepted(let time):
            body.merge(["status": "accepted", "code": "OK", "message": "打卡成功 \(time)", "time": time]) { $1 }
        case .suspicious(let time, let reasons):
            body.merge([
                "status": "suspicious", "code": "SUSPICIOUS", "time": time,
                "message": reasons.joined(separator: "；"),
            ]) { $1 }
            if reasons.contains(PunchPlausibility.newPhoneDetail) { body["newPhone"] = "1" }
        case .duplicate(let time):
            body.merge(["status": "duplicate", "code": "DUPLICATE", "message": "该次打卡已上传过", "time": time]) { $1 }
        case .refused(let code, let message):
            body.merge(["status": "refused", "code": code, "message": message]) { $1 }
        }
        return Self.json(body, status: .ok)
    }

    static func json(_ body: [String: String], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Manual registration

    struct ManualView {
        var date: String
        var time: String
        var direction: String
        var reason: String
        var status: String
        var confirmed: Bool
        var rejected: Bool
        var note: String?
    }

    struct ManualModel {
        var csrf: String
        var projects: [SelectOption]
        var hasProjects: Bool
        var today: String
        var requests: [ManualView]
        var hasRequests: Bool
        var error: AppError?
    }

    func manualPage(_ context: WorkerContext, path: String, error: AppError? = nil) async throws
        -> Response
    {
        let projects = try await attendance.punchableProjects(worker: context.workerID)
        let requests = try await attendance.manualRequests(worker: context.workerID)
        let model = ManualModel(
            csrf: context.identity.csrfToken,
            projects: projects.map { SelectOption(value: $0.uuid.uuidString, label: $0.name) },
            hasProjects: !projects.isEmpty, today: AttendanceService.localDate(ServerClock.now()),
            requests: requests.map {
                ManualView(
                    date: $0.localDate, time: $0.time,
                    direction: PunchDirection(rawValue: $0.direction)?.chineseName ?? "",
                    reason: $0.reason,
                    status: ["pending": "等待企业确认", "confirmed": "已确认，计入考勤", "rejected": "未同意"][$0.status] ?? $0.status,
                    confirmed: $0.status == "confirmed", rejected: $0.status == "rejected", note: $0.decisionNote)
            }, hasRequests: !requests.isEmpty, error: error)
        return pages.html(
            "m-manual", model,
            layout: navigation.layout(
                .mobile, title: "补登考勤", identity: context.identity, current: Paths.Mobile.attendance),
            status: error?.status ?? .ok)
    }
}
