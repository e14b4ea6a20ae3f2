import Crypto
import FluentKit
import FluentSQL
import Foundation
import SiteRollCore
import SiteRollStore

/// Attendance (M3, E2, G2): gate devices pushing batches, phone punches judged against the
/// project's geofence and for plausibility, the employer's review of suspicious punches, manual
/// registration (补登), and the sheets built from all of them. Punches are never deleted; a
/// decision or a correction is a record of its own.
package struct AttendanceService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let cipher: FieldCipher
    let hasher: PasswordHasher
    let defaults: PlausibilityPolicy
    let manDayRule: ManDayRule
    let audit = AuditTrail()

    static let timeZone = ChineseFormat.timeZone
    static let maximumBatch = 500
    /// Device punches older than this are refused (a device that was offline for weeks needs a
    /// person to look at its data).
    static let maximumDevicePunchAgeDays = 31

    /// The calendar day of the server's clock (`now`), as stored in `local_date`. A punch's day is
    /// `attendanceDay(of:project:)`, which honours the project's day start.
    package static func localDate(_ now: Date) -> String { LocalDate.today(in: timeZone, now: now).description }

    /// The attendance day a punch at `time` belongs to on `project` (its `AttendanceDayStart`);
    /// nil for an instant beyond the calendar, which callers refuse.
    static func attendanceDay(of time: Date, project: ProjectModel) -> LocalDate? {
        dayStart(of: project).day(of: time, in: timeZone)
    }

    static func dayStart(of project: ProjectModel) -> AttendanceDayStart {
        AttendanceDayStart(minutes: project.attendanceDayStart) ?? .midnight
    }

    static func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// The project's policy: its own thresholds over the platform defaults.
    func policy(for project: ProjectModel) -> PlausibilityPolicy {
        var policy = defaults
        if let raw = project.attendanceOutsidePolicy, let value = OutsideFencePolicy(rawValue: raw) {
            policy.outsideFence = value
        }
        if let value = project.attendanceMaxAccuracy { policy.maximumAccuracyMetres = value }
        if let value = project.attendanceMaxSpeed { policy.maximumSpeedKmh = value }
        if let value = project.attendanceMaxSkew { policy.maximumClockSkewSeconds = value }
        return policy
    }

    // MARK: Devices

    static let deviceKinds = CodeTable(
        source: "[I] 考勤设备类型", [("face", "人脸识别考勤机"), ("turnstile", "闸机"), ("other", "其他设备")])

    /// Registers a gate device for a project (general contractor): a device code and a one-time
    /// secret the device exchanges for tokens at `/api/v1/auth/token`.
    package func registerDevice(
        name text: String, kind: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws -> (device: AttendanceDeviceModel, secret: String) {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        var problems = FieldProblems()
        let name = problems.required(text, "设备名称", max: 50)
        let kind = problems.code(kind, in: Self.deviceKinds, "设备类型") ?? "other"
        try problems.throwIfAny("DEVICE_INVALID")
        let code =
            "D"
            + String(Digest.randomToken(byteCount: 12).uppercased().filter { $0.isLetter || $0.isNumber }.prefix(11))
        let secret = Digest.randomToken(byteCount: 32)
        let credential = AppCredentialModel(
            appID: code, name: "\(project.name) \(name)", secretHash: try await hasher.hash(secret),
            enterpriseID: project.contractorEnterpriseID, divisionCode: project.divisionCode)
        let device = AttendanceDeviceModel()
        device.id = UUID()
        device.projectID = projectID
        device.code = code
        device.name = name
        device.kind = kind
        device.appCredentialID = credential.uuid
        device.status = "active"
        device.createdAt = ServerClock.now()
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await credential.create(on: tx)
            try await device.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "attendance.device-registered", entityType: "attendance_device",
                    entityID: device.uuid.uuidString, divisionCode: project.divisionCode,
                    enterpriseID: account.enterpriseID?.uuidString ?? "",
                    summary: "\(project.name)：登记考勤设备 \(name)（\(code)）", change: ["code": code, "kind": kind])
            )
        }
        return (device, secret)
    }

    func devices(of projectID: UUID) async throws -> [AttendanceDeviceModel] {
        try await AttendanceDeviceModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$createdAt).all()
    }

    /// The device a connected app is, if it is an active gate device.
    func device(forApp appID: UUID) async throws -> AttendanceDeviceModel? {
        try await AttendanceDeviceModel.query(on: database.database()).filter(\.$appCredentialID == appID)
            .filter(\.$status == "active").first()
    }

    // MARK: Device batches

    struct DevicePunch: Sendable {
        var idNumber: String?
        var verificationCode: String?
        var time: Date
        var direction: String
        var passageMethod: String?
        var photo: Data?
    }

    struct BatchResult: Sendable {
        var index: Int
        /// `accepted`, `duplicate` or `refused`.
        var status: String
        var code: String?
        var message: String?
    }

    /// Stores a device's batch: every record gets its own result; a record sent twice (same
    /// device, worker and second) is stored once. One audit event covers the batch.
    func ingest(_ records: [DevicePunch], device: AttendanceDeviceModel, now: Date = ServerClock.now()) async throws
        -> [BatchResult]
    {
        guard !records.isEmpty else { return [] }
        guard records.count <= Self.maximumBatch else {
            throw AppError.badRequest("BATCH_TOO_LARGE", "每批最多 \(Self.maximumBatch) 条考勤记录，请分批上传")
        }
        let db = database.database()
        guard let project = try await ProjectModel.find(device.projectID, on: db) else { throw AppError.notFound }
        // One keyed hash per record, computed once: it is both the query key and the lookup key.
        let recordHMACs = records.map { $0.idNumber.map { cipher.lookupHash($0.uppercased()) } }
        let hmacs = Set(recordHMACs.compactMap { $0 })
        let codes = Set(records.compactMap { $0.verificationCode?.uppercased() })
        var workers: [WorkerModel] = []
        if !hmacs.isEmpty {
            workers += try await WorkerModel.query(on: db).filter(\.$idNumberHMAC ~~ Array(hmacs)).all()
        }
        if !codes.isEmpty {
            workers += try await WorkerModel.query(on: db).filter(\.$verificationCode ~~ Array(codes)).all()
        }
        let byHMAC = Dictionary(workers.map { ($0.idNumberHMAC, $0) }, uniquingKeysWith: { first, _ in first })
        let byCode = Dictionary(
            workers.compactMap { worker in worker.verificationCode.map { ($0, worker) } },
            uniquingKeysWith: { first, _ in first })
        let entries = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == project.uuid)
            .filter(\.$workerID ~~ Array(Set(workers.map { $0.uuid }))).filter(\.$status == "active").all()
        let activeEntry = Dictionary(entries.map { ($0.workerID, $0) }, uniquingKeysWith: { first, _ in first })

        var results: [BatchResult] = []
        var rows: [PunchRow] = []
        var photos: [String: (Data, String)] = [:]
        var batchKeys: Set<String> = []
        let earliest = now.addingTimeInterval(-Double(Self.maximumDevicePunchAgeDays) * 86_400)
        for (index, record) in records.enumerated() {
            let refuse = { (code: String, message: String) in
                results.append(BatchResult(index: index, status: "refused", code: code, message: message))
            }
            let worker =
                recordHMACs[index].flatMap { byHMAC[$0] }
                ?? record.verificationCode.flatMap { byCode[$0.uppercased()] }
            guard let worker else {
                refuse("WORKER_UNKNOWN", "平台上没有这名工人（身份证号或实名核验码不符）")
                continue
            }
            guard let entry = activeEntry[worker.uuid] else {
                refuse("WORKER_NOT_ON_SITE", "\(worker.name) 在本项目没有有效的进场记录，不能考勤")
                continue
            }
            guard
                let direction = PunchDirection(rawValue: record.direction)
                    ?? PunchDirection(nationalCode: record.direction)
            else {
                refuse("DIRECTION_INVALID", "考勤方向应为 in/out（或 01 入场、02 出场）")
                continue
            }
            if let method = record.passageMethod, !CodeTable.passageMethods.contains(method) {
                refuse("PASSAGE_METHOD_INVALID", "通行方式代码“\(method.prefix(10))”不在国家代码表中")
                continue
            }
            if record.time > now.addingTimeInterval(300) {
                refuse("TIME_IN_FUTURE", "考勤时间晚于服务器当前时间，请校准设备时钟")
                continue
            }
            if record.time < earliest {
                refuse("TIME_TOO_OLD", "考勤时间早于 \(Self.maximumDevicePunchAgeDays) 天前，请联系项目部人工核实")
                continue
            }
            if let photo = record.photo, photo.count > 50 * 1024 {
                refuse("PHOTO_TOO_LARGE", "考勤照片不能超过 50 KB")
                continue
            }
            // Within 31 days of the server's clock (checked above): the day and the seconds exist.
            guard let day = Self.attendanceDay(of: record.time, project: project) else {
                refuse("TIME_TOO_OLD", "考勤时间无效，请校准设备时钟")
                continue
            }
            let seconds = Int64(record.time.timeIntervalSince1970.rounded(.down))
            var row = PunchRow(
                id: UUID(), projectID: project.uuid, workerID: worker.uuid, unitID: entry.unitID, teamID: entry.teamID,
                localDate: day.description, punchedAt: record.time, direction: direction.rawValue,
                source: "device", dedupeKey: "d:\(device.uuid.uuidString):\(worker.uuid.uuidString):\(seconds)",
                serverTime: now, status: "accepted", recordedBy: device.code)
            row.deviceID = device.id
            row.passageMethod = record.passageMethod
            if let photo = record.photo, !photo.isEmpty {
                let digest = Digest.hex(SHA256.hash(data: photo))
                row.photoSHA256 = digest
                photos[row.dedupeKey] = (photo, digest)
            }
            if !batchKeys.insert(row.dedupeKey).inserted {
                results.append(BatchResult(index: index, status: "duplicate", code: "DUPLICATE", message: "同一批次中重复的记录"))
                continue
            }
            rows.append(row)
            results.append(BatchResult(index: index, status: "accepted"))
        }
        let finalRows = rows
        let finalPhotos = photos
        let actor = AuditActor(id: device.appCredentialID.uuidString, name: device.code, role: "device")
        let inserted = try await audit.write(on: db, actor: actor) { tx in
            let rows = finalRows
            let photos = finalPhotos
            let keys = try await Self.insert(rows, on: tx)
            for row in rows where keys.contains(row.dedupeKey) {
                guard let (bytes, digest) = photos[row.dedupeKey] else { continue }
                let photo = AttendancePhotoModel()
                photo.id = UUID()
                photo.punchID = row.id
                photo.contentType = bytes.starts(with: [0xFF, 0xD8]) ? "image/jpeg" : "image/png"
                photo.bytesCipher = try cipher.seal(data: bytes)
                photo.sha256 = digest
                try await photo.create(on: tx)
            }
            return (
                keys,
                AuditDraft(
                    action: "attendance.device-batch", entityType: "attendance_device",
                    entityID: device.uuid.uuidString, divisionCode: project.divisionCode,
                    enterpriseID: project.contractorEnterpriseID.uuidString,
                    summary: "\(project.name)：设备 \(device.code) 上传考勤 \(records.count) 条，新增 \(keys.count) 条",
                    change: rows.map(\.dedupeKey))
            )
        }
        var rowIndex = 0
        return results.map { result in
            guard result.status == "accepted", result.code == nil else { return result }
            defer { rowIndex += 1 }
            return inserted.contains(rows[rowIndex].dedupeKey)
                ? result : BatchResult(index: result.index, status: "duplicate", code: "DUPLICATE", message: "该记录已上传过")
        }
    }

    // MARK: Storage

    /// A punch as one row of a multi-row insert.
    package struct PunchRow: Sendable {
        var id: UUID
        var projectID: UUID
        var workerID: UUID
        var unitID: UUID
        var teamID: UUID
        var localDate: String
        var punchedAt: Date
        var direction: String
        var source: String
        var deviceID: UUID?
        package var passageMethod: String?
        var dedupeKey: String
        var clientEventID: String?
        var latitude: Double?
        var longitude: Double?
        var accuracy: Double?
        var distance: Double?
        var clientTime: Date?
        var clientSentTime: Date?
        var serverTime: Date
        var phoneDevice: String?
        var status: String
        var flags = "[]"
        var flagDetails: String?
        var photoSHA256: String?
        var correctsID: UUID?
        var recordedBy: String

        package init(
            id: UUID, projectID: UUID, workerID: UUID, unitID: UUID, teamID: UUID, localDate: String, punchedAt: Date,
            direction: String, source: String, dedupeKey: String, serverTime: Date, status: String, recordedBy: String
        ) {
            self.id = id
            self.projectID = projectID
            self.workerID = workerID
            self.unitID = unitID
            self.teamID = teamID
            self.localDate = localDate
            self.punchedAt = punchedAt
            self.direction = direction
            self.source = source
            self.dedupeKey = dedupeKey
            self.serverTime = serverTime
            self.status = status
            self.recordedBy = recordedBy
        }
    }

    package static let columns = [
        "id", "project_id", "worker_id", "unit_id", "team_id", "local_date", "punched_at", "direction", "source",
        "device_id", "passage_method", "dedupe_key", "client_event_id", "latitude", "longitude", "accuracy",
        "distance", "client_time", "client_sent_time", "server_time", "phone_device", "status", "flags",
        "flag_details", "photo_sha256", "corrects_id", "recorded_by",
    ]

    /// One multi-row insert that skips rows whose dedupe key exists; returns the keys inserted.
    static func insert(_ rows: [PunchRow], on db: any Database) async throws -> Set<String> {
        guard !rows.isEmpty, let sql = db as? any SQLDatabase else { return [] }
        var inserted: Set<String> = []
        for chunk in stride(from: 0, to: rows.count, by: 500).map({ Array(rows[$0..<min($0 + 500, rows.count)]) }) {
            let builder = sql.insert(into: AttendancePunchModel.schema).columns(columns)
            for row in chunk { builder.values(values(row)) }
            let returned = try await builder.ignoringConflicts(with: ["dedupe_key"]).returning("dedupe_key").all()
            for item in returned { inserted.insert(try item.decode(column: "dedupe_key", as: String.self)) }
        }
        return inserted
    }

    package static func values(_ row: PunchRow) -> [any SQLExpression] {
        [
            SQLBind(row.id), SQLBind(row.projectID), SQLBind(row.workerID), SQLBind(row.unitID), SQLBind(row.teamID),
            SQLBind(row.localDate), SQLBind(row.punchedAt), SQLBind(row.direction), SQLBind(row.source),
            SQLBind(row.deviceID), SQLBind(row.passageMethod), SQLBind(row.dedupeKey), SQLBind(row.clientEventID),
            SQLBind(row.latitude), SQLBind(row.longitude), SQLBind(row.accuracy), SQLBind(row.distance),
            SQLBind(row.clientTime), SQLBind(row.clientSentTime), SQLBind(row.serverTime), SQLBind(row.phoneDevice),
            SQLBind(row.status), SQLBind(row.flags), SQLBind(row.flagDetails), SQLBind(row.photoSHA256),
            SQLBind(row.correctsID), SQLBind(row.recordedBy),
        ]
    }
}
