import FluentKit
import Foundation
import SiteRollAPI
import SiteRollCore
import SiteRollStore

/// `/api/v1/projects…`: the same reads as the consoles (G2, E2), in the national field names so a
/// vendor maps them onto Project, ProjectSubContractor, Team and ProjectWorker mechanically.
extension APIService {
    func listProjects(_ input: Operations.ListProjects.Input) async throws -> Operations.ListProjects.Output {
        let scope = try APIIdentity.requireScope()
        let found = try await projects.projects.list(in: scope, search: input.query.q ?? "")
        return .ok(.init(body: .json(try await summaries(found))))
    }

    func getProject(_ input: Operations.GetProject.Input) async throws -> Operations.GetProject.Output {
        let scope = try APIIdentity.requireScope()
        guard let id = UUID(uuidString: input.path.projectId),
            let (project, _) = try await projects.reach.project(id, in: scope)
        else { throw AppError.notFound }
        let units = try await projects.projects.units(of: id)
        let codes = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.creditCode) })
        let teams = try await projects.teams.teams(of: id)
        return .ok(
            .init(
                body: .json(
                    .init(
                        summary: try await summaries([project])[0], address: project.address,
                        buildCorpName: project.builderName, buildCorpCode: project.builderCreditCode,
                        builderLicenseNum: project.permitNumber, investFen: project.investFen,
                        buildingArea: project.buildingArea, startDate: project.startDate,
                        completeDate: project.completionDate, approvalLevelNum: project.approvalLevel,
                        prjSize: project.size, propertyNum: project.nature, functionNum: project.function,
                        geofence: project.geofence, lat: project.latitude, lng: project.longitude,
                        units: units.map {
                            .init(
                                corpCode: $0.creditCode, corpName: $0.name, corpType: $0.participationType,
                                entryTime: $0.entryDate, exitTime: $0.exitDate, pmName: $0.pmName)
                        },
                        teams: teams.map {
                            .init(
                                teamSysNo: $0.sysNo, teamName: $0.name,
                                corpCode: $0.unitID.flatMap { codes[$0] } ?? "",
                                responsiblePersonName: $0.leaderName, entryTime: $0.entryDate, exitTime: $0.exitDate)
                        }))))
    }

    func listProjectWorkers(_ input: Operations.ListProjectWorkers.Input) async throws
        -> Operations.ListProjectWorkers.Output
    {
        let scope = try APIIdentity.requireScope()
        guard let id = UUID(uuidString: input.path.projectId), try await projects.reach.project(id, in: scope) != nil
        else { throw AppError.notFound }
        let db = projects.database.database()
        var entries = try await projects.workforce.workers(of: id, activeOnly: input.query.active ?? false)
        if case .worker(let own, _) = scope { entries = entries.filter { $0.workerID == own } }
        let people = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(
                \.$id ~~ Array(Set(entries.map(\.workerID)))
            )
            .all().map { ($0.uuid, $0) })
        let teams = Dictionary(uniqueKeysWithValues: try await projects.teams.teams(of: id).map { ($0.uuid, $0) })
        let units = Dictionary(uniqueKeysWithValues: try await projects.projects.units(of: id).map { ($0.uuid, $0) })
        return .ok(
            .init(
                body: .json(
                    entries.map { entry in
                        .init(
                            workerId: entry.workerID.uuidString, workerName: people[entry.workerID]?.name ?? "",
                            idCardNumberMasked: people[entry.workerID]?.idNumberMasked ?? "",
                            verificationCode: people[entry.workerID]?.verificationCode,
                            teamSysNo: teams[entry.teamID]?.sysNo ?? 0, teamName: teams[entry.teamID]?.name ?? "",
                            corpCode: units[entry.unitID]?.creditCode ?? "", workType: entry.workType,
                            workRole: entry.workRole, isTeamLeader: entry.isTeamLeader, entryTime: entry.entryDate,
                            exitTime: entry.exitDate, cardNumber: entry.cardNumber)
                    })))
    }

    private func summaries(_ list: [ProjectModel]) async throws -> [Components.Schemas.ProjectSummary] {
        let ids = list.compactMap(\.id)
        let officers = try await projects.projects.projectsWithLabourOfficer(ids)
        let onSite =
            ids.isEmpty
            ? []
            : try await ProjectWorkerModel.query(on: projects.database.database()).filter(\.$projectID ~~ ids)
                .filter(\.$status == "active").all(\.$projectID)
        let counts = Dictionary(grouping: onSite, by: { $0 }).mapValues(\.count)
        return list.map {
            .init(
                id: $0.uuid.uuidString, projectCode: $0.code, name: $0.name, category: $0.category,
                prjStatus: $0.status,
                areaCode: $0.divisionCode, contractorCorpCode: $0.contractorCreditCode,
                contractorCorpName: $0.contractorName, workersOnSite: counts[$0.uuid] ?? 0,
                hasLabourOfficer: officers.contains($0.uuid))
        }
    }
}
