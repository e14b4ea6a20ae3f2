import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The workforce tabs of a project: units, managers, teams, workers, contracts, trainings.
extension ProjectReads {
    // MARK: Units

    struct UnitRow: Sendable {
        var id: String
        var name: String
        var creditCode: String
        var type: String
        var entryDate: String
        var exitDate: String
        var pm: String
        var active: Bool
        var canExit: Bool
        var registered: Bool
    }

    struct UnitsView: ProjectView {
        var head: ProjectHead
        var rows: [UnitRow]
        var types: [SelectOption]
        var today: String
        var policyNote: String
        var title: String
    }

    func units(_ id: UUID, _ caller: Caller) async throws -> UnitsView {
        let shell = try await shell(id, caller, tab: .units)
        let rows = try await services.projects.units(of: shell.project.uuid).map { unit in
            UnitRow(
                id: unit.uuid.uuidString, name: unit.name, creditCode: unit.creditCode,
                type: CodeTable.participationTypes.name(of: unit.participationType) ?? unit.participationType,
                entryDate: unit.entryDate ?? "", exitDate: unit.exitDate ?? "",
                pm: [unit.pmName, unit.pmPhone].compactMap { $0 }.joined(separator: " "), active: unit.exitDate == nil,
                canExit: shell.standing.isContractor && unit.exitDate == nil && unit.participationType != "009",
                registered: unit.enterpriseID != nil)
        }
        let policy =
            services.unitExitPolicy == .closeEntries
            ? "单位退场时，其在场班组和工人将同日一并退场。" : "单位还有在场工人时不能退场，须先办理工人退场。"
        return UnitsView(
            head: shell.head, rows: rows,
            types: CodeTable.participationTypes.entries.filter { $0.code != "009" }.map {
                SelectOption(value: $0.code, label: $0.name)
            }, today: ProjectService.today().description, policyNote: policy, title: "\(shell.project.name)：参建单位")
    }

    // MARK: Managers

    struct ManagerRow: Sendable {
        var name: String
        var code: String
        var role: String
        var unit: String
        var phone: String
        var period: String
        var current: Bool
    }

    struct ManagersView: ProjectView {
        var head: ProjectHead
        var rows: [ManagerRow]
        var hasRows: Bool
        var roles: [SelectOption]
        var units: [SelectOption]
        var today: String
        var title: String
    }

