import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Issue 5's part of the demo: a gate device per project and three months of plausible attendance for
/// everyone on site (device punches on working days, a few absences, some late exits), phone
/// punches by 张建国 inside the fence, two suspicious phone punches waiting in the review queue,
/// and one manual registration waiting for the labour officer.
extension DemoData {
    /// A small deterministic generator, so every demo load looks the same (the warning benchmark's
    /// synthetic province uses it too).
    package struct Dice {
        var state: UInt64

        package init(state: UInt64) { self.state = state }

        package mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    func seedAttendance(now: Date = ServerClock.now()) async throws {
        let db = accounts.database.database()
        let today = LocalDate.today(in: ChineseFormat.timeZone, now: now)
        let projects = try await ProjectModel.query(on: db).sort(\.$code).all()
        var dice = Dice(state: 20_260_301)
        for project in projects {
            // In the order they were entered: the dice below must meet the workers in the same order every run.
            let entries = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == project.uuid)
                .sort(\.$createdAt).all()
            guard !entries.isEmpty else { continue }
            let credential = AppCredentialModel(
                appID: "D\(project.code)", name: "\(project.name) 东大门人脸闸机",
                secretHash: try await accounts.hasher.hash(Digest.randomToken(byteCount: 24)),
                enterpriseID: project.contractorEnterpriseID, divisionCode: project.divisionCode, now: now)
            credential.kind = "device"
            let device = AttendanceDeviceModel()
            device.id = UUID()
            device.projectID = project.uuid
            device.code = credential.appID
            device.name = "东大门人脸闸机"
            device.kind = "face"
            device.appCredentialID = credential.uuid
            device.status = "active"
            device.createdAt = now
            var rows: [PunchRow] = []
            for entry in entries {
                guard let entered = LocalDate(entry.entryDate) else { continue }
                let last = entry.exitDate.flatMap(LocalDate.init) ?? today
                var day = max(entered, PayMonth(containing: today).nearAdding(months: -3).firstDay)
                while day <= last {
                    defer { day = day.nearAdding(days: 1) }
                    let weekday = (day.dayNumber + 4) % 7  // 0 = Sunday (1970-01-01 was a Thursday)
                    if weekday == 0 || dice.next(100) < 8 { continue }
                    let arrive = AttendanceService.instant(day, time: String(format: "07:%02d", 30 + dice.next(30)))!
                    let leaveHour = dice.next(10) == 0 ? 12 : 17
                    let leave = AttendanceService.instant(
                        day, time: String(format: "%02d:%02d", leaveHour, 10 + dice.next(45)))!
                    for (time, direction) in [(arrive, "in"), (leave, "out")] where time < now {
                        var row = PunchRow(
                            id: UUID(), projectID: project.uuid, workerID: entry.workerID, unitID: entry.unitID,
                            teamID: entry.teamID, localDate: day.description, punchedAt: time, direction: direction,
                            source: "device",
                            dedupeKey:
                                "d:\(device.uuid.uuidString):\(entry.workerID.uuidString):\(Int(time.timeIntervalSince1970))",
                            serverTime: time.addingTimeInterval(3), status: "accepted", recordedBy: device.code)
                        row.deviceID = device.id
                        row.passageMethod = "001"
                        rows.append(row)
                    }
                }
            }
            let finalRows = rows
            try await accounts.audit.write(on: db, actor: .system) { tx in
                try await credential.create(on: tx)
                try await device.create(on: tx)
                _ = try await PunchQueries(tx).insert(finalRows)
                return (
                    (),
                    AuditDraft(
                        action: "demo.seeded", entityType: "project", entityID: project.uuid.uuidString,
                        divisionCode: project.divisionCode,
                        summary: "装入演示考勤：\(project.name) 设备考勤 \(finalRows.count) 条",
                        change: ["punches": String(finalRows.count)])
                )
            }
        }
        try await seedPhoneAttendance(today: today, now: now)
    }

