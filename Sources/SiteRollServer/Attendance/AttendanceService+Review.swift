import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The employer's side (M3 items 3 and 5): the review queue of suspicious punches, phone
/// rebinding approvals, manual registrations (补登), and the per-project attendance policy.
extension AttendanceService {
    /// Suspicious punches of a project still waiting for a decision, oldest first.
    func reviewQueue(project projectID: UUID) async throws -> [AttendancePunchModel] {
        try await AttendancePunchModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$status == "suspicious").filter(\.$reviewStatus == nil).sort(\.$punchedAt).limit(500).all()
    }

    /// How many suspicious punches wait for a decision across `projects`: one count query.
    func pendingReviewCount(projects: [UUID]) async throws -> Int {
        guard !projects.isEmpty else { return 0 }
        return try await AttendancePunchModel.query(on: database.database()).filter(\.$projectID ~~ projects)
            .filter(\.$status == "suspicious").filter(\.$reviewStatus == nil).count()
    }

    /// Accepts or rejects a suspicious punch. The decision is a record of its own, with a reason.
    func review(
        _ punchID: UUID, accept: Bool, reason text: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let punch = try await AttendancePunchModel.find(punchID, on: db), punch.projectID == projectID,
            punch.status == "suspicious"
        else { throw AppError.notFound }
        try standing.requireUnit(punch.unitID)
        guard punch.reviewStatus == nil else {
            throw AppError(.conflict, code: "PUNCH_ALREADY_REVIEWED", message: "该打卡记录已核实过")
        }
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 2, reason.count <= 200 else {
            throw AppError(.unprocessableContent, code: "REVIEW_REASON_REQUIRED", message: "请写明核实意见（2 到 200 字）")
        }
        let review = AttendanceReviewModel()
        review.id = UUID()
        review.punchID = punchID
        review.decision = accept ? "accepted" : "rejected"
        review.reason = reason
        review.decidedBy = account.id
        review.decidedByName = account.displayName
        review.decidedAt = ServerClock.now()
        let worker = try await WorkerModel.find(punch.workerID, on: db)
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await review.create(on: tx)
            punch.reviewStatus = review.decision
            try await punch.update(on: tx)
            return (
                (),
                AuditDraft(
                    action: accept ? "attendance.review-accepted" : "attendance.review-rejected",
                    entityType: "attendance_punch", entityID: punchID.uuidString, divisionCode: project.divisionCode,
                    enterpriseID: account.enterpriseID?.uuidString ?? "",
                    summary:
                        "\(project.name)：\(accept ? "认可" : "不认可") \(worker?.name ?? "") \(punch.localDate) 的可疑打卡：\(reason)",
                    change: ["punch": punchID.uuidString, "decision": review.decision, "reason": reason])
            )
        }
    }

    func reviews(of punchIDs: [UUID]) async throws -> [UUID: AttendanceReviewModel] {
        guard !punchIDs.isEmpty else { return [:] }
        let rows = try await AttendanceReviewModel.query(on: database.database()).filter(\.$punchID ~~ punchIDs).all()
        return Dictionary(rows.map { ($0.punchID, $0) }, uniquingKeysWith: { _, last in last })
    }

    // MARK: Phone rebinding

    /// Rebinding requests of the workers on a project.
    func rebindingRequests(project projectID: UUID) async throws -> [WorkerPhoneDeviceModel] {
        let db = database.database()
        let workers = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
            .filter(\.$status == "active").all(\.$workerID)
        guard !workers.isEmpty else { return [] }
        return try await WorkerPhoneDeviceModel.query(on: db).filter(\.$workerID ~~ workers)
            .filter(\.$status == "requested").sort(\.$requestedAt).all()
    }

    /// Approves a worker's new phone: the old binding is revoked, the new one bound.
    func approveRebinding(_ requestID: UUID, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws
    {
        let (project, _) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let request = try await WorkerPhoneDeviceModel.find(requestID, on: db), request.status == "requested",
            try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
                .filter(\.$workerID == request.workerID).filter(\.$status == "active").count() > 0
        else { throw AppError.notFound }
        let others = try await WorkerPhoneDeviceModel.query(on: db).filter(\.$workerID == request.workerID)
            .filter(\.$status == "bound").all()
        try await audit.write(on: db, actor: account.auditActor) { tx in
            for other in others {
                other.status = "revoked"
                other.decidedAt = ServerClock.now()
                other.decidedBy = account.displayName
                try await other.update(on: tx)
            }
            request.status = "bound"
            request.decidedAt = ServerClock.now()
            request.decidedBy = account.displayName
            try await request.update(on: tx)
            return (
                (),
                AuditDraft(
                    "attendance.phone-rebound", on: project, by: account, entity: "worker", id: request.workerID,
                    summary: "\(project.name)：同意工人更换考勤手机", change: ["device": request.deviceID])
            )
        }
    }

    // MARK: Manual registration (补登)

    func requestManual(
        project projectID: String, date text: String, time timeText: String, direction: String, reason: String,
        worker: WorkerModel, by account: AccountSnapshot
    ) async throws {
        let db = database.database()
        var problems = FieldProblems()
        let date = problems.date(text, "日期", required: true)
        let today = LocalDate.today(in: Self.timeZone)
        if let date, date > today { problems.add("补登日期不能晚于今天") }
        if let date, let earliest = today.adding(days: -30), date < earliest { problems.add("只能补登 30 天内的考勤") }
        let minute = RequestBounds.timeOfDay(timeText)
        if minute == nil { problems.add("请填写时间，例如 08:00") }
        if PunchDirection(rawValue: direction) == nil { problems.add("请选择上班或下班") }
        let note = problems.required(reason, "补登原因", max: 200)
        try problems.throwIfAny("MANUAL_INVALID")
        guard let projectID = UUID(uuidString: projectID),
            try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
                .filter(\.$workerID == worker.uuid).count() > 0,
            let project = try await ProjectModel.find(projectID, on: db)
        else { throw AppError.badRequest("MANUAL_INVALID", "请选择您所在的项目") }
        let request = ManualPunchRequestModel()
        request.id = UUID()
        request.workerID = worker.uuid
        request.projectID = projectID
        guard let date, let minute else { throw AppError.badRequest("MANUAL_INVALID", "请填写日期和时间") }
        request.localDate = date.description
        request.time = String(format: "%02d:%02d", minute / 60, minute % 60)
        request.direction = direction
        request.reason = note
        request.status = "pending"
        request.createdAt = ServerClock.now()
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await request.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "attendance.manual-requested", entityType: "manual_punch_request",
                    entityID: request.uuid.uuidString, divisionCode: project.divisionCode,
                    enterpriseID: project.contractorEnterpriseID.uuidString,
                    summary: "\(project.name)：\(worker.name) 申请补登 \(request.localDate) \(request.time) 考勤",
                    change: ["date": request.localDate, "time": request.time, "reason": note])
            )
        }
    }

    func manualRequests(project projectID: UUID) async throws -> [ManualPunchRequestModel] {
        try await ManualPunchRequestModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$createdAt, .descending).limit(300).all()
    }

    func manualRequests(worker workerID: UUID) async throws -> [ManualPunchRequestModel] {
        try await ManualPunchRequestModel.query(on: database.database()).filter(\.$workerID == workerID)
            .sort(\.$createdAt, .descending).limit(100).all()
    }

    /// The labour officer confirms (a `manual` punch is created, referencing the request) or
    /// rejects with a note; the worker sees the outcome.
    func decideManual(
        _ requestID: UUID, confirm: Bool, note text: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let request = try await ManualPunchRequestModel.find(requestID, on: db), request.projectID == projectID
        else { throw AppError.notFound }
        guard request.status == "pending" else {
            throw AppError(.conflict, code: "MANUAL_ALREADY_DECIDED", message: "该补登申请已处理")
        }
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !confirm && note.count < 2 {
            throw AppError(.unprocessableContent, code: "MANUAL_NOTE_REQUIRED", message: "不同意补登时请写明原因")
        }
        let entry = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
            .filter(\.$workerID == request.workerID).sort(\.$entryDate, .descending).first()
        guard let entry else { throw AppError.notFound }
        try standing.requireUnit(entry.unitID)
        var row: PunchRow?
        if confirm {
            guard let date = LocalDate(request.localDate),
                let instant = Self.instant(date, time: request.time, dayStart: Self.dayStart(of: project))
            else {
                throw AppError.badRequest("MANUAL_INVALID", "补登时间不正确")
            }
            var punch = PunchRow(
                id: UUID(), projectID: projectID, workerID: request.workerID, unitID: entry.unitID,
                teamID: entry.teamID, localDate: request.localDate, punchedAt: instant, direction: request.direction,
                source: "manual", dedupeKey: "m:\(requestID.uuidString)", serverTime: ServerClock.now(),
                status: "accepted",
                recordedBy: account.displayName)
            punch.flagDetails = "补登：\(request.reason)"
            row = punch
        }
        let punch = row
        try await audit.write(on: db, actor: account.auditActor) { tx in
            if let punch { _ = try await PunchQueries(tx).insert([punch]) }
            request.status = confirm ? "confirmed" : "rejected"
            request.decidedBy = account.displayName
            request.decidedAt = ServerClock.now()
            request.decisionNote = note.isEmpty ? nil : String(note.prefix(200))
            request.punchID = punch?.id
            try await request.update(on: tx)
            return (
                (),
                AuditDraft(
                    action: confirm ? "attendance.manual-confirmed" : "attendance.manual-rejected",
                    entityType: "manual_punch_request", entityID: requestID.uuidString,
                    divisionCode: project.divisionCode, enterpriseID: account.enterpriseID?.uuidString ?? "",
                    summary: "\(project.name)：\(confirm ? "确认" : "驳回")补登 \(request.localDate) \(request.time)",
                    change: ["request": requestID.uuidString, "confirm": String(confirm), "note": note])
            )
        }
    }

    /// `HH:mm` (00:00…23:59) on attendance day `date` in Asia/Shanghai: a time before the project's
    /// day start falls on the next calendar day (the small hours of a night shift). nil for a time
    /// that is not one.
    package static func instant(_ date: LocalDate, time: String, dayStart: AttendanceDayStart = .midnight) -> Date? {
        guard let minute = RequestBounds.timeOfDay(time) else { return nil }
        return dayStart.instant(on: date, minuteOfDay: minute, in: timeZone)
    }

    // MARK: Policy

    func setPolicy(
        outside: String, maxAccuracy: String, maxSpeed: String, maxSkew: String, dayStart: String = "",
        project projectID: UUID, scope: AccessScope, by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        var problems = FieldProblems()
        guard let outsidePolicy = OutsideFencePolicy(rawValue: outside) else {
            throw AppError.badRequest("POLICY_INVALID", "请选择围栏外打卡的处理方式")
        }
        let accuracy = problems.decimal(maxAccuracy, "定位精度上限（米）", in: 10...1000, required: true)
        let speed = problems.decimal(maxSpeed, "移动速度上限（公里/小时）", in: 20...1000, required: true)
        let skew = problems.decimal(maxSkew, "手机时钟误差上限（秒）", in: 30...86_400, required: true)
        let typed = dayStart.trimmingCharacters(in: .whitespaces)
        let start = typed.isEmpty ? Self.dayStart(of: project) : AttendanceDayStart(typed)
        if start == nil { problems.add("考勤日起始时间应在 00:00 到 12:00 之间，例如 06:00") }
        try problems.throwIfAny("POLICY_INVALID")
        guard let start, let accuracy, let speed, let skew else { throw FieldProblems.incomplete("POLICY_INVALID") }
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            project.attendanceOutsidePolicy = outsidePolicy.rawValue
            project.attendanceMaxAccuracy = accuracy
            project.attendanceMaxSpeed = speed
            project.attendanceMaxSkew = skew
            project.attendanceDayStart = start.minutes
            try await project.update(on: tx)
            return (
                (),
                AuditDraft(
                    "attendance.policy-set", on: project, by: account, entity: "project", id: projectID,
                    summary: "\(project.name)：修改手机考勤规则（考勤日起始 \(start)）",
                    change: [outside, maxAccuracy, maxSpeed, maxSkew, start.description])
            )
        }
    }
}