    func managers(_ id: UUID, _ caller: Caller) async throws -> ManagersView {
        let shell = try await shell(id, caller, tab: .managers)
        let db = services.database.database()
        let appointments = try await services.projects.managers(of: shell.project.uuid)
        let people = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(\.$id ~~ appointments.map(\.workerID))
                .all().map { ($0.uuid, $0) })
        let units = try await services.projects.units(of: shell.project.uuid)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let today = ProjectService.today().description
        let rows = appointments.map { appointment in
            ManagerRow(
                name: people[appointment.workerID]?.name ?? "",
                code: people[appointment.workerID]?.verificationCode ?? "",
                role: CodeTable.managerRoles.name(of: appointment.role) ?? appointment.role,
                unit: unitNames[appointment.unitID] ?? "", phone: appointment.phone ?? "",
                period: "\(appointment.startsOn) 至 \(appointment.endsOn ?? "今")",
                current: appointment.startsOn <= today && (appointment.endsOn ?? "9999") >= today)
        }
        return ManagersView(
            head: shell.head, rows: rows, hasRows: !rows.isEmpty,
            roles: CodeTable.managerRoles.entries.map { SelectOption(value: $0.code, label: $0.name) },
            units: Self.managedUnits(units, shell.standing), today: today, title: "\(shell.project.name)：管理人员")
    }

    /// The units a standing may act for, still on the project, as choices.
    static func managedUnits(_ units: [ProjectUnitModel], _ standing: ProjectReach.Standing) -> [SelectOption] {
        units.filter { $0.exitDate == nil && standing.manages(unit: $0.uuid) }.map {
            SelectOption(value: $0.uuid.uuidString, label: $0.name)
        }
    }

    // MARK: Teams

    struct TeamRow: Sendable {
        var id: String
        var sysNo: Int
        var name: String
        var unit: String
        var leader: String
        var origin: String
        var entryDate: String
        var exitDate: String
        var onSite: Int
        var canExit: Bool
        var members: String?
    }

    struct TeamsView: ProjectView {
        var head: ProjectHead
        var rows: [TeamRow]
        var hasRows: Bool
        var units: [SelectOption]
        var hasUnits: Bool
        var today: String
        var title: String
    }

    func teams(_ id: UUID, _ caller: Caller) async throws -> TeamsView {
        let shell = try await shell(id, caller, tab: .teams)
        let db = services.database.database()
        let teams = try await services.teams.teams(of: shell.project.uuid)
        let units = try await services.projects.units(of: shell.project.uuid)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let active = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == shell.project.uuid)
            .filter(\.$status == "active").all(\.$teamID)
        let counts = Dictionary(grouping: active, by: { $0 }).mapValues(\.count)
        // The members of engaged worker-founded teams, for all of them at once.
        let members = try await services.teams.members(of: teams.compactMap(\.sourceTeamID))
        let rows = teams.map { team in
            let accepted = team.sourceTeamID.flatMap { members[$0] }?.filter { $0.0.status == "accepted" } ?? []
            return TeamRow(
                id: team.uuid.uuidString, sysNo: team.sysNo, name: team.name,
                unit: team.unitID.flatMap { unitNames[$0] } ?? "",
                leader: [team.leaderName, team.leaderPhone].compactMap { $0 }.joined(separator: " "),
                origin: team.origin == "engaged" ? "工人自建班组" : "单位组建", entryDate: team.entryDate ?? "",
                exitDate: team.exitDate ?? "", onSite: counts[team.uuid] ?? 0,
                canExit: team.exitDate == nil && team.unitID.map { shell.standing.manages(unit: $0) } == true,
                members: accepted.isEmpty ? nil : accepted.map(\.1.name).joined(separator: "、"))
        }
        let managed = Self.managedUnits(units, shell.standing)
        return TeamsView(
            head: shell.head, rows: rows, hasRows: !rows.isEmpty, units: managed, hasUnits: !managed.isEmpty,
            today: ProjectService.today().description, title: "\(shell.project.name)：班组")
    }

    // MARK: Workers

    struct WorkerRow: Sendable {
        var id: String
        var workerID: String
        var name: String
        var masked: String
        var team: String
        var unit: String
        var workType: String
        var role: String
        var leader: Bool
        var entryDate: String
        var exitDate: String
        var active: Bool
        var canExit: Bool
        var detail: String
    }

    struct WorkersView: ProjectView {
        var head: ProjectHead
        var active: [WorkerRow]
        var exited: [WorkerRow]
        var hasActive: Bool
        var hasExited: Bool
        var teams: [SelectOption]
        var hasTeams: Bool
        var units: [SelectOption]
        var workTypes: [SelectOption]
        var roles: [SelectOption]
        var today: String
        var title: String
    }

    func workers(_ id: UUID, _ caller: Caller) async throws -> WorkersView {
        let shell = try await shell(id, caller, tab: .workers)
        let db = services.database.database()
        let entries = try await services.workforce.workers(of: shell.project.uuid)
        let people = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(
                \.$id ~~ Array(Set(entries.map(\.workerID)))
            )
            .all().map { ($0.uuid, $0) })
        let teams = try await services.teams.teams(of: shell.project.uuid)
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        let units = try await services.projects.units(of: shell.project.uuid)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let rows = entries.map { entry in
            WorkerRow(
                id: entry.uuid.uuidString, workerID: entry.workerID.uuidString,
                name: people[entry.workerID]?.name ?? "",
                masked: people[entry.workerID]?.idNumberMasked ?? "", team: teamNames[entry.teamID] ?? "",
                unit: unitNames[entry.unitID] ?? "",
                workType: CodeTable.workTypes.name(of: entry.workType) ?? entry.workType,
                role: CodeTable.workRoles.name(of: entry.workRole) ?? "", leader: entry.isTeamLeader,
                entryDate: entry.entryDate, exitDate: entry.exitDate ?? "", active: entry.isActive,
                canExit: entry.isActive && shell.standing.manages(unit: entry.unitID),
                detail: "\(caller.base)/workers/\(entry.workerID.uuidString)")
        }
        let openTeams = teams.filter {
            $0.exitDate == nil && $0.unitID.map { shell.standing.manages(unit: $0) } == true
        }
        return WorkersView(
            head: shell.head, active: rows.filter(\.active), exited: rows.filter { !$0.active },
            hasActive: rows.contains(where: \.active), hasExited: rows.contains { !$0.active },
            teams: openTeams.map {
                SelectOption(
                    value: $0.uuid.uuidString, label: "\($0.name)（\($0.unitID.flatMap { unitNames[$0] } ?? "")）")
            }, hasTeams: !openTeams.isEmpty, units: Self.managedUnits(units, shell.standing),
            workTypes: CodeTable.workTypes.entries.map { SelectOption(value: $0.code, label: "\($0.code) \($0.name)") },
            roles: CodeTable.workRoles.entries.map {
                SelectOption(value: $0.code, label: $0.name, selected: $0.code == "20")
            }, today: ProjectService.today().description, title: "\(shell.project.name)：工人")
    }

    // MARK: Contracts

    struct ContractRow: Sendable {
        var id: String
        var worker: String
        var masked: String
        var unit: String
        var period: String
        var term: String
        var wage: String
        var signedOn: String
        var file: String
        var hasFile: Bool
    }

    struct ContractsView: ProjectView {
        var head: ProjectHead
        var rows: [ContractRow]
        var units: [SelectOption]
        var hasUnits: Bool
        var periods: [SelectOption]
        var bases: [SelectOption]
        var pieceUnits: [SelectOption]
        var today: String
        var maxKB: Int
        var title: String
    }

    func contracts(_ id: UUID, _ caller: Caller) async throws -> ContractsView {
        let shell = try await shell(id, caller, tab: .contracts)
        let db = services.database.database()
        let contracts = try await services.workforce.contracts(of: shell.project.uuid)
        let people = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db)
                .filter(\.$id ~~ Array(Set(contracts.map(\.workerID)))).all().map { ($0.uuid, $0) })
        let units = try await services.projects.units(of: shell.project.uuid)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let rows = contracts.map { contract in
            ContractRow(
                id: contract.uuid.uuidString, worker: people[contract.workerID]?.name ?? "",
                masked: people[contract.workerID]?.idNumberMasked ?? "", unit: unitNames[contract.unitID] ?? "",
                period: CodeTable.contractPeriodTypes.name(of: contract.periodType) ?? "",
                term: "\(contract.startsOn) 至 \(contract.endsOn ?? "工作任务完成")",
                wage: WorkforceRecords.wageText(contract), signedOn: contract.signedOn,
                file: shell.path.below("/contracts/\(contract.uuid.uuidString)/file"),
                hasFile: contract.fileCipher != nil)
        }
        let managed = Self.managedUnits(units, shell.standing)
        return ContractsView(
            head: shell.head, rows: rows, units: managed, hasUnits: !managed.isEmpty,
            periods: CodeTable.contractPeriodTypes.entries.map { SelectOption(value: $0.code, label: $0.name) },
            bases: CodeTable.wageBases.entries.map { SelectOption(value: $0.code, label: $0.name) },
            pieceUnits: CodeTable.pieceUnits.entries.map { SelectOption(value: $0.code, label: $0.name) },
            today: ProjectService.today().description, maxKB: services.workforce.contractFileMaxBytes / 1024,
            title: "\(shell.project.name)：劳动合同")
    }

    // MARK: Trainings

    struct TrainingRow: Sendable {
        var date: String
        var name: String
        var type: String
        var hours: String
        var trainer: String
        var attendees: Int
    }

    struct Candidate: Sendable {
        var id: String
        var label: String
    }

    struct TrainingsView: ProjectView {
        var head: ProjectHead
        var rows: [TrainingRow]
        var types: [SelectOption]
        var candidates: [Candidate]
        var hasCandidates: Bool
        var today: String
        var title: String
    }

    func trainings(_ id: UUID, _ caller: Caller) async throws -> TrainingsView {
        let shell = try await shell(id, caller, tab: .trainings)
        let rows = try await services.workforce.trainings(of: shell.project.uuid).map { training, count in
            TrainingRow(
                date: training.heldOn, name: training.name,
                type: CodeTable.trainingTypes.name(of: training.typeCode) ?? "",
                hours: String(format: "%.1f", training.durationHours), trainer: training.trainer, attendees: count)
        }
        var candidates: [Candidate] = []
        if case .enterprise = caller.scope {
            candidates = try await services.directory.list(in: caller.scope, limit: 300).map {
                Candidate(id: $0.uuid.uuidString, label: "\($0.name) \($0.idNumberMasked)")
            }
        }
        return TrainingsView(
            head: shell.head, rows: rows,
            types: CodeTable.trainingTypes.entries.map { SelectOption(value: $0.code, label: $0.name) },
            candidates: candidates, hasCandidates: !candidates.isEmpty, today: ProjectService.today().description,
            title: "\(shell.project.name)：培训")
    }
}
