import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Projects (G2, E2): registration with the national fields, the attendance geofence, the
/// participating units with their entry and exit, and manager appointments.
struct ProjectService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let divisions: DivisionCatalog
    let restrictions: RestrictionService
    let unitExitPolicy: UnitExitPolicy
    let defaultPayDay: Int
    let audit = AuditTrail()

    static func today() -> LocalDate { LocalDate.today(in: ChineseFormat.timeZone) }

    // MARK: Reading

    /// The names of the projects with these ids (for lists that show other subsystems' rows;
    /// reach is the caller's list's own).
    func names(of ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let found = try await ProjectModel.query(on: database.database()).filter(\.$id ~~ ids).all()
        return Dictionary(found.compactMap { project in project.id.map { ($0, project.name) } }) { first, _ in first }
    }

    /// Projects within reach, newest first, optionally searched by name or code.
    func list(in scope: AccessScope, search: String = "", limit: Int = 300) async throws -> [ProjectModel] {
        var query = ProjectModel.query(on: database.database())
        if case .division(let division) = scope {
            query = query.filter(\.$divisionCode =~ division.scopePrefix)
        } else {
            let ids = try await reach.projectIDs(for: scope) ?? []
            if ids.isEmpty { return [] }
            query = query.filter(\.$id ~~ ids)
        }
        let needle = String(search.trimmingCharacters(in: .whitespaces).prefix(40))
        if !needle.isEmpty {
            query = query.group(.or) {
                $0.filter(\.$name ~~ needle)
                $0.filter(\.$code == needle)
            }
        }
        return try await query.sort(\.$createdAt, .descending).limit(limit).all()
    }

    /// Which of `projects` have a labour officer (劳资专管员) appointed today (W9).
    func projectsWithLabourOfficer(_ projects: [UUID]) async throws -> Set<UUID> {
        guard !projects.isEmpty else { return [] }
        let today = Self.today().description
        let rows = try await ProjectManagerModel.query(on: database.database()).filter(\.$projectID ~~ projects)
            .filter(\.$role == "labour").all()
        return Set(rows.filter { $0.startsOn <= today && ($0.endsOn ?? "9999-12-31") >= today }.map(\.projectID))
    }

    func units(of projectID: UUID) async throws -> [ProjectUnitModel] {
        try await ProjectUnitModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$createdAt).all()
    }

    func managers(of projectID: UUID) async throws -> [ProjectManagerModel] {
        try await ProjectManagerModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$startsOn).all()
    }

    // MARK: Registration

    struct Registration: Sendable {
        var name = ""
        var description = ""
        var category = ""
        var status = ""
        var divisionCode = ""
        var address = ""
        var builderName = ""
        var builderCreditCode = ""
        var permitNumber = ""
        var investWan = ""
        var buildingArea = ""
        var startDate = ""
        var completionDate = ""
        var approvalNumber = ""
        var approvalLevel = ""
        var size = ""
        var nature = ""
        var function = ""
        var linkMan = ""
        var linkPhone = ""
        var contractSignedOn = ""
        var geofence = ""
    }

    /// Registers a project for the general contractor `enterprise`, which joins it as its first
    /// participating unit (009 总承包单位). Returns the new project with its code.
    func register(_ input: Registration, enterprise: EnterpriseModel, by account: AccountSnapshot) async throws
        -> ProjectModel
    {
        guard enterprise.verifiedAt != nil, enterprise.suspendedAt == nil else {
            throw AppError(.forbidden, code: "ENTERPRISE_NOT_VERIFIED", message: "企业通过实名核验且未被暂停后才能登记项目")
        }
        var problems = FieldProblems()
        let project = ProjectModel()
        project.id = UUID()
        project.name = problems.required(input.name, "项目名称")
        project.description = problems.optional(input.description, "项目简介", max: 1000)
        project.category = problems.code(input.category, in: .projectCategories, "项目分类") ?? ""
        project.status = problems.code(input.status, in: .projectStatuses, "项目状态") ?? ""
        if let division = DivisionCode(input.divisionCode.trimmingCharacters(in: .whitespaces)),
            let known = divisions.division(division), known.level != .province
        {
            project.divisionCode = division.rawValue
        } else {
            problems.add("请选择项目所在的市或区县")
        }
        project.address = problems.required(input.address, "项目地址")
        project.builderName = problems.optional(input.builderName, "建设单位名称")
        project.builderCreditCode = problems.optional(input.builderCreditCode.uppercased(), "建设单位统一社会信用代码", max: 18)
        if let code = project.builderCreditCode, !CreditCode.isValid(code) {
            problems.add("建设单位统一社会信用代码校验不通过，请核对")
        }
        project.permitNumber = problems.optional(input.permitNumber, "施工许可证号", max: 50)
        project.investFen = problems.money(input.investWan, "总投资（万元）", required: false, unit: 10_000)
        if !input.buildingArea.trimmingCharacters(in: .whitespaces).isEmpty {
            project.buildingArea = problems.decimal(input.buildingArea, "建筑面积（平方米）", in: 0...1e9)
        }
        let start = problems.date(input.startDate, "开工日期")
        let completion = problems.date(input.completionDate, "竣工日期")
        if let start, let completion, completion < start { problems.add("竣工日期不能早于开工日期") }
        project.startDate = start?.description
        project.completionDate = completion?.description
        project.approvalNumber = problems.optional(input.approvalNumber, "立项文号", max: 50)
        project.approvalLevel = problems.code(input.approvalLevel, in: .approvalLevels, "立项级别", required: false)
        project.size = problems.code(input.size, in: .projectSizes, "建设规模", required: false)
        project.nature = problems.code(input.nature, in: .constructionNatures, "建设性质", required: false)
        project.function = problems.code(input.function, in: .projectFunctions, "工程用途", required: false)
        project.linkMan = problems.optional(input.linkMan, "联系人", max: 50)
        project.linkPhone = problems.phone(input.linkPhone, "联系电话")
        let signed = problems.date(input.contractSignedOn, "施工合同签订日期")
        if let signed, signed > Self.today() { problems.add("施工合同签订日期不能晚于今天") }
        project.contractSignedOn = signed?.description
        if !input.geofence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do {
                let fence = try Geofence.parse(input.geofence)
                project.geofence = fence.text
                project.latitude = fence.centroid.latitude
                project.longitude = fence.centroid.longitude
            } catch {
                problems.add("考勤电子围栏：\(error.message)", code: error.code)
            }
        }
        try problems.throwIfAny("PROJECT_INVALID")
        project.contractorEnterpriseID = enterprise.uuid
        project.contractorCreditCode = enterprise.creditCode
        project.contractorName = enterprise.name
        project.payDay = defaultPayDay
        project.createdBy = account.id
        project.createdAt = ServerClock.now()
        let entry = start.map { min($0, Self.today()) } ?? Self.today()

        return try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            project.code = try await Self.nextCode(division: project.divisionCode, on: tx)
            try await project.create(on: tx)
            let unit = ProjectUnitModel()
            unit.id = UUID()
            unit.projectID = project.uuid
            unit.enterpriseID = enterprise.id
            unit.creditCode = enterprise.creditCode
            unit.name = enterprise.name
            unit.participationType = "009"
            unit.entryDate = entry.description
            unit.createdAt = ServerClock.now()
            try await unit.create(on: tx)
            try await EntryExitRecordModel(
                projectID: project.uuid, subject: "unit", unitID: unit.uuid, teamID: nil, workerID: nil, entry: true,
                date: entry.description, reason: "总承包单位登记项目", recordedBy: account.displayName
            ).create(on: tx)
            return (
                project,
                AuditDraft(
                    action: "project.registered", entityType: "project", entityID: project.uuid.uuidString,
                    divisionCode: project.divisionCode, enterpriseID: enterprise.uuid.uuidString,
                    summary: "登记项目 \(project.code) \(project.name)",
                    change: ["code": project.code, "name": project.name, "category": project.category])
            )
        }
    }

    /// Division + year + four-digit sequence. Audited writes are serialised (one SQLite
    /// connection; an advisory lock on PostgreSQL), and the code is unique in the schema.
    static func nextCode(division: String, on db: any Database) async throws -> String {
        let prefix = division + String(today().year)
        let existing = try await ProjectModel.query(on: db).filter(\.$code =~ prefix).all(\.$code)
        let highest = existing.compactMap { Int($0.dropFirst(prefix.count)) }.max() ?? 0
        return prefix + String(format: "%04d", highest + 1)
    }

    /// Replaces the attendance geofence (general contractor only); empty text removes it.
    func setGeofence(_ text: String, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws
    {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let fence: Geofence?
        do { fence = trimmed.isEmpty ? nil : try Geofence.parse(trimmed) } catch {
            throw AppError(.unprocessableContent, code: error.code, message: error.message)
        }
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            project.geofence = fence?.text
            project.latitude = fence?.centroid.latitude
            project.longitude = fence?.centroid.longitude
            try await project.update(on: tx)
            return (
                (),
                AuditDraft(
                    "project.geofence-set", on: project, by: account, entity: "project", id: projectID,
                    summary: fence == nil ? "清除考勤电子围栏：\(project.name)" : "设置考勤电子围栏：\(project.name)",
                    change: ["geofence": fence?.text ?? ""])
            )
        }
    }

    /// The rights board's project settings: pay day and the authority's complaint hotline (W15).
    func setBoard(
        payDay: String, authorityPhone: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        var problems = FieldProblems()
        let day = problems.decimal(payDay, "工资支付日", in: 1...31, maxFractionDigits: 0, required: true).map { Int($0) }
        let phone = problems.phone(authorityPhone, "主管部门投诉电话", required: true)
        try problems.throwIfAny("BOARD_INVALID")
        guard let day else { throw AppError.badRequest("BOARD_INVALID", "工资支付日应为 1 到 31 之间的日期") }
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            project.payDay = day
            project.authorityPhone = phone
            try await project.update(on: tx)
            return (
                (),
                AuditDraft(
                    "project.board-set", on: project, by: account, entity: "project", id: projectID,
                    summary: "更新维权告示牌信息：\(project.name)", change: ["payDay": String(day), "phone": phone ?? ""])
            )
        }
    }

    // MARK: Participating units

    struct UnitInput: Sendable {
        var creditCode = ""
        var name = ""
        var participationType = ""
        var entryDate = ""
        var pmName = ""
        var pmPhone = ""
    }

    /// A unit joins (general contractor only). A unit registered on the platform is linked, so its
    /// staff reach the project.
    func addUnit(_ input: UnitInput, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> ProjectUnitModel
    {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        var problems = FieldProblems()
        let code = input.creditCode.trimmingCharacters(in: .whitespaces).uppercased()
        if !CreditCode.isValid(code) && !OrganisationCode.isValid(code) {
            problems.add("统一社会信用代码（或组织机构代码）校验不通过，请核对")
        }
        let name = problems.required(input.name, "单位名称")
        let type = problems.code(input.participationType, in: .participationTypes, "参建类型")
        let entry = problems.date(input.entryDate, "进场日期", required: true)
        if let entry, entry > Self.today() { problems.add("进场日期不能晚于今天") }
        let pmName = problems.optional(input.pmName, "项目负责人", max: 50)
        let pmPhone = problems.phone(input.pmPhone, "项目负责人电话")
        try problems.throwIfAny("UNIT_INVALID")
        guard let type, let entry else { throw FieldProblems.incomplete("UNIT_INVALID") }
        let db = database.database()
        if try await ProjectUnitModel.query(on: db).filter(\.$projectID == projectID).filter(\.$creditCode == code)
            .count() > 0
        {
            throw AppError(.conflict, code: "UNIT_EXISTS", message: "该单位已是本项目的参建单位")
        }
        let enterprise = try await EnterpriseModel.query(on: db).filter(\.$creditCode == code).first()
        let unit = ProjectUnitModel()
        unit.id = UUID()
        unit.projectID = projectID
        unit.enterpriseID = enterprise?.id
        unit.creditCode = code
        unit.name = enterprise?.name ?? name
        unit.participationType = type
        unit.entryDate = entry.description
        unit.pmName = pmName
        unit.pmPhone = pmPhone
        unit.createdAt = ServerClock.now()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            try await unit.create(on: tx)
            try await EntryExitRecordModel(
                projectID: projectID, subject: "unit", unitID: unit.uuid, teamID: nil, workerID: nil, entry: true,
                date: entry.description, reason: nil, recordedBy: account.displayName
            ).create(on: tx)
            return (
                unit,
                AuditDraft(
                    "project.unit-added", on: project, by: account, entity: "project_unit", id: unit.uuid,
                    summary:
                        "\(project.name)：\(unit.name) 以“\(CodeTable.participationTypes.name(of: unit.participationType) ?? "")”进场",
                    change: ["unit": code, "type": unit.participationType, "entry": unit.entryDate ?? ""])
            )
        }
    }

    /// The project manager of a unit still on site (general contractor only).
    func updateUnitManager(
        _ unitID: UUID, name: String, phone: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        let db = database.database()
        guard let unit = try await ProjectUnitModel.find(unitID, on: db), unit.projectID == projectID else {
            throw AppError.notFound
        }
        if unit.exitDate != nil { throw AppError(.conflict, code: "UNIT_ALREADY_EXITED", message: "该单位已退场") }
        var problems = FieldProblems()
        let pmName = problems.optional(name, "项目负责人", max: 50)
        let pmPhone = problems.phone(phone, "项目负责人电话")
        try problems.throwIfAny("UNIT_INVALID")
        unit.pmName = pmName
        unit.pmPhone = pmPhone
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await unit.update(on: tx)
            return (
                (),
                AuditDraft(
                    "project.unit-updated", on: project, by: account, entity: "project_unit", id: unitID,
                    summary: "\(project.name)：更新\(unit.name)的项目负责人", change: ["unit": unit.creditCode])
            )
        }
    }

    /// A unit leaves. The exit date is not in the future and not before its entry; its teams and
    /// workers still on site are closed on the same date, or the exit is refused naming them,
    /// whichever `unitExitPolicy` says.
    func exitUnit(
        _ unitID: UUID, date text: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        let db = database.database()
        guard let unit = try await ProjectUnitModel.find(unitID, on: db), unit.projectID == projectID else {
            throw AppError.notFound
        }
        if unit.exitDate != nil { throw AppError(.conflict, code: "UNIT_ALREADY_EXITED", message: "该单位已退场") }
        if unit.participationType == "009" && unit.enterpriseID == project.contractorEnterpriseID {
            throw AppError(.conflict, code: "CONTRACTOR_CANNOT_EXIT", message: "总承包单位随项目竣工退场，不能单独退场")
        }
        var problems = FieldProblems()
        let date = problems.date(text, "退场日期", required: true)
        try problems.throwIfAny("UNIT_EXIT_INVALID")
        guard let date else { throw FieldProblems.incomplete("UNIT_EXIT_INVALID") }
        let entry = unit.entryDate.flatMap(LocalDate.init)
        for refusal in ExitDateRules.refusals(date, of: .unit, entry: entry, today: Self.today()) {
            problems.add(refusal.message)
        }
        try problems.throwIfAny(ExitingSubject.unit.dateCode)
        let onSite = try await ProjectWorkerModel.query(on: db).filter(\.$unitID == unitID)
            .filter(\.$status == "active").all()
        let exitDate = date.description
        let latestWorkerEntry = onSite.compactMap { LocalDate($0.entryDate) }.max()
        if let refusal = ExitDateRules.refusal(date, of: .unit, latestWorkerEntry: latestWorkerEntry) {
            throw AppError(.unprocessableContent, code: refusal.code, message: refusal.message)
        }
        if !onSite.isEmpty, unitExitPolicy == .refuse {
            let names = try await WorkerModel.query(on: db).filter(\.$id ~~ onSite.map(\.workerID)).all(\.$name)
            throw AppError(
                .conflict, code: "UNIT_HAS_WORKERS_ON_SITE",
                message:
                    "该单位还有 \(onSite.count) 名工人未退场（\(names.prefix(10).joined(separator: "、"))\(names.count > 10 ? " 等" : "")），请先办理工人退场"
            )
        }
        let teams = try await TeamModel.query(on: db).filter(\.$unitID == unitID).filter(\.$exitDate == nil).all()
        try await audit.write(on: db, actor: account.auditActor) { tx in
            for worker in onSite {
                worker.markExited(on: exitDate)
                try await worker.update(on: tx)
                try await EntryExitRecordModel(
                    projectID: projectID, subject: "worker", unitID: unitID, teamID: worker.teamID,
                    workerID: worker.workerID, entry: false, date: exitDate, reason: "所属单位退场",
                    recordedBy: account.displayName
                ).create(on: tx)
            }
            for team in teams {
                team.exitDate = exitDate
                try await team.update(on: tx)
                try await EntryExitRecordModel(
                    projectID: projectID, subject: "team", unitID: unitID, teamID: team.id, workerID: nil,
                    entry: false, date: exitDate, reason: "所属单位退场", recordedBy: account.displayName
                ).create(on: tx)
            }
            unit.exitDate = exitDate
            try await unit.update(on: tx)
            try await EntryExitRecordModel(
                projectID: projectID, subject: "unit", unitID: unitID, teamID: nil, workerID: nil, entry: false,
                date: exitDate, reason: nil, recordedBy: account.displayName
            ).create(on: tx)
            return (
                (),
                AuditDraft(
                    "project.unit-exited", on: project, by: account, entity: "project_unit", id: unitID,
                    summary:
                        "\(project.name)：\(unit.name) 退场（\(exitDate)），同时退场工人 \(onSite.count) 名、班组 \(teams.count) 个",
                    change: ["unit": unitID.uuidString, "exit": exitDate, "workers": String(onSite.count)])
            )
        }
    }

    // MARK: Managers

    struct ManagerInput: Sendable {
        var unitID = ""
        var workerCode = ""
        var role = ""
        var phone = ""
        var startsOn = ""
        var endsOn = ""
    }

    /// Appoints a verified person (workRole 10) to a management role for a period (R4, W9).
    func appoint(_ input: ManagerInput, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws
    {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        var problems = FieldProblems()
        let role = problems.code(input.role, in: .managerRoles, "岗位")
        let start = problems.date(input.startsOn, "任职开始日期", required: true)
        let end = problems.date(input.endsOn, "任职结束日期")
        if let start, let end, end < start { problems.add("任职结束日期不能早于开始日期") }
        let phone = problems.phone(input.phone, "联系电话")
        try problems.throwIfAny("MANAGER_INVALID")
        guard let role, let start else { throw FieldProblems.incomplete("MANAGER_INVALID") }
        let db = database.database()
        guard let unitID = UUID(uuidString: input.unitID), let unit = try await ProjectUnitModel.find(unitID, on: db),
            unit.projectID == projectID
        else { throw AppError.badRequest("MANAGER_INVALID", "请选择任职单位") }
        try standing.requireUnit(unitID)
        let worker = try await verifiedWorker(code: input.workerCode)
        let manager = ProjectManagerModel()
        manager.id = UUID()
        manager.projectID = projectID
        manager.unitID = unitID
        manager.workerID = worker.uuid
        manager.role = role
        manager.phone = phone
        manager.startsOn = start.description
        manager.endsOn = end?.description
        manager.createdAt = ServerClock.now()
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await manager.create(on: tx)
            return (
                (),
                AuditDraft(
                    "project.manager-appointed", on: project, by: account, entity: "project_manager", id: manager.uuid,
                    summary:
                        "\(project.name)：任命 \(worker.name) 为\(CodeTable.managerRoles.name(of: manager.role) ?? "")（\(unit.name)）",
                    change: ["worker": worker.uuid.uuidString, "role": manager.role, "from": manager.startsOn])
            )
        }
    }

    /// A verified worker by verification code (the people-facing key; G1).
    func verifiedWorker(code: String) async throws -> WorkerModel {
        let text = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard !text.isEmpty,
            let worker = try await WorkerModel.query(on: database.database()).filter(\.$verificationCode == text)
                .first()
        else {
            throw AppError(
                .unprocessableContent, code: "WORKER_CODE_UNKNOWN",
                message: "没有找到实名核验码为“\(text.prefix(20))”的已核验人员，请核对（核验码以 W 开头）")
        }
        return worker
    }
}