// MARK: Corrections

extension AttendanceService {
    /// The punches of one worker on one day of a project, oldest first, with their corrections.
    func punches(project projectID: UUID, worker workerID: UUID, date: LocalDate) async throws
        -> [AttendancePunchModel]
    {
        try await AttendancePunchModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$workerID == workerID).filter(\.$localDate == date.description).sort(\.$punchedAt).all()
    }

    /// The worker and attendance day a punch of the project belongs to; 404 otherwise.
    func workerDay(of punchID: UUID, project projectID: UUID) async throws -> (worker: UUID, date: LocalDate) {
        guard let punch = try await AttendancePunchModel.find(punchID, on: database.database()),
            punch.projectID == projectID, let date = LocalDate(punch.localDate)
        else { throw AppError.notFound }
        return (punch.workerID, date)
    }

    /// Corrects a punch (a device's wrong direction, a wrong time): a new punch referencing the old
    /// one is stored, the old one is kept and marked superseded, and the reason is recorded. The
    /// punch itself is never changed or deleted otherwise (R7).
    func correct(
        _ punchID: UUID, direction: String, time text: String, reason raw: String, project projectID: UUID,
        scope: AccessScope, by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let original = try await AttendancePunchModel.find(punchID, on: db), original.projectID == projectID
        else { throw AppError.notFound }
        try standing.requireUnit(original.unitID)
        guard original.reviewStatus != "superseded" else {
            throw AppError(.conflict, code: "PUNCH_ALREADY_CORRECTED", message: "该打卡已被更正过，请更正最新的记录")
        }
        var problems = FieldProblems()
        if PunchDirection(rawValue: direction) == nil { problems.add("请选择入场或出场") }
        let reason = problems.required(raw, "更正原因", max: 200)
        guard let date = LocalDate(original.localDate),
            let instant = Self.instant(date, time: text, dayStart: Self.dayStart(of: project))
        else {
            throw AppError(
                .unprocessableContent, code: "CORRECTION_INVALID", message: "请填写 00:00 到 23:59 之间的时间，例如 17:30")
        }
        if instant > ServerClock.now() { problems.add("更正后的时间不能晚于现在") }
        try problems.throwIfAny("CORRECTION_INVALID")
        var row = PunchRow(
            id: UUID(), projectID: projectID, workerID: original.workerID, unitID: original.unitID,
            teamID: original.teamID, localDate: original.localDate, punchedAt: instant, direction: direction,
            source: original.source, dedupeKey: "c:\(punchID.uuidString)", serverTime: ServerClock.now(),
            status: "accepted",
            recordedBy: account.displayName)
        row.correctsID = punchID
        row.deviceID = original.deviceID
        row.passageMethod = original.passageMethod
        row.flagDetails = "更正：\(reason)"
        let correction = row
        let review = AttendanceReviewModel()
        review.id = UUID()
        review.punchID = punchID
        review.decision = "superseded"
        review.reason = reason
        review.decidedBy = account.id
        review.decidedByName = account.displayName
        review.decidedAt = ServerClock.now()
        try await audit.write(on: db, actor: account.auditActor) { tx in
            let inserted = try await PunchQueries(tx).insert([correction])
            guard !inserted.isEmpty else {
                throw AppError(.conflict, code: "PUNCH_ALREADY_CORRECTED", message: "该打卡已被更正过，请更正最新的记录")
            }
            try await review.create(on: tx)
            original.reviewStatus = "superseded"
            try await original.update(on: tx)
            return (
                (),
                AuditDraft(
                    "attendance.punch-corrected", on: project, by: account, entity: "attendance_punch", id: punchID,
                    summary:
                        "\(project.name)：更正 \(original.localDate) 的打卡（\(Self.clock(original.punchedAt)) → \(Self.clock(instant))）：\(reason)",
                    change: ["original": punchID.uuidString, "correction": correction.id.uuidString, "reason": reason])
            )
        }
    }
}
