import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Phone punches (M3): the server decides inside or outside the fence, judges plausibility, binds
/// one phone per worker, and stores each client event id once however often it arrives.
extension AttendanceService {
    struct PhonePunchInput: Sendable {
        var clientEventID: String
        var projectID: UUID
        var direction: String
        var latitude: Double
        var longitude: Double
        var accuracy: Double
        var clientTime: Date
        var clientSentTime: Date
        var deviceID: String
    }

    enum PhoneOutcome: Sendable, Equatable {
        case accepted(time: String)
        case suspicious(time: String, reasons: [String])
        case duplicate(time: String)
        case refused(code: String, message: String)
    }

    /// The projects a worker can punch on: active entries.
    func punchableProjects(worker workerID: UUID) async throws -> [ProjectModel] {
        let db = database.database()
        let ids = try await ProjectWorkerModel.query(on: db).filter(\.$workerID == workerID)
            .filter(\.$status == "active").all(\.$projectID)
        guard !ids.isEmpty else { return [] }
        return try await ProjectModel.query(on: db).filter(\.$id ~~ ids).sort(\.$name).all()
    }

    func phonePunch(
        _ input: PhonePunchInput, worker: WorkerModel, by account: AccountSnapshot, now: Date = ServerClock.now()
    )
        async throws -> PhoneOutcome
    {
        let db = database.database()
        let eventID = String(input.clientEventID.prefix(64))
        guard eventID.count >= 8, eventID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw AppError.badRequest("PUNCH_INVALID", "打卡记录缺少编号，请刷新页面后重试")
        }
        let key = "p:\(worker.uuid.uuidString):\(eventID)"
        if let existing = try await AttendancePunchModel.query(on: db).filter(\.$dedupeKey == key).first() {
            return .duplicate(time: Self.clock(existing.punchedAt))
        }
        guard let direction = PunchDirection(rawValue: input.direction) else {
            throw AppError.badRequest("PUNCH_INVALID", "打卡方向不正确")
        }
        guard (-90...90).contains(input.latitude), (-180...180).contains(input.longitude), input.accuracy >= 0,
            input.accuracy.isFinite
        else { throw AppError.badRequest("PUNCH_INVALID", "定位数据不正确，请重新定位") }
        guard let project = try await ProjectModel.find(input.projectID, on: db),
            let entry = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == input.projectID)
                .filter(\.$workerID == worker.uuid).filter(\.$status == "active").first()
        else {
            return .refused(code: "WORKER_NOT_ON_SITE", message: "您在该项目没有有效的进场记录，不能打卡。请联系项目部办理进场")
        }
        guard let fence = project.geofence.flatMap({ try? Geofence.parse($0) }) else {
            return .refused(code: "NO_GEOFENCE", message: "该项目尚未设置考勤电子围栏，请在闸机考勤或联系项目部")
        }
        let previous = try await AttendancePunchModel.query(on: db).filter(\.$workerID == worker.uuid)
            .filter(\.$source == "phone").sort(\.$punchedAt, .descending).limit(5).all()
            .compactMap { punch -> PreviousFix? in
                guard let lat = punch.latitude, let lng = punch.longitude else { return nil }
                return PreviousFix(
                    point: GeoPoint(latitude: lat, longitude: lng), accuracyMetres: punch.accuracy ?? 0,
                    time: punch.punchedAt)
            }
        let devices = try await WorkerPhoneDeviceModel.query(on: db).filter(\.$workerID == worker.uuid).all()
        let bound = devices.first { $0.status == "bound" }
        let device = String(input.deviceID.prefix(64))
        let fix = PhoneFix(
            point: GeoPoint(latitude: input.latitude, longitude: input.longitude), accuracyMetres: input.accuracy,
            clientTime: input.clientTime, clientSentTime: input.clientSentTime, serverTime: now, deviceID: device)
        let verdict = PunchPlausibility.evaluate(
            fix, fence: fence, previous: previous, boundDeviceID: bound?.deviceID, policy: policy(for: project))
        if verdict.isRefused {
            return .refused(code: "OUTSIDE_FENCE", message: verdict.refusalMessage ?? "不在项目考勤范围内")
        }
        guard let day = Self.attendanceDay(of: verdict.correctedTime, project: project) else {
            return .refused(code: "PUNCH_TIME_INVALID", message: "手机时间不正确，请把手机时间设为自动后重新打卡")
        }
        var row = PunchRow(
            id: UUID(), projectID: project.uuid, workerID: worker.uuid, unitID: entry.unitID, teamID: entry.teamID,
            localDate: day.description, punchedAt: verdict.correctedTime,
            direction: direction.rawValue, source: "phone", dedupeKey: key, serverTime: now,
            status: verdict.isSuspicious ? "suspicious" : "accepted", recordedBy: account.displayName)
        row.clientEventID = eventID
        row.latitude = input.latitude
        row.longitude = input.longitude
        row.accuracy = input.accuracy
        row.distance = fence.distanceOutside(fix.point)
        row.clientTime = input.clientTime
        row.clientSentTime = input.clientSentTime
        row.phoneDevice = device
        row.flags = Self.flagsJSON(verdict.findings.map(\.flag.rawValue))
        row.flagDetails = verdict.findings.isEmpty ? nil : verdict.findings.map(\.detail).joined(separator: "\n")
        let finalRow = row
        let inserted = try await audit.write(on: db, actor: account.auditActor) { tx in
            let keys = try await PunchQueries(tx).insert([finalRow])
            if bound == nil {
                try await Self.recordDevice(device, worker: worker.uuid, status: "bound", existing: devices, on: tx)
            } else if bound?.deviceID != device, !devices.contains(where: { $0.deviceID == device }) {
                try await Self.recordDevice(device, worker: worker.uuid, status: "requested", existing: devices, on: tx)
            }
            return (
                keys,
                AuditDraft(
                    action: finalRow.status == "suspicious" ? "attendance.phone-suspicious" : "attendance.phone-punch",
                    entityType: "attendance_punch", entityID: finalRow.id.uuidString,
                    divisionCode: project.divisionCode,
                    enterpriseID: project.contractorEnterpriseID.uuidString,
                    summary:
                        "\(project.name)：\(worker.name) 手机\(direction.chineseName)打卡\(finalRow.status == "suspicious" ? "（待核实）" : "")",
                    change: ["key": key, "flags": finalRow.flags])
            )
        }
        let time = Self.clock(verdict.correctedTime)
        guard inserted.contains(key) else { return .duplicate(time: time) }
        return verdict.isSuspicious
            ? .suspicious(time: time, reasons: verdict.findings.map(\.detail)) : .accepted(time: time)
    }

    static func recordDevice(
        _ device: String, worker: UUID, status: String, existing: [WorkerPhoneDeviceModel], on db: any Database
    ) async throws {
        guard !existing.contains(where: { $0.deviceID == device }) else { return }
        let model = WorkerPhoneDeviceModel()
        model.id = UUID()
        model.workerID = worker
        model.deviceID = device
        model.status = status
        model.requestedAt = ServerClock.now()
        if status == "bound" {
            model.decidedAt = ServerClock.now()
            model.decidedBy = "首次打卡自动绑定"
        }
        try await model.create(on: db)
    }

    static func flagsJSON(_ flags: [String]) -> String {
        (try? String(data: JSONEncoder().encode(flags), encoding: .utf8)) ?? "[]"
    }

    static func flags(of punch: AttendancePunchModel) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(punch.flags.utf8))) ?? []
    }

    /// The direction the worker's next punch on `project` today probably is.
    func nextDirection(worker workerID: UUID, project projectID: UUID?, now: Date = ServerClock.now()) async throws
        -> PunchDirection
    {
        guard let projectID else { return .entry }
        let last = try await AttendancePunchModel.query(on: database.database()).filter(\.$workerID == workerID)
            .filter(\.$projectID == projectID).filter(\.$localDate == Self.localDate(now))
            .sort(\.$punchedAt, .descending).first()
        return last?.direction == PunchDirection.entry.rawValue ? .exit : .entry
    }

    func punches(worker workerID: UUID, from: String, to: String) async throws -> [AttendancePunchModel] {
        try await AttendancePunchModel.query(on: database.database()).filter(\.$workerID == workerID)
            .filter(\.$localDate >= from).filter(\.$localDate <= to).sort(\.$punchedAt, .descending).all()
    }
}
