import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Teams (班组, G2/E2) and teams founded by workers on the phone (M6): a verified worker founds a
/// team, invites verified workers by verification code, the invited accept or decline, and an
/// enterprise engages the team for a project by its team number.
struct TeamService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let projects: ProjectService
    let audit = AuditTrail()

    static func nextSysNo(on db: any Database) async throws -> Int {
        let highest = try await TeamModel.query(on: db).max(\.$sysNo) ?? 100_000
        return highest + 1
    }

    func teams(of projectID: UUID) async throws -> [TeamModel] {
        try await TeamModel.query(on: database.database()).filter(\.$projectID == projectID).sort(\.$sysNo).all()
    }

    struct TeamInput: Sendable {
        var unitID = ""
        var name = ""
        var leaderCode = ""
        var leaderPhone = ""
        var remark = ""
        var entryDate = ""
        /// The enterprise's person in charge when the team has no verified leader (national
        /// `responsiblePersonName`).
        var responsibleName = ""
    }

    /// A unit creates a team on a project; the name is unique within the project.
    func createTeam(_ input: TeamInput, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> TeamModel
    {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        var problems = FieldProblems()
        let name = problems.required(input.name, "班组名称", max: 100)
        let phone = problems.phone(input.leaderPhone, "班组长电话")
        let remark = problems.optional(input.remark, "备注")
        let responsible = problems.optional(input.responsibleName, "班组负责人", max: 50)
        let entry = problems.date(input.entryDate, "进场日期", required: true)
        if let entry, entry > ProjectService.today() { problems.add("进场日期不能晚于今天") }
        try problems.throwIfAny("TEAM_INVALID")
        guard let entry else { throw FieldProblems.incomplete("TEAM_INVALID") }
        let db = database.database()
        guard let unitID = UUID(uuidString: input.unitID), let unit = try await ProjectUnitModel.find(unitID, on: db),
            unit.projectID == projectID
        else { throw AppError.badRequest("TEAM_INVALID", "请选择班组所属的参建单位") }
        try standing.requireUnit(unitID)
        if unit.exitDate != nil {
            throw AppError(.conflict, code: "UNIT_EXITED", message: "该单位已退场，不能再新建班组")
        }
        let leader =
            input.leaderCode.trimmingCharacters(in: .whitespaces).isEmpty
            ? nil : try await projects.verifiedWorker(code: input.leaderCode)
        if try await TeamModel.query(on: db).filter(\.$projectID == projectID).filter(\.$name == name).count() > 0 {
            throw AppError(.conflict, code: "TEAM_NAME_TAKEN", message: "本项目已有名为“\(name)”的班组，请换一个名称")
        }
        let team = TeamModel()
        team.id = UUID()
        team.name = name
        team.origin = "unit"
        team.projectID = projectID
        team.unitID = unitID
        team.leaderWorkerID = leader?.id
        team.leaderName = leader?.name ?? responsible
        team.leaderPhone = phone
        team.remark = remark
        team.entryDate = entry.description
        team.createdAt = ServerClock.now()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            team.sysNo = try await Self.nextSysNo(on: tx)
            try await team.create(on: tx)
            try await EntryExitRecordModel(
                projectID: projectID, subject: "team", unitID: unitID, teamID: team.id, workerID: nil, entry: true,
                date: entry.description, reason: nil, recordedBy: account.displayName
            ).create(on: tx)
            return (
                team,
                AuditDraft(
                    "team.created", on: project, by: account, entity: "team", id: team.uuid,
                    summary: "\(project.name)：\(unit.name) 新建班组“\(name)”（编号 \(team.sysNo)）",
                    change: ["team": name, "unit": unitID.uuidString, "sysNo": String(team.sysNo)])
            )
        }
    }

    /// The person in charge, their phone and the remark of a team still on site.
    func updateDetails(
        _ teamID: UUID, phone: String?, responsibleName: String?, remark: String?, project projectID: UUID,
        scope: AccessScope, by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let team = try await TeamModel.find(teamID, on: db), team.projectID == projectID,
            let unitID = team.unitID
        else { throw AppError.notFound }
        try standing.requireUnit(unitID)
        if team.exitDate != nil { throw AppError(.conflict, code: "TEAM_ALREADY_EXITED", message: "该班组已退场") }
        var problems = FieldProblems()
        let phone = phone.flatMap { problems.phone($0, "班组长电话") }
        let name = responsibleName.flatMap { problems.optional($0, "班组负责人", max: 50) }
        let remark = remark.flatMap { problems.optional($0, "备注") }
        try problems.throwIfAny("TEAM_INVALID")
        if let phone { team.leaderPhone = phone }
        if let name, team.leaderWorkerID == nil { team.leaderName = name }
        if let remark { team.remark = remark }
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await team.update(on: tx)
            return (
                (),
                AuditDraft(
                    "team.updated", on: project, by: account, entity: "team", id: teamID,
                    summary: "\(project.name)：更新班组“\(team.name)”的负责人、电话或备注",
                    change: ["team": teamID.uuidString])
            )
        }
    }

    /// A team leaves the project: its workers on site leave with it, on the same date.
    func exitTeam(
        _ teamID: UUID, date text: String, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let team = try await TeamModel.find(teamID, on: db), team.projectID == projectID,
            let unitID = team.unitID
        else { throw AppError.notFound }
        try standing.requireUnit(unitID)
        if team.exitDate != nil { throw AppError(.conflict, code: "TEAM_ALREADY_EXITED", message: "该班组已退场") }
        var problems = FieldProblems()
        let date = problems.date(text, "退场日期", required: true)
        if let date {
            let entry = team.entryDate.flatMap(LocalDate.init)
            for refusal in ExitDateRules.refusals(date, of: .team, entry: entry, today: ProjectService.today()) {
                problems.add(refusal.message)
            }
        }
        try problems.throwIfAny(ExitingSubject.team.dateCode)
        guard let date else { throw FieldProblems.incomplete(ExitingSubject.team.dateCode) }
        let exitDate = date.description
        let onSite = try await ProjectWorkerModel.query(on: db).filter(\.$teamID == teamID)
            .filter(\.$status == "active").all()
        let latestWorkerEntry = onSite.compactMap { LocalDate($0.entryDate) }.max()
        if let refusal = ExitDateRules.refusal(date, of: .team, latestWorkerEntry: latestWorkerEntry) {
            throw AppError(.unprocessableContent, code: refusal.code, message: refusal.message)
        }
        try await audit.write(on: db, actor: account.auditActor) { tx in
            for worker in onSite {
                worker.markExited(on: exitDate)
                try await worker.update(on: tx)
                try await EntryExitRecordModel(
                    projectID: projectID, subject: "worker", unitID: unitID, teamID: teamID, workerID: worker.workerID,
                    entry: false, date: exitDate, reason: "所属班组退场", recordedBy: account.displayName
                ).create(on: tx)
            }
            team.exitDate = exitDate
            try await team.update(on: tx)
            try await EntryExitRecordModel(
                projectID: projectID, subject: "team", unitID: unitID, teamID: teamID, workerID: nil, entry: false,
                date: exitDate, reason: nil, recordedBy: account.displayName
            ).create(on: tx)
            return (
                (),
                AuditDraft(
                    "team.exited", on: project, by: account, entity: "team", id: teamID,
                    summary: "\(project.name)：班组“\(team.name)”退场（\(exitDate)），同时退场工人 \(onSite.count) 名",
                    change: ["team": teamID.uuidString, "exit": exitDate])
            )
        }
    }

    // MARK: Worker-founded teams (M6)

    /// The teams a worker founded or belongs to, and their pending invitations.
    struct WorkerTeams: Sendable {
        var led: [TeamModel]
        var memberships: [(TeamModel, TeamMemberModel)]
        var invitations: [(TeamModel, TeamMemberModel)]
    }

    func teams(ofWorker workerID: UUID) async throws -> WorkerTeams {
        let db = database.database()
        let led = try await TeamModel.query(on: db).filter(\.$origin == "worker").filter(\.$leaderWorkerID == workerID)
            .sort(\.$createdAt).all()
        let rows = try await TeamMemberModel.query(on: db).filter(\.$workerID == workerID).all()
        let teams = try await TeamModel.query(on: db).filter(\.$id ~~ rows.map(\.teamID)).all()
        let byID = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0) })
        let pairs = rows.compactMap { row in byID[row.teamID].map { ($0, row) } }
        return WorkerTeams(
            led: led,
            memberships: pairs.filter { $0.1.status == "accepted" && $0.0.leaderWorkerID != workerID },
            invitations: pairs.filter { $0.1.status == "invited" })
    }

    func members(of teamID: UUID) async throws -> [(TeamMemberModel, WorkerModel)] {
        try await members(of: [teamID])[teamID] ?? []
    }

    /// The members of several teams in two queries, each team's in order of invitation.
    func members(of teamIDs: [UUID]) async throws -> [UUID: [(TeamMemberModel, WorkerModel)]] {
        guard !teamIDs.isEmpty else { return [:] }
        let db = database.database()
        let rows = try await TeamMemberModel.query(on: db).filter(\.$teamID ~~ teamIDs).sort(\.$invitedAt).all()
        let workers = try await WorkerModel.query(on: db).filter(\.$id ~~ rows.map(\.workerID)).all()
        let byID = Dictionary(uniqueKeysWithValues: workers.map { ($0.uuid, $0) })
        var result: [UUID: [(TeamMemberModel, WorkerModel)]] = [:]
        for row in rows {
            if let worker = byID[row.workerID] { result[row.teamID, default: []].append((row, worker)) }
        }
        return result
    }

    /// A verified worker founds a team and leads it.
    func found(name text: String, by worker: WorkerModel, account: AccountSnapshot) async throws -> TeamModel {
        guard worker.verificationCode != nil else {
            throw AppError(.forbidden, code: "WORKER_NOT_VERIFIED", message: "通过实名核验后才能创建班组")
        }
        var problems = FieldProblems()
        let name = problems.required(text, "班组名称", max: 100)
        try problems.throwIfAny("TEAM_INVALID")
        let db = database.database()
        if try await TeamModel.query(on: db).filter(\.$origin == "worker").filter(\.$leaderWorkerID == worker.uuid)
            .filter(\.$name == name).count() > 0
        {
            throw AppError(.conflict, code: "TEAM_NAME_TAKEN", message: "您已有名为“\(name)”的班组")
        }
        let team = TeamModel()
        team.id = UUID()
        team.name = name
        team.origin = "worker"
        team.leaderWorkerID = worker.id
        team.leaderName = worker.name
        team.createdAt = ServerClock.now()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            team.sysNo = try await Self.nextSysNo(on: tx)
            try await team.create(on: tx)
            let member = TeamMemberModel()
            member.id = UUID()
            member.teamID = team.uuid
            member.workerID = worker.uuid
            member.status = "accepted"
            member.invitedAt = ServerClock.now()
            member.decidedAt = ServerClock.now()
            try await member.create(on: tx)
            return (
                team,
                AuditDraft(
                    action: "team.founded", entityType: "team", entityID: team.uuid.uuidString,
                    divisionCode: worker.divisionCode, summary: "\(worker.name) 创建班组“\(name)”（编号 \(team.sysNo)）",
                    change: ["team": name, "leader": worker.uuid.uuidString])
            )
        }
    }

    /// The leader invites a verified worker by verification code.
    func invite(code: String, to teamID: UUID, by leader: WorkerModel, account: AccountSnapshot) async throws
        -> WorkerModel
    {
        let db = database.database()
        guard let team = try await TeamModel.find(teamID, on: db), team.origin == "worker",
            team.leaderWorkerID == leader.id
        else { throw AppError.notFound }
        let invitee = try await projects.verifiedWorker(code: code)
        if invitee.id == leader.id {
            throw AppError(.unprocessableContent, code: "TEAM_SELF_INVITE", message: "不能邀请自己")
        }
        if let existing = try await TeamMemberModel.query(on: db).filter(\.$teamID == teamID)
            .filter(\.$workerID == invitee.uuid).first()
        {
            switch existing.status {
            case "accepted": throw AppError(.conflict, code: "TEAM_ALREADY_MEMBER", message: "\(invitee.name) 已是本班组成员")
            case "invited":
                throw AppError(.conflict, code: "TEAM_ALREADY_INVITED", message: "已邀请 \(invitee.name)，请等待对方回复")
            default: break
            }
        }
        try await audit.write(on: db, actor: account.auditActor) { tx in
            let member =
                try await TeamMemberModel.query(on: tx).filter(\.$teamID == teamID).filter(\.$workerID == invitee.uuid)
                .first() ?? TeamMemberModel()
            if member.id == nil {
                member.id = UUID()
                member.teamID = teamID
                member.workerID = invitee.uuid
            }
            member.status = "invited"
            member.invitedAt = ServerClock.now()
            member.decidedAt = nil
            try await member.save(on: tx)
            return (
                (),
                AuditDraft(
                    action: "team.invited", entityType: "team", entityID: teamID.uuidString,
                    divisionCode: leader.divisionCode,
                    summary: "\(leader.name) 邀请 \(invitee.name) 加入班组“\(team.name)”",
                    change: ["team": teamID.uuidString, "invitee": invitee.uuid.uuidString])
            )
        }
        return invitee
    }

    /// The invited worker accepts or declines.
    func respond(to teamID: UUID, accept: Bool, by worker: WorkerModel, account: AccountSnapshot) async throws {
        let db = database.database()
        guard let team = try await TeamModel.find(teamID, on: db),
            let member = try await TeamMemberModel.query(on: db).filter(\.$teamID == teamID)
                .filter(\.$workerID == worker.uuid).first(), member.status == "invited"
        else { throw AppError.notFound }
        try await audit.write(on: db, actor: account.auditActor) { tx in
            member.status = accept ? "accepted" : "declined"
            member.decidedAt = ServerClock.now()
            try await member.update(on: tx)
            return (
                (),
                AuditDraft(
                    action: accept ? "team.invitation-accepted" : "team.invitation-declined", entityType: "team",
                    entityID: teamID.uuidString, divisionCode: worker.divisionCode,
                    summary: "\(worker.name) \(accept ? "接受" : "拒绝")了加入班组“\(team.name)”的邀请",
                    change: ["team": teamID.uuidString, "accept": String(accept)])
            )
        }
    }

    /// An enterprise engages a worker-founded team (found by its team number) for a project: a
    /// project team is created for the unit, led by the founder, linked to the source team.
    func engage(
        sysNo text: String, unitID unitText: String, entryDate: String, project projectID: UUID,
        scope: AccessScope, by account: AccountSnapshot
    ) async throws -> TeamModel {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let sysNo = Int(text.trimmingCharacters(in: .whitespaces)),
            let source = try await TeamModel.query(on: db).filter(\.$sysNo == sysNo).filter(\.$origin == "worker")
                .first()
        else {
            throw AppError(.unprocessableContent, code: "TEAM_NOT_FOUND", message: "没有找到该编号的工人自建班组，请向班组长核对班组编号")
        }
        guard let unitID = UUID(uuidString: unitText), let unit = try await ProjectUnitModel.find(unitID, on: db),
            unit.projectID == projectID, unit.exitDate == nil
        else { throw AppError.badRequest("TEAM_INVALID", "请选择在场的参建单位") }
        try standing.requireUnit(unitID)
        if try await TeamModel.query(on: db).filter(\.$projectID == projectID).filter(\.$sourceTeamID == source.uuid)
            .filter(\.$exitDate == nil).count() > 0
        {
            throw AppError(.conflict, code: "TEAM_ALREADY_ENGAGED", message: "该班组已在本项目承接任务")
        }
        var problems = FieldProblems()
        let entry = problems.date(entryDate, "进场日期", required: true)
        if let entry, entry > ProjectService.today() { problems.add("进场日期不能晚于今天") }
        try problems.throwIfAny("TEAM_INVALID")
        guard let entry else { throw FieldProblems.incomplete("TEAM_INVALID") }
        var name = source.name
        if try await TeamModel.query(on: db).filter(\.$projectID == projectID).filter(\.$name == name).count() > 0 {
            name += "（\(source.leaderName ?? "")）"
        }
        let team = TeamModel()
        team.id = UUID()
        team.name = name
        team.origin = "engaged"
        team.projectID = projectID
        team.unitID = unitID
        team.leaderWorkerID = source.leaderWorkerID
        team.leaderName = source.leaderName
        team.sourceTeamID = source.id
        team.entryDate = entry.description
        team.createdAt = ServerClock.now()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            team.sysNo = try await Self.nextSysNo(on: tx)
            try await team.create(on: tx)
            try await EntryExitRecordModel(
                projectID: projectID, subject: "team", unitID: unitID, teamID: team.id, workerID: nil, entry: true,
                date: entry.description, reason: "承接工人自建班组 \(source.sysNo)", recordedBy: account.displayName
            ).create(on: tx)
            return (
                team,
                AuditDraft(
                    "team.engaged", on: project, by: account, entity: "team", id: team.uuid,
                    summary: "\(project.name)：\(unit.name) 承接工人自建班组“\(source.name)”（编号 \(source.sysNo)）",
                    change: ["source": source.uuid.uuidString, "team": team.uuid.uuidString])
            )
        }
    }
}