    /// 张建国's phone punches: clean ones inside the fence, two suspicious ones for the review
    /// queue, and a manual registration request.
    private func seedPhoneAttendance(today: LocalDate, now: Date) async throws {
        let db = accounts.database.database()
        guard let zhang = try await WorkerModel.query(on: db).filter(\.$name == "张建国").first(),
            let entry = try await ProjectWorkerModel.query(on: db).filter(\.$workerID == zhang.uuid)
                .filter(\.$status == "active").first(),
            let project = try await ProjectModel.find(entry.projectID, on: db),
            let fence = project.geofence.flatMap({ try? Geofence.parse($0) })
        else { return }
        let phone = "5a11e0de00000000000000000000a001"
        let centre = fence.centroid
        var rows: [PunchRow] = []
        func phoneRow(
            _ day: LocalDate, _ time: String, _ direction: String, point: GeoPoint, accuracy: Double,
            status: String, flags: [String], details: String?
        ) -> PunchRow {
            let instant = AttendanceService.instant(day, time: time)!
            var row = PunchRow(
                id: UUID(), projectID: project.uuid, workerID: zhang.uuid, unitID: entry.unitID, teamID: entry.teamID,
                localDate: day.description, punchedAt: instant, direction: direction, source: "phone",
                dedupeKey: "p:\(zhang.uuid.uuidString):demo-\(day)-\(direction)",
                serverTime: instant.addingTimeInterval(2),
                status: status, recordedBy: "张建国")
            row.clientEventID = "demo-\(day)-\(direction)"
            row.latitude = point.latitude
            row.longitude = point.longitude
            row.accuracy = accuracy
            row.distance = fence.distanceOutside(point)
            row.clientTime = instant
            row.clientSentTime = instant
            row.phoneDevice = phone
            row.flags = AttendanceService.flagsJSON(flags)
            row.flagDetails = details
            return row
        }
        for offset in 1...3 {
            let day = today.nearAdding(days: -offset)
            rows.append(
                phoneRow(
                    day, "07:52", "in", point: centre, accuracy: 18 + Double(offset), status: "accepted", flags: [],
                    details: nil))
        }
        let away = GeoPoint(latitude: centre.latitude + 0.0075, longitude: centre.longitude)
        rows.append(
            phoneRow(
                today.nearAdding(days: -4), "08:05", "in", point: away, accuracy: 25, status: "suspicious",
                flags: [PunchFlag.outsideFence.rawValue],
                details: "不在项目考勤围栏内，距围栏约 \(Int(fence.distanceOutside(away).rounded())) 米"))
        rows.append(
            phoneRow(
                today.nearAdding(days: -5), "07:58", "in", point: centre, accuracy: 1, status: "suspicious",
                flags: [PunchFlag.implausiblyPrecise.rawValue],
                details: "定位精度 1 米，手机浏览器一般达不到，可能使用了虚拟定位"))
        let manual = ManualPunchRequestModel()
        manual.id = UUID()
        manual.workerID = zhang.uuid
        manual.projectID = project.uuid
        manual.localDate = today.nearAdding(days: -2).description
        manual.time = "17:40"
        manual.direction = "out"
        manual.reason = "下班时手机没电，未能打卡"
        manual.status = "pending"
        manual.createdAt = now
        let binding = WorkerPhoneDeviceModel()
        binding.id = UUID()
        binding.workerID = zhang.uuid
        binding.deviceID = phone
        binding.status = "bound"
        binding.requestedAt = now
        binding.decidedAt = now
        binding.decidedBy = "首次打卡自动绑定"
        let finalRows = rows
        try await accounts.audit.write(on: db, actor: .system) { tx in
            _ = try await PunchQueries(tx).insert(finalRows)
            try await manual.create(on: tx)
            try await binding.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "demo.seeded", entityType: "worker", entityID: zhang.uuid.uuidString,
                    divisionCode: project.divisionCode, summary: "装入演示手机考勤：张建国 \(finalRows.count) 条、补登申请 1 条",
                    change: ["punches": String(finalRows.count)])
            )
        }
    }
}
