import Crypto
import FluentKit
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
        credential.kind = "device"
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
                    "attendance.device-registered", on: project, by: account, entity: "attendance_device",
                    id: device.uuid,
                    summary: "\(project.name)：登记考勤设备 \(name)（\(code)）", change: ["code": code, "kind": kind])
            )
        }
        return (device, secret)
    }

    /// The channel a national app's swipes arrive on (issue 15): a device row of its own, so that
    /// the gate-device rules, the day sheets and the review queue treat it like any gate, and its
    /// punches say where they came from.
    func nationalChannel(for credentialID: UUID, name: String, project: ProjectModel) async throws
        -> AttendanceDeviceModel
    {
        if let existing = try await device(forApp: credentialID) { return existing }
        let device = AttendanceDeviceModel()
        device.id = UUID()
        device.projectID = project.uuid
        device.code = "N" + project.code
        device.name = "国家接口（\(name)）"
        device.kind = "other"
        device.appCredentialID = credentialID
        device.status = "active"
        device.createdAt = ServerClock.now()
        do {
            try await device.create(on: database.database())
            return device
        } catch {
            // Another process made it first.
            guard let made = try await self.device(forApp: credentialID) else { throw error }
            return made
        }
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
        /// The record's position in the request, carried into its result.
        var index: Int
        var idNumber: String?
        var verificationCode: String?
        var time: Date
        var direction: String
        var passageMethod: String?
        var photo: Data?
    }

    struct BatchResult: Sendable {
        /// The record's position in the request (`DevicePunch.index`).
        var index: Int
        var status: DevicePunchStatus
        var code: String?
        var message: String?

        init(index: Int, status: DevicePunchStatus = .accepted, code: String? = nil, message: String? = nil) {
            self.index = index
            self.status = status
            self.code = code
            self.message = message
        }

        init(index: Int, _ refusal: DevicePunchRefusal) {
            self.init(index: index, status: refusal.status, code: refusal.code, message: refusal.message)
        }
    }

    /// Stores a device's batch: every record gets its own result, in the records' order and under
    /// their indexes; a record sent twice (same device, worker and second) is stored once
    /// (`DevicePunchRules` decides each record). One audit event covers the batch.
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

        // Each result, with the dedupe key of the row it stands for while that row is still to be stored.
        var results: [(result: BatchResult, key: String?)] = []
        var rows: [PunchRow] = []
        var photos: [String: (Data, String)] = [:]
        var batchKeys: Set<String> = []
        for (position, record) in records.enumerated() {
            let worker =
                recordHMACs[position].flatMap { byHMAC[$0] }
                ?? record.verificationCode.flatMap { byCode[$0.uppercased()] }
            let entry = worker.flatMap { activeEntry[$0.uuid] }
            // `exactly`: a time the rule refuses may lie beyond Int64's seconds; it gets no key.
            let seconds = Int64(exactly: record.time.timeIntervalSince1970.rounded(.down))
            let key = worker.flatMap { worker in
                seconds.map { "d:\(device.uuid.uuidString):\(worker.uuid.uuidString):\($0)" }
            }
            let day = Self.attendanceDay(of: record.time, project: project)
            let facts = DevicePunchFacts(
                workerName: worker?.name, isOnSite: entry != nil, direction: record.direction,
                passageMethod: record.passageMethod, time: record.time, photoBytes: record.photo?.count,
                attendanceDay: day, repeatsEarlierRecord: key.map { batchKeys.contains($0) } ?? false)
            if let refusal = DevicePunchRules.refusal(facts, now: now) {
                results.append((BatchResult(index: record.index, refusal), nil))
                continue
            }
            guard let worker, let entry, let key, let day, let direction = DevicePunchRules.direction(record.direction)
            else {
                // Unreachable: the rule accepts only records with a worker on site, a day (hence a
                // time within 31 days, with its seconds) and a direction. Refused, not trapped.
                results.append((BatchResult(index: record.index, .timeInvalid), nil))
                continue
            }
            var row = PunchRow(
                id: UUID(), projectID: project.uuid, workerID: worker.uuid, unitID: entry.unitID, teamID: entry.teamID,
                localDate: day.description, punchedAt: record.time, direction: direction.rawValue,
                source: "device", dedupeKey: key, serverTime: now, status: "accepted", recordedBy: device.code)
            row.deviceID = device.id
            row.passageMethod = record.passageMethod
            if let photo = record.photo, !photo.isEmpty {
                let digest = Digest.hex(SHA256.hash(data: photo))
                row.photoSHA256 = digest
                photos[row.dedupeKey] = (photo, digest)
            }
            batchKeys.insert(key)
            rows.append(row)
            results.append((BatchResult(index: record.index), key))
        }
        let finalRows = rows
        let finalPhotos = photos
        let actor = AuditActor(id: device.appCredentialID.uuidString, name: device.code, role: "device")
        let inserted = try await audit.write(on: db, actor: actor) { tx in
            let rows = finalRows
            let photos = finalPhotos
            let keys = try await PunchQueries(tx).insert(rows)
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
        // A row the database already held (an earlier batch) was not inserted: a duplicate.
        return results.map { result, key in
            guard let key, !inserted.contains(key) else { return result }
            return BatchResult(index: result.index, .alreadyStored)
        }
    }
}
