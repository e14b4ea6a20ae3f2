import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// The national queries (b.5, b.6) on SiteRoll's own records: each reads the app's project
/// through the services the consoles use, pages 0-based with at most 50 rows, and answers in
/// the national field names; ID and card numbers go out AES-encrypted under the app's secret.
struct NationalQueries: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher
    let projects: ProjectServices
    let attendance: AttendanceService
    let wages: WageServices
    let restrictions: RestrictionService

    typealias Refusal = NationalGateway.Refusal
    typealias Row = [String: NationalJSON]

    static let methods: Set<String> = [
        "Corp.Query", "CorpCredential.Query", "ProjectSubContractor.Query", "Team.Query", "ProjectWorker.Query",
        "WorkerEntryExit.Query", "WorkerContract.Query", "WorkerAttendance.Query", "Payroll.Query",
        "ProjectTraining.Query", "Worker.Query", "WorkerCredential.Query", "CorpBadRecord.Query",
        "CorpGoodRecord.Query", "CorpBlackList.Query", "WorkerBadRecord.Query", "WorkerGoodRecord.Query",
        "WorkerBlackList.Query",
    ]

    func call(_ method: String, data: [String: NationalJSON], caller: NationalCaller) async throws -> NationalJSON {
        let page = try NationalMethods.page(data)
        let rows: [Row]
        switch method {
        case "Corp.Query": rows = try await corps(data, caller: caller)
        case "CorpCredential.Query": rows = try await credentials(data, caller: caller)
        case "ProjectSubContractor.Query": rows = try await units(data, caller: caller)
        case "Team.Query": rows = try await teams(data, caller: caller)
        case "ProjectWorker.Query": rows = try await workers(data, caller: caller)
        case "WorkerEntryExit.Query": rows = try await entries(data, caller: caller)
        case "WorkerContract.Query": rows = try await contracts(data, caller: caller)
        case "WorkerAttendance.Query": rows = try await swipes(data, caller: caller)
        case "Payroll.Query": rows = try await payrolls(data, caller: caller)
        case "ProjectTraining.Query": rows = try await trainings(data, caller: caller)
        case "Worker.Query": rows = try await worker(data, caller: caller)
        // Certificates and good records have no subsystem yet: none is on record.
        case "WorkerCredential.Query", "CorpGoodRecord.Query", "WorkerGoodRecord.Query": rows = []
        case "CorpBadRecord.Query": rows = try await corpRestrictions(data, blacklist: false)
        case "CorpBlackList.Query": rows = try await corpRestrictions(data, blacklist: true)
        case "WorkerBadRecord.Query": rows = try await workerRestrictions(data, caller: caller, blacklist: false)
        case "WorkerBlackList.Query": rows = try await workerRestrictions(data, caller: caller, blacklist: true)
        default: throw Refusal(code: .otherError, message: "本平台暂未开放方法 \(method.prefix(60))")
        }
        let start = min(page.index.multipliedReportingOverflow(by: page.size).partialValue, rows.count)
        let slice = Array(rows[start..<min(start + page.size, rows.count)])
        return NationalMethods.rows(slice.map { .object($0) }, total: rows.count, page: page)
    }

    // MARK: Helpers

    /// The AES form of a sealed number, under the app's secret.
    func outgoing(_ sealed: String?, caller: NationalCaller) -> NationalJSON {
        guard let sealed, let plain = try? cipher.open(sealed) else { return .null }
        guard let secret = caller.secret else { return .string(plain) }
        guard let encrypted = try? NationalFieldCipher.encrypt(plain, secret: secret) else { return .null }
        return .string(encrypted)
    }

    /// An optional AES filter of the request, opened.
    func idFilter(_ data: [String: NationalJSON], caller: NationalCaller, name: String = "idCardNumber") throws
        -> String?
    {
        var input = NationalInput(data, secret: caller.secret)
        let number = input.decrypted(name, required: false)
        try input.throwIfAny()
        return number?.uppercased()
    }

    func teamsByID(_ projectID: UUID) async throws -> [UUID: TeamModel] {
        Dictionary(try await projects.teams.teams(of: projectID).map { ($0.uuid, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func unitsByID(_ projectID: UUID) async throws -> [UUID: ProjectUnitModel] {
        Dictionary(
            try await projects.projects.units(of: projectID).map { ($0.uuid, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func workersByID(_ ids: [UUID]) async throws -> [UUID: WorkerModel] {
        guard !ids.isEmpty else { return [:] }
        let found = try await WorkerModel.query(on: database.database()).filter(\.$id ~~ Array(Set(ids))).all()
        return Dictionary(found.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func worker(_ worker: WorkerModel?, caller: NationalCaller) -> Row {
        [
            "workerName": NationalJSON.text(worker?.name), "idCardType": .text(worker?.idCardType ?? "01"),
            "idCardNumber": outgoing(worker?.idNumberCipher, caller: caller),
        ]
    }

    static func date(_ text: String?) -> NationalJSON { .text(text) }

    static func time(_ date: Date?) -> NationalJSON {
        guard let date else { return .null }
        let stamp = NationalTimestamp.format(date)
        let chars = Array(stamp)
        guard chars.count == 14 else { return .null }
        return .string(
            "\(String(chars[0..<4]))-\(String(chars[4..<6]))-\(String(chars[6..<8])) \(String(chars[8..<10])):\(String(chars[10..<12])):\(String(chars[12..<14]))"
        )
    }

    // MARK: Enterprises

    /// `Corp.Query`: enterprises on the platform that take part in the app's project.
    func corps(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let units = try await projects.projects.units(of: caller.project.uuid)
        var codes = Set(units.map(\.creditCode))
        codes.insert(caller.project.contractorCreditCode)
        let code = data.string("corpCode")?.uppercased()
        let name = data.string("corpName")
        let enterprises = try await EnterpriseModel.query(on: database.database()).filter(\.$creditCode ~~ Array(codes))
            .sort(\.$creditCode).all()
        return
            enterprises
            .filter { enterprise in code.map { $0.isEmpty || enterprise.creditCode == $0 } ?? true }
            .filter { enterprise in name.map { $0.isEmpty || enterprise.name.contains($0) } ?? true }
            .map {
                [
                    "corpCode": .string($0.creditCode), "corpName": .string($0.name),
                    "corpType": .text($0.registrationType), "areaCode": .string($0.divisionCode),
                    "address": .text($0.address), "legalMan": .text($0.legalRepName),
                    "linkMan": .text($0.contactName), "linkPhone": .text($0.contactPhone),
                ]
            }
    }

    /// `CorpCredential.Query`: qualifications filed at the enterprise's real-name verification.
    func credentials(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let enterprises = try await corps(data, caller: caller)
        let codes = enterprises.compactMap { $0["corpCode"] }.compactMap { value -> String? in
            if case .string(let text) = value { return text }
            return nil
        }
        guard !codes.isEmpty else { return [] }
        let db = database.database()
        let models = try await EnterpriseModel.query(on: db).filter(\.$creditCode ~~ codes).all()
        let byID = Dictionary(models.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        let qualifications = try await EnterpriseQualificationModel.query(on: db)
            .filter(\.$enterprise.$id ~~ models.map(\.uuid)).all()
        return qualifications.map { item in
            let enterprise = byID[item.$enterprise.id]
            return [
                "corpCode": .text(enterprise?.creditCode), "corpName": .text(enterprise?.name),
                "certificateType": .string(item.category), "grade": .string(item.grade),
                "certificateNumber": .string(item.certificateNumber), "validDate": .string(item.validUntil),
            ]
        }
    }

    // MARK: Project records

    /// `ProjectSubContractor.Query`.
    func units(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let code = data.string("corpCode")?.uppercased() ?? ""
        return try await projects.projects.units(of: caller.project.uuid)
            .filter { code.isEmpty || $0.creditCode == code }
            .map {
                [
                    "projectCode": .string(caller.project.code), "corpCode": .string($0.creditCode),
                    "corpName": .string($0.name), "corpType": .string($0.participationType),
                    "entryTime": .text($0.entryDate.map { "\($0) 00:00:00" }),
                    "exitTime": .text($0.exitDate.map { "\($0) 00:00:00" }), "pmName": .text($0.pmName),
                    "pmPhone": .text($0.pmPhone),
                ]
            }
    }

    /// `Team.Query`.
    func teams(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let sysNo = data.integer("teamSysNo")
        let code = data.string("corpCode")?.uppercased() ?? ""
        let units = try await unitsByID(caller.project.uuid)
        return try await projects.teams.teams(of: caller.project.uuid)
            .filter { sysNo == nil || $0.sysNo == sysNo }
            .filter { code.isEmpty || $0.unitID.flatMap { units[$0]?.creditCode } == code }
            .map { team in
                let unit = team.unitID.flatMap { units[$0] }
                return [
                    "projectCode": .string(caller.project.code), "teamSysNo": .int(team.sysNo),
                    "teamName": .string(team.name), "corpCode": .text(unit?.creditCode), "corpName": .text(unit?.name),
                    "responsiblePersonName": .text(team.leaderName), "responsiblePersonPhone": .text(team.leaderPhone),
                    "remark": .text(team.remark), "entryTime": Self.date(team.entryDate),
                    "exitTime": Self.date(team.exitDate), "isManagerTeam": .int(0),
                ]
            }
    }

    /// `ProjectWorker.Query`: every worker registered or entered, with the latest entry.
    func workers(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let number = try idFilter(data, caller: caller)
        let sysNo = data.integer("teamSysNo")
        let db = database.database()
        let projectID = caller.project.uuid
        let entries = try await projects.workforce.workers(of: projectID)
        let registrations = try await WorkerRegistrationModel.query(on: db).filter(\.$projectID == projectID).all()
        let teams = try await teamsByID(projectID)
        let units = try await unitsByID(projectID)
        let people = try await workersByID(entries.map(\.workerID) + registrations.map(\.workerID))
        // The latest entry per worker (entries come newest first), then those only registered.
        var latest: [UUID: ProjectWorkerModel] = [:]
        for entry in entries where latest[entry.workerID] == nil { latest[entry.workerID] = entry }
        var rows: [Row] = []
        var seen = Set<UUID>()
        let wanted = number.map { cipher.lookupHash($0) }
        for registration in registrations { seen.insert(registration.workerID) }
        let ordered =
            registrations.map { ($0.workerID, $0.teamID, $0.unitID, $0.workType, $0.workRole, $0.isTeamLeader) }
            + latest.values.filter { !seen.contains($0.workerID) }.map {
                ($0.workerID, $0.teamID, $0.unitID, $0.workType, $0.workRole, $0.isTeamLeader)
            }
        for (workerID, teamID, unitID, workType, workRole, leader) in ordered {
            let person = people[workerID]
            if let wanted, person?.idNumberHMAC != wanted { continue }
            let entry = latest[workerID]
            let team = teams[entry?.teamID ?? teamID]
            if let sysNo, team?.sysNo != sysNo { continue }
            var row = worker(person, caller: caller)
            row["projectCode"] = .string(caller.project.code)
            row["corpCode"] = .text(units[entry?.unitID ?? unitID]?.creditCode)
            row["corpName"] = .text(units[entry?.unitID ?? unitID]?.name)
            row["teamSysNo"] = team.map { .int($0.sysNo) } ?? .null
            row["teamName"] = .text(team?.name)
            row["workType"] = .string(entry?.workType ?? workType)
            row["workRole"] = .string(entry?.workRole ?? workRole)
            row["isTeamLeader"] = .int((entry?.isTeamLeader ?? leader) ? 1 : 0)
            row["entryTime"] = Self.date(entry?.entryDate)
            row["exitTime"] = Self.date(entry?.exitDate)
            row["gender"] = .text(person?.gender)
            row["birthday"] = .text(person?.birthDate)
            row["nation"] = .text(person?.nation.flatMap { CodeTable.nations.name(of: $0) })
            row["cardNumber"] = .text(entry?.cardNumber)
            rows.append(row)
        }
        return rows
    }

    /// `WorkerEntryExit.Query`: the ledger's worker lines, newest first.
    func entries(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let number = try idFilter(data, caller: caller)
        let records = try await EntryExitRecordModel.query(on: database.database())
            .filter(\.$projectID == caller.project.uuid).filter(\.$subject == "worker")
            .sort(\.$date, .descending).all()
        let people = try await workersByID(records.compactMap(\.workerID))
        let teams = try await teamsByID(caller.project.uuid)
        let wanted = number.map { cipher.lookupHash($0) }
        return records.compactMap { record in
            let person = record.workerID.flatMap { people[$0] }
            if let wanted, person?.idNumberHMAC != wanted { return nil }
            var row = worker(person, caller: caller)
            row["projectCode"] = .string(caller.project.code)
            row["teamSysNo"] = record.teamID.flatMap { teams[$0] }.map { .int($0.sysNo) } ?? .null
            row["date"] = .string(record.date)
            row["type"] = .int(record.type)
            return row
        }
    }

    /// `WorkerContract.Query`.
    func contracts(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let number = try idFilter(data, caller: caller)
        let contracts = try await projects.workforce.contracts(of: caller.project.uuid)
        let people = try await workersByID(contracts.map(\.workerID))
        let units = try await unitsByID(caller.project.uuid)
        let wanted = number.map { cipher.lookupHash($0) }
        return contracts.compactMap { contract in
            let person = people[contract.workerID]
            if let wanted, person?.idNumberHMAC != wanted { return nil }
            var row = worker(person, caller: caller)
            row["projectCode"] = .string(caller.project.code)
            row["corpCode"] = .text(units[contract.unitID]?.creditCode)
            row["corpName"] = .text(units[contract.unitID]?.name)
            row["contractPeriodType"] = .string(contract.periodType)
            row["startDate"] = .string(contract.startsOn)
            row["endDate"] = .text(contract.endsOn)
            row["unit"] = .text(contract.pieceUnit)
            row["unitPrice"] = contract.wageBasis == "piece" ? .double(Double(contract.rateFen) / 100) : .null
            row["wageBasis"] = .string(contract.wageBasis)
            row["wageRate"] = .double(Double(contract.rateFen) / 100)
            row["hasAttachment"] = .int(contract.fileCipher == nil ? 0 : 1)
            return row
        }
    }

    /// `WorkerAttendance.Query`: one day's swipes (`date` required). A phone punch is reported
    /// with 通行方式 011 其他方式 and channel 手机定位考勤 (c.18 has no code of its own for it).
    func swipes(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        var input = NationalInput(data, secret: caller.secret)
        let day = input.date("date", required: true)
        try input.throwIfAny()
        guard let day else { return [] }
        let number = try idFilter(data, caller: caller)
        let sysNo = data.integer("teamSysNo")
        let punches = try await attendance.punches(project: caller.project.uuid, from: day, to: day)
        let people = try await workersByID(punches.map(\.workerID))
        let teams = try await teamsByID(caller.project.uuid)
        let devices = Dictionary(
            try await attendance.devices(of: caller.project.uuid).map { ($0.uuid, $0) },
            uniquingKeysWith: { first, _ in first })
        let wanted = number.map { cipher.lookupHash($0) }
        return punches.sorted { $0.punchedAt < $1.punchedAt }.compactMap { punch in
            let person = people[punch.workerID]
            if let wanted, person?.idNumberHMAC != wanted { return nil }
            guard let team = teams[punch.teamID], sysNo == nil || team.sysNo == sysNo else { return nil }
            var row = worker(person, caller: caller)
            row["projectCode"] = .string(caller.project.code)
            row["teamSysNo"] = .int(team.sysNo)
            row["teamName"] = .string(team.name)
            row["date"] = Self.time(punch.punchedAt)
            row["direction"] = .string(punch.direction == "in" ? "01" : "02")
            let device = punch.deviceID.flatMap { devices[$0] }
            switch punch.source {
            case "phone":
                row["attendType"] = .string("011")
                row["channel"] = .string("手机定位考勤")
                row["lat"] = punch.latitude.map { .double($0) } ?? .null
                row["lng"] = punch.longitude.map { .double($0) } ?? .null
            case "manual":
                row["attendType"] = .string("011")
                row["channel"] = .string("补录")
            default:
                row["attendType"] = .text(punch.passageMethod)
                row["channel"] = .text(device?.name)
                row["deviceSerialNo"] = .text(device?.code)
            }
            row["status"] = .string(punch.status)
            return row
        }
    }

    /// `Payroll.Query`: the project's payrolls (optionally of one month or team) with their lines.
    func payrolls(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let month = data.string("payMonth") ?? ""
        let sysNo = data.integer("teamSysNo")
        let payrolls = try await wages.payrolls.payrolls(of: caller.project.uuid, standing: .contractor)
        let teams = try await teamsByID(caller.project.uuid)
        let units = try await unitsByID(caller.project.uuid)
        let chosen = payrolls.filter { month.isEmpty || $0.payMonth == month }
            .filter { sysNo == nil || $0.teamID.flatMap { teams[$0]?.sysNo } == sysNo }
        let lines = try await PayrollLineModel.query(on: database.database())
            .filter(\.$payrollID ~~ chosen.map(\.uuid)).all()
        let people = try await workersByID(lines.map(\.workerID))
        let byPayroll = Dictionary(grouping: lines, by: \.payrollID)
        return chosen.map { payroll in
            let details: [NationalJSON] = (byPayroll[payroll.uuid] ?? []).map { line in
                var row = worker(people[line.workerID], caller: caller)
                row["days"] = .double(line.manDays)
                row["workHours"] = line.workHours.map { .double($0) } ?? .null
                row["totalPayAmount"] = .double(Double(line.dueFen) / 100)
                row["actualAmount"] = .double(Double(line.paidFen) / 100)
                row["isBackPay"] = .int(line.isBackPay ? 1 : 0)
                row["backPayMonth"] = .text(line.backPayMonth)
                row["balanceDate"] = .text(line.paidOn)
                row["status"] = .string(line.status)
                return .object(row)
            }
            let team = payroll.teamID.flatMap { teams[$0] }
            return [
                "projectCode": .string(caller.project.code), "payrollCode": .string(payroll.code),
                "payMonth": .string(payroll.payMonth), "corpCode": .text(units[payroll.unitID]?.creditCode),
                "corpName": .text(units[payroll.unitID]?.name), "teamSysNo": team.map { .int($0.sysNo) } ?? .null,
                "status": .string(payroll.status), "detailList": .array(details),
            ]
        }
    }

    /// `ProjectTraining.Query`.
    func trainings(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        let sessions = try await projects.workforce.trainings(of: caller.project.uuid)
        let attendees = try await TrainingAttendeeModel.query(on: database.database())
            .filter(\.$trainingID ~~ sessions.map { $0.0.uuid }).all()
        let people = try await workersByID(attendees.map(\.workerID))
        let byTraining = Dictionary(grouping: attendees, by: \.trainingID)
        return sessions.map { session, _ in
            let workers: [NationalJSON] = (byTraining[session.uuid] ?? []).map { attendee in
                var row = worker(people[attendee.workerID], caller: caller)
                row["isPass"] = .int(attendee.passed == false ? 0 : 1)
                row["trainingScore"] = attendee.score.map { .double($0) } ?? .null
                return .object(row)
            }
            return [
                "projectCode": .string(caller.project.code), "trainingName": .string(session.name),
                "trainingTypeCode": .string(session.typeCode), "trainingDate": .string(session.heldOn),
                "trainingDuration": .double(session.durationHours), "trainer": .string(session.trainer),
                "trainingOrg": .text(session.organisation), "trainingAddress": .text(session.address),
                "description": .text(session.description), "workers": .array(workers),
            ]
        }
    }

    // MARK: Workers and credit

    /// `Worker.Query`: one verified worker by ID number; the basic facts of the ID card.
    func worker(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> [Row] {
        var input = NationalInput(data, secret: caller.secret)
        let number = input.decrypted("idCardNumber", required: true)
        try input.throwIfAny()
        guard let number,
            let found = try await WorkerModel.query(on: database.database())
                .filter(\.$idNumberHMAC == cipher.lookupHash(number.uppercased())).first(),
            found.verificationCode != nil
        else { return [] }
        var row = worker(found, caller: caller)
        row["gender"] = .text(found.gender)
        row["birthday"] = .text(found.birthDate)
        row["nation"] = .text(found.nation.flatMap { CodeTable.nations.name(of: $0) })
        row["grantOrg"] = .text(found.issuingAuthority)
        row["startDate"] = .text(found.idValidFrom)
        row["expiryDate"] = .text(found.idValidUntil)
        row["isVerified"] = .int(1)
        return [row]
    }

    /// Enterprise restrictions in force: the blacklist, or every other kind as bad records.
    func corpRestrictions(_ data: [String: NationalJSON], blacklist: Bool) async throws -> [Row] {
        let code = data.string("corpCode")?.uppercased() ?? ""
        let name = data.string("corpName") ?? ""
        let today = ProjectService.today().description
        var query = RestrictionModel.query(on: database.database()).filter(\.$subjectKind == "enterprise")
            .filter(\.$liftedAt == nil)
        query = blacklist ? query.filter(\.$kind == "blacklist") : query.filter(\.$kind != "blacklist")
        if !code.isEmpty { query = query.filter(\.$subjectKey == code) }
        return try await query.sort(\.$createdAt, .descending).all()
            .filter { ($0.endsOn ?? "9999-12-31") >= today }
            .filter { name.isEmpty || $0.subjectLabel.contains(name) }
            .map(Self.restriction)
    }

    /// Worker restrictions in force for one ID number (`idCardNumber` required: a person's
    /// records are not listed wholesale).
    func workerRestrictions(_ data: [String: NationalJSON], caller: NationalCaller, blacklist: Bool) async throws
        -> [Row]
    {
        var input = NationalInput(data, secret: caller.secret)
        let number = input.decrypted("idCardNumber", required: true)
        try input.throwIfAny()
        guard let number else { return [] }
        let today = ProjectService.today().description
        var query = RestrictionModel.query(on: database.database()).filter(\.$subjectKind == "worker")
            .filter(\.$subjectKey == cipher.lookupHash(number.uppercased())).filter(\.$liftedAt == nil)
        query = blacklist ? query.filter(\.$kind == "blacklist") : query.filter(\.$kind != "blacklist")
        return try await query.sort(\.$createdAt, .descending).all()
            .filter { ($0.endsOn ?? "9999-12-31") >= today }
            .map {
                var row = Self.restriction($0)
                row["idCardNumber"] = data["idCardNumber"] ?? .null
                return row
            }
    }

    static func restriction(_ model: RestrictionModel) -> Row {
        let kind = RestrictionService.Kind(rawValue: model.kind) ?? .other
        return [
            "name": .string(model.subjectLabel),
            "corpCode": model.subjectKind == "enterprise" ? .string(model.subjectKey) : .null,
            "recordType": .string(kind.chineseName), "reason": .string(model.reason),
            "areaCode": .string(model.divisionCode), "startDate": Self.time(model.createdAt),
            "endDate": .text(model.endsOn),
        ]
    }
}
