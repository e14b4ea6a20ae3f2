import Crypto
import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Labour contracts, project training sessions and the workers on a project with their entry and
/// exit (G2, E2; 建市〔2019〕18号 R2: contract, basic safety training and real-name registration
/// before anyone works on site).
struct WorkforceService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let projects: ProjectService
    let restrictions: RestrictionService
    let cipher: FieldCipher
    let contractFileMaxBytes: Int
    let safetyTrainingValidityDays: Int
    let audit = AuditTrail()

    /// Training types that count as basic safety training for entry (c.21: 安全教育, 入场教育).
    static let safetyTrainingTypes = ["003001", "003002"]

    // MARK: Contracts

    struct ContractInput: Sendable {
        var unitID = ""
        var workerCode = ""
        var periodType = ""
        var startsOn = ""
        var endsOn = ""
        var wageBasis = ""
        var rate = ""
        var pieceUnit = ""
        var signedOn = ""
        var file: UploadedFile?
    }

    /// A contract scan: PDF, JPEG or PNG, recognised by its first bytes, not by its name.
    func signContract(_ input: ContractInput, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> LabourContractModel
    {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        var problems = FieldProblems()
        let period = problems.code(input.periodType, in: .contractPeriodTypes, "合同期限类型")
        let start = problems.date(input.startsOn, "合同开始日期", required: true)
        let end = problems.date(input.endsOn, "合同结束日期", required: period == "0")
        if let start, let end, end < start { problems.add("合同结束日期不能早于开始日期") }
        let basis = problems.code(input.wageBasis, in: .wageBases, "计薪方式")
        let rate = problems.money(input.rate, "工资标准", required: true)
        if let rate, rate == 0 { problems.add("工资标准应大于 0") }
        let pieceUnit = basis == "piece" ? problems.code(input.pieceUnit, in: .pieceUnits, "计量单位") : nil
        let signed = problems.date(input.signedOn, "签订日期", required: true)
        if let signed, signed > ProjectService.today() { problems.add("签订日期不能晚于今天") }
        var scan: SealedDocument?
        if let file = input.file, !file.data.isEmpty {
            switch try SealedDocument.seal(file, maxBytes: contractFileMaxBytes, cipher: cipher) {
            case .success(let sealed): scan = sealed
            case .failure(let problem): problems.add(problem.message("合同文件"))
            }
        }
        try problems.throwIfAny("CONTRACT_INVALID")
        guard let period, let start, let basis, let rate, let signed else {
            throw FieldProblems.incomplete("CONTRACT_INVALID")
        }
        let db = database.database()
        guard let unitID = UUID(uuidString: input.unitID), let unit = try await ProjectUnitModel.find(unitID, on: db),
            unit.projectID == projectID
        else { throw AppError.badRequest("CONTRACT_INVALID", "请选择用工单位") }
        try standing.requireUnit(unitID)
        let worker = try await projects.verifiedWorker(code: input.workerCode)
        let contract = LabourContractModel()
        contract.id = UUID()
        contract.projectID = projectID
        contract.unitID = unitID
        contract.enterpriseID = unit.enterpriseID
        contract.workerID = worker.uuid
        contract.periodType = period
        contract.startsOn = start.description
        contract.endsOn = end?.description
        contract.wageBasis = basis
        contract.rateFen = rate
        contract.pieceUnit = pieceUnit
        contract.signedOn = signed.description
        if let scan {
            contract.fileName = scan.name
            contract.fileType = scan.type
            contract.fileSize = scan.size
            contract.fileSHA256 = scan.sha256
            contract.fileCipher = scan.sealed
        }
        contract.createdBy = account.id
        contract.createdAt = ServerClock.now()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            try await contract.create(on: tx)
            return (
                contract,
                AuditDraft(
                    "contract.signed", on: project, by: account, entity: "labour_contract", id: contract.uuid,
                    summary: "\(project.name)：\(unit.name) 与 \(worker.name) 签订劳动合同（\(contract.startsOn) 起）",
                    change: [
                        "worker": worker.uuid.uuidString, "basis": contract.wageBasis, "rate": String(contract.rateFen),
                        "file": contract.fileSHA256 ?? "",
                    ])
            )
        }
    }

    func contracts(of projectID: UUID) async throws -> [LabourContractModel] {
        try await LabourContractModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$createdAt, .descending).all()
    }

    /// The scan of a contract, opened for a viewer within reach; the opening is audited.
    func contractFile(_ contractID: UUID, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> SealedDocument.Opened
    {
        guard let (project, _) = try await reach.project(projectID, in: scope),
            let contract = try await LabourContractModel.find(contractID, on: database.database()),
            contract.projectID == projectID
        else { throw AppError.notFound }
        if case .worker(let own, _) = scope, own != contract.workerID { throw AppError.notFound }
        return try await SealedDocument.open(
            sealed: contract.fileCipher, type: contract.fileType, name: contract.fileName, defaultName: "contract",
            cipher: cipher,
            audit: AuditDraft(
                "contract.file-viewed", on: project, by: account, entity: "labour_contract", id: contractID,
                summary: "查看劳动合同文件：\(project.name)", change: ["contract": contractID.uuidString]),
            by: account, on: database.database())
    }

    // MARK: Training

    struct TrainingInput: Sendable {
        var name = ""
        var typeCode = ""
        var heldOn = ""
        var hours = ""
        var trainer = ""
        var description = ""
        var workerIDs: [UUID] = []
        var workerCodes: [String] = []
        var organisation = ""
        var address = ""
        /// Each attendee's pass and score, when known (a national upload); others count as passed.
        var results: [UUID: AttendeeResult] = [:]
    }

    struct AttendeeResult: Sendable {
        var passed: Bool
        var score: Double?
    }

    func registerTraining(
        _ input: TrainingInput, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws -> TrainingModel {
        let (project, _) = try await reach.projectForChange(projectID, in: scope)
        var problems = FieldProblems()
        let name = problems.required(input.name, "培训名称")
        let type = problems.code(input.typeCode, in: .trainingTypes, "培训类型")
        let held = problems.date(input.heldOn, "培训日期", required: true)
        if let held, held > ProjectService.today() { problems.add("培训日期不能晚于今天") }
        let hours = problems.decimal(input.hours, "培训时长（小时）", in: 0.5...200, maxFractionDigits: 1, required: true)
        let trainer = problems.required(input.trainer, "培训人", max: 50)
        let description = problems.optional(input.description, "培训内容", max: 1000)
        let organisation = problems.optional(input.organisation, "培训机构", max: 200)
        let address = problems.optional(input.address, "培训地点", max: 200)
        try problems.throwIfAny("TRAINING_INVALID")
        guard let type, let held, let hours else { throw FieldProblems.incomplete("TRAINING_INVALID") }
        var attendees = Set(input.workerIDs).union(input.results.keys)
        for code in input.workerCodes where !code.trimmingCharacters(in: .whitespaces).isEmpty {
            attendees.insert(try await projects.verifiedWorker(code: code).uuid)
        }
        let db = database.database()
        let verified = try await WorkerModel.query(on: db).filter(\.$id ~~ Array(attendees))
            .filter(\.$verificationCode != nil).all(\.$id)
        guard !verified.isEmpty else {
            throw AppError(.unprocessableContent, code: "TRAINING_NO_ATTENDEES", message: "请至少选择一名参加培训的已核验工人")
        }
        let training = TrainingModel()
        training.id = UUID()
        training.projectID = projectID
        training.name = name
        training.typeCode = type
        training.heldOn = held.description
        training.durationHours = hours
        training.trainer = trainer
        training.description = description
        training.organisation = organisation
        training.address = address
        training.createdAt = ServerClock.now()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            try await training.create(on: tx)
            for workerID in verified.compactMap({ $0 }) {
                let attendee = TrainingAttendeeModel()
                attendee.id = UUID()
                attendee.trainingID = training.uuid
                attendee.workerID = workerID
                attendee.passed = input.results[workerID]?.passed
                attendee.score = input.results[workerID]?.score
                try await attendee.create(on: tx)
            }
            return (
                training,
                AuditDraft(
                    "training.registered", on: project, by: account, entity: "training", id: training.uuid,
                    summary:
                        "\(project.name)：登记\(CodeTable.trainingTypes.name(of: training.typeCode) ?? "培训")“\(name)”，\(verified.count) 人参加",
                    change: ["type": training.typeCode, "date": training.heldOn, "attendees": String(verified.count)])
            )
        }
    }

    func trainings(of projectID: UUID) async throws -> [(TrainingModel, Int)] {
        let db = database.database()
        let sessions = try await TrainingModel.query(on: db).filter(\.$projectID == projectID)
            .sort(\.$heldOn, .descending).all()
        let attendees = try await TrainingAttendeeModel.query(on: db).filter(\.$trainingID ~~ sessions.map { $0.uuid })
            .all()
        let counts = Dictionary(grouping: attendees, by: \.trainingID).mapValues(\.count)
        return sessions.map { ($0, counts[$0.uuid] ?? 0) }
    }

    // MARK: Entry and exit

    struct EntryInput: Sendable {
        var teamID = ""
        var workerCode = ""
        var workerID: UUID?
        var workType = ""
        var workRole = "20"
        var isTeamLeader = false
        var entryDate = ""
        var cardNumber = ""
        var hasInsurance = false
    }

    /// The facts that decide whether `worker` may enter `project` for `unitID` on `date`.
    func entryFacts(
        worker: WorkerModel, projectID: UUID, unitID: UUID, team: TeamModel, date: LocalDate?,
        on db: any Database
    ) async throws -> SiteEntryFacts {
        let today = ProjectService.today()
        let onDate = date ?? today
        let restricted = try await restrictions.activeForWorker(hmac: worker.idNumberHMAC, today: today.description)
            .contains { $0.kind == .blacklist }
        let contracts = try await LabourContractModel.query(on: db).filter(\.$projectID == projectID)
            .filter(\.$unitID == unitID).filter(\.$workerID == worker.uuid).all()
        let hasContract = contracts.contains { contract in
            guard let start = LocalDate(contract.startsOn) else { return false }
            return SiteEntryRules.contract(from: start, to: contract.endsOn.flatMap(LocalDate.init), covers: onDate)
        }
        // A worker who attended but did not pass (a national upload's isPass 0) is not trained.
        let attended = try await TrainingAttendeeModel.query(on: db).filter(\.$workerID == worker.uuid)
            .group(.or) { $0.filter(\.$passed == nil).filter(\.$passed == true) }.all(\.$trainingID)
        // An entry date too early for the window to fit the calendar counts every training.
        let earliest = (onDate.adding(days: -safetyTrainingValidityDays) ?? LocalDate.earliest).description
        let trainings =
            attended.isEmpty
            ? 0
            : try await TrainingModel.query(on: db).filter(\.$id ~~ attended)
                .filter(\.$typeCode ~~ Self.safetyTrainingTypes).filter(\.$heldOn >= earliest)
                .filter(\.$heldOn <= onDate.description).count()
        let records = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
            .filter(\.$workerID == worker.uuid).all()
        let last = records.flatMap { [$0.entryDate, $0.exitDate].compactMap { $0 } }.max().flatMap(LocalDate.init)
        let unit = try await ProjectUnitModel.find(unitID, on: db)
        return SiteEntryFacts(
            isVerified: worker.verificationCode != nil, isRestricted: restricted, hasValidContract: hasContract,
            hasSafetyTraining: trainings > 0, hasActiveEntry: records.contains(where: \.isActive),
            unitHasExited: unit?.exitDate != nil, teamHasExited: team.exitDate != nil, lastRecordDate: last)
    }

    /// A worker joins a project in a team: refused with every reason unless R2 and the date rules
    /// hold. Returns the new project worker.
    func enter(_ input: EntryInput, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> ProjectWorkerModel
    {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let teamID = UUID(uuidString: input.teamID), let team = try await TeamModel.find(teamID, on: db),
            team.projectID == projectID, let unitID = team.unitID
        else { throw AppError.badRequest("ENTRY_INVALID", "请选择班组") }
        try standing.requireUnit(unitID)
        var problems = FieldProblems()
        let workType = input.workType.trimmingCharacters(in: .whitespaces)
        if !CodeTable.isAcceptableWorkType(workType) { problems.add("请选择工种") }
        let role = problems.code(input.workRole, in: .workRoles, "工人类型")
        let card = problems.optional(input.cardNumber, "考勤卡号", max: 30)
        let date = problems.date(input.entryDate, "进场日期", required: true)
        try problems.throwIfAny("ENTRY_INVALID")
        guard let role, let date else { throw AppError.badRequest("ENTRY_INVALID", "请填写工人类型和进场日期") }
        let worker: WorkerModel
        if let id = input.workerID, let found = try await WorkerModel.find(id, on: db) {
            worker = found
        } else {
            worker = try await projects.verifiedWorker(code: input.workerCode)
        }
        let facts = try await entryFacts(
            worker: worker, projectID: projectID, unitID: unitID, team: team, date: date, on: db)
        let refusals = SiteEntryRules.refusals(facts, date: date, today: ProjectService.today())
        if let first = refusals.first {
            throw AppError(
                .unprocessableContent, code: first.code,
                message: "\(worker.name) 不能进场：" + refusals.map(\.message).joined(separator: "；"))
        }
        let entry = Self.newEntry(
            input, project: projectID, unitID: unitID, teamID: teamID, worker: worker, workType: workType, role: role,
            card: card, date: date)
        do {
            return try await audit.write(on: db, actor: account.auditActor) { tx in
                let draft = try await Self.insert(
                    entry, worker: worker, team: team, project: project, account: account, on: tx)
                return (entry, draft)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two requests raced past the check: the unique active slot refused the second.
            throw AppError(
                .conflict, code: SiteEntryRefusal.alreadyOnSite.code, message: SiteEntryRefusal.alreadyOnSite.message)
        }
    }

    static func newEntry(
        _ input: EntryInput, project projectID: UUID, unitID: UUID, teamID: UUID, worker: WorkerModel,
        workType: String, role: String, card: String?, date: LocalDate
    ) -> ProjectWorkerModel {
        let entry = ProjectWorkerModel()
        entry.id = UUID()
        entry.projectID = projectID
        entry.unitID = unitID
        entry.teamID = teamID
        entry.workerID = worker.uuid
        entry.workType = workType
        entry.workRole = role
        entry.isTeamLeader = input.isTeamLeader
        entry.status = "active"
        entry.entryDate = date.description
        entry.cardNumber = card
        entry.hasInsurance = input.hasInsurance
        entry.activeSlot = ProjectWorkerModel.activeSlot
        entry.createdAt = ServerClock.now()
        return entry
    }

    /// Writes an entry and its ledger line inside the caller's audited transaction.
    static func insert(
        _ entry: ProjectWorkerModel, worker: WorkerModel, team: TeamModel, project: ProjectModel,
        account: AccountSnapshot, on tx: any Database
    ) async throws -> AuditDraft {
        try await entry.create(on: tx)
        try await EntryExitRecordModel(
            projectID: entry.projectID, subject: "worker", unitID: entry.unitID, teamID: entry.teamID,
            workerID: worker.id, entry: true, date: entry.entryDate, reason: nil, recordedBy: account.displayName
        ).create(on: tx)
        return AuditDraft(
            "worker.entered", on: project, by: account, entity: "project_worker", id: entry.uuid,
            summary:
                "\(project.name)：\(worker.name) 进场（\(team.name)，\(CodeTable.workTypes.name(of: entry.workType) ?? entry.workType)，\(entry.entryDate)）",
            change: ["worker": worker.uuid.uuidString, "team": team.uuid.uuidString, "date": entry.entryDate])
    }

    /// A worker leaves the project on `date` (not in the future, not before the entry).
    func exit(
        _ projectWorkerID: UUID, date text: String, reason: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let entry = try await ProjectWorkerModel.find(projectWorkerID, on: db), entry.projectID == projectID
        else { throw AppError.notFound }
        try standing.requireUnit(entry.unitID)
        guard entry.isActive else { throw AppError(.conflict, code: "WORKER_ALREADY_EXITED", message: "该工人已退场") }
        var problems = FieldProblems()
        let typed = problems.date(text, "退场日期", required: true)
        try problems.throwIfAny("EXIT_INVALID")
        let refusals = SiteEntryRules.dateRefusals(
            typed, today: ProjectService.today(), lastRecord: LocalDate(entry.entryDate))
        if let first = refusals.first {
            throw AppError(
                .unprocessableContent, code: first.code, message: refusals.map(\.message).joined(separator: "；"))
        }
        guard let date = typed else { throw FieldProblems.incomplete("EXIT_INVALID") }
        let worker = try await WorkerModel.find(entry.workerID, on: db)
        let note = String(reason.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        try await audit.write(on: db, actor: account.auditActor) { tx in
            entry.markExited(on: date.description)
            try await entry.update(on: tx)
            try await EntryExitRecordModel(
                projectID: projectID, subject: "worker", unitID: entry.unitID, teamID: entry.teamID,
                workerID: entry.workerID, entry: false, date: date.description, reason: note.isEmpty ? nil : note,
                recordedBy: account.displayName
            ).create(on: tx)
            return (
                (),
                AuditDraft(
                    "worker.exited", on: project, by: account, entity: "project_worker", id: projectWorkerID,
                    summary: "\(project.name)：\(worker?.name ?? "") 退场（\(date.description)）",
                    change: ["entry": projectWorkerID.uuidString, "date": date.description])
            )
        }
    }

    func workers(of projectID: UUID, activeOnly: Bool = false) async throws -> [ProjectWorkerModel] {
        var query = ProjectWorkerModel.query(on: database.database()).filter(\.$projectID == projectID)
        if activeOnly { query = query.filter(\.$status == "active") }
        // Entered the same day: newest record first, the same order on every reading.
        return try await query.sort(\.$entryDate, .descending).sort(\.$createdAt, .descending).all()
    }
}

/// A file from a multipart form.
struct UploadedFile: Sendable {
    var fileName: String
    var contentType: String
    var data: Data
}
