import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Workers registered to a project's team before they enter (a connected system's
/// `ProjectWorker.Add`, issue 15): the work type, role, leader flag, card and insurance the entry
/// will use. The entry itself still goes through `enter`, with every rule of R2.
extension WorkforceService {
    struct RegistrationInput: Sendable {
        var teamID: UUID
        var worker: WorkerModel
        var workType = ""
        var workRole = "20"
        var isTeamLeader = false
        var cardNumber: String?
        var hasInsurance = false
        var cellPhone: String?
    }

    /// Registers (or re-registers, with new details) a verified worker to a team of the project.
    func register(
        _ input: RegistrationInput, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot
    ) async throws -> WorkerRegistrationModel {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        guard let team = try await TeamModel.find(input.teamID, on: db), team.projectID == projectID,
            let unitID = team.unitID
        else { throw AppError.badRequest("REGISTRATION_INVALID", "请选择班组") }
        try standing.requireUnit(unitID)
        var problems = FieldProblems()
        let workType = input.workType.trimmingCharacters(in: .whitespaces)
        if !CodeTable.isAcceptableWorkType(workType) { problems.add("工种代码“\(workType.prefix(10))”不在工种代码表中") }
        let role = problems.code(input.workRole, in: .workRoles, "工人类型")
        let card = input.cardNumber.flatMap { problems.optional($0, "考勤卡号", max: 30) }
        let phone = input.cellPhone.flatMap { problems.phone($0, "手机号码") }
        if team.exitDate != nil { problems.add("班组“\(team.name)”已退场，不能再登记工人") }
        try problems.throwIfAny("REGISTRATION_INVALID")
        guard let role else { throw FieldProblems.incomplete("REGISTRATION_INVALID") }
        guard input.worker.verificationCode != nil else {
            throw AppError(.unprocessableContent, code: "WORKER_NOT_VERIFIED", message: "\(input.worker.name) 尚未通过实名核验")
        }
        let existing = try await WorkerRegistrationModel.query(on: db).filter(\.$projectID == projectID)
            .filter(\.$workerID == input.worker.uuid).first()
        // A worker on site keeps his team (a move is an exit and a new entry); his entry takes the
        // new work type, role, leader flag, card and insurance.
        let onSite = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
            .filter(\.$workerID == input.worker.uuid).filter(\.$status == "active").first()
        if let onSite, onSite.teamID != team.uuid {
            throw AppError(
                .conflict, code: "WORKER_ON_SITE_IN_OTHER_TEAM",
                message: "\(input.worker.name) 正在其他班组在场：调整班组请先办理退场，再在新班组进场")
        }
        let registration = existing ?? WorkerRegistrationModel()
        if existing == nil {
            registration.id = UUID()
            registration.projectID = projectID
            registration.workerID = input.worker.uuid
        }
        registration.unitID = unitID
        registration.teamID = team.uuid
        registration.workType = workType
        registration.workRole = role
        registration.isTeamLeader = input.isTeamLeader
        registration.cardNumber = card
        registration.hasInsurance = input.hasInsurance
        registration.cellPhone = phone
        registration.registeredBy = account.appID ?? account.username
        registration.registeredAt = ServerClock.now()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            if existing == nil { try await registration.create(on: tx) } else { try await registration.update(on: tx) }
            if let onSite {
                onSite.workType = workType
                onSite.workRole = role
                onSite.isTeamLeader = input.isTeamLeader
                onSite.cardNumber = card
                onSite.hasInsurance = input.hasInsurance
                try await onSite.update(on: tx)
            }
            return (
                registration,
                AuditDraft(
                    existing == nil ? "worker.registered" : "worker.registration-updated", on: project, by: account,
                    entity: "project_worker_registration", id: registration.uuid,
                    summary:
                        "\(project.name)：\(input.worker.name) 登记到班组“\(team.name)”（\(CodeTable.workTypes.name(of: workType) ?? workType)），待进场",
                    change: ["worker": input.worker.uuid.uuidString, "team": team.uuid.uuidString])
            )
        }
    }

    /// The worker's registration on the project, if any.
    func registration(of workerID: UUID, project projectID: UUID) async throws -> WorkerRegistrationModel? {
        try await WorkerRegistrationModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$workerID == workerID).first()
    }
}
