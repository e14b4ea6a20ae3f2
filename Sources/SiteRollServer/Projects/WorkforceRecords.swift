import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Read models over the workforce tables: the entry/exit ledgers of a project (G2) and a worker's
/// employment history (M5, G10). Names are resolved here once so pages and exports agree.
struct WorkforceRecords: Sendable {
    let database: DatabaseService

    struct LedgerRow: Sendable {
        var date: String
        var isEntry: Bool
        var subject: String
        var unit: String
        var team: String
        var worker: String
        var maskedNumber: String
        var reason: String
        var recordedBy: String
    }

    struct LedgerFilter: Sendable {
        /// `team` or `worker` (units appear in the team ledger too).
        var subject = "worker"
        var unitID: UUID?
        var teamID: UUID?
        var from: String?
        var to: String?
        var name = ""
    }

    func ledger(project projectID: UUID, filter: LedgerFilter, limit: Int = 5000) async throws -> [LedgerRow] {
        let db = database.database()
        var query = EntryExitRecordModel.query(on: db).filter(\.$projectID == projectID)
        query = filter.subject == "worker" ? query.filter(\.$subject == "worker") : query.filter(\.$subject != "worker")
        if let unit = filter.unitID { query = query.filter(\.$unitID == unit) }
        if let team = filter.teamID { query = query.filter(\.$teamID == team) }
        if let from = filter.from { query = query.filter(\.$date >= from) }
        if let to = filter.to { query = query.filter(\.$date <= to) }
        let records = try await query.sort(\.$date, .descending).sort(\.$createdAt, .descending).limit(limit).all()
        let units = try await ProjectUnitModel.query(on: db).filter(\.$projectID == projectID).all()
        let teams = try await TeamModel.query(on: db).filter(\.$projectID == projectID).all()
        let workers = try await WorkerModel.query(on: db).filter(
            \.$id ~~ Set(records.compactMap(\.workerID)).map { $0 }
        )
        .all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        let people = Dictionary(uniqueKeysWithValues: workers.map { ($0.uuid, $0) })
        let needle = filter.name.trimmingCharacters(in: .whitespaces)
        return records.compactMap { record in
            let person = record.workerID.flatMap { people[$0] }
            let row = LedgerRow(
                date: record.date, isEntry: record.type == 1,
                subject: record.subject == "worker" ? "工人" : record.subject == "team" ? "班组" : "参建单位",
                unit: unitNames[record.unitID] ?? "", team: record.teamID.flatMap { teamNames[$0] } ?? "",
                worker: person?.name ?? "", maskedNumber: person?.idNumberMasked ?? "", reason: record.reason ?? "",
                recordedBy: record.recordedBy)
            if !needle.isEmpty, !(row.worker.contains(needle) || row.team.contains(needle) || row.unit.contains(needle))
            {
                return nil
            }
            return row
        }
    }

    // MARK: A worker's records

    struct Employment: Sendable {
        var projectID: UUID
        var projectName: String
        var projectCode: String
        var division: String
        var unit: String
        var team: String
        var workType: String
        var role: String
        var entryDate: String
        var exitDate: String
        var active: Bool
    }

    struct ContractLine: Sendable {
        var id: UUID
        var projectID: UUID
        var projectName: String
        var unit: String
        var period: String
        var term: String
        var wage: String
        var signedOn: String
        var hasFile: Bool
    }

    struct TrainingLine: Sendable {
        var date: String
        var name: String
        var type: String
        var hours: String
        var projectName: String
    }

    struct History: Sendable {
        var employments: [Employment]
        var contracts: [ContractLine]
        var trainings: [TrainingLine]
        var movements: [LedgerRow]
        var employers: [String]
        var teams: [String]
    }

    /// Everything the platform knows about where a worker has worked. `within` limits the projects
    /// to a regulator's division (G10: regulators see history in their division).
    func history(of worker: WorkerModel, within division: DivisionCode? = nil) async throws -> History {
        let db = database.database()
        let workerID = worker.uuid
        let entries = try await ProjectWorkerModel.query(on: db).filter(\.$workerID == workerID)
            .sort(\.$entryDate, .descending).all()
        let contracts = try await LabourContractModel.query(on: db).filter(\.$workerID == workerID)
            .sort(\.$startsOn, .descending).all()
        let attended = try await TrainingAttendeeModel.query(on: db).filter(\.$workerID == workerID).all(\.$trainingID)
        let trainings = try await TrainingModel.query(on: db).filter(\.$id ~~ attended).sort(\.$heldOn, .descending)
            .all()
        let projectIDs = Set(entries.map(\.projectID) + contracts.map(\.projectID) + trainings.map(\.projectID))
        var projects = try await ProjectModel.query(on: db).filter(\.$id ~~ Array(projectIDs)).all()
        if let division { projects = projects.filter { DivisionCode($0.divisionCode).map(division.reaches) == true } }
        let byProject = Dictionary(uniqueKeysWithValues: projects.map { ($0.uuid, $0) })
        let units = try await ProjectUnitModel.query(on: db).filter(\.$projectID ~~ Array(projectIDs)).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let teams = try await TeamModel.query(on: db).filter(\.$id ~~ entries.map(\.teamID)).all()
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        let movements = try await EntryExitRecordModel.query(on: db).filter(\.$workerID == workerID)
            .sort(\.$date, .descending).all()
        let employments = entries.compactMap { entry -> Employment? in
            guard let project = byProject[entry.projectID] else { return nil }
            return Employment(
                projectID: entry.projectID, projectName: project.name, projectCode: project.code,
                division: project.divisionCode, unit: unitNames[entry.unitID] ?? "",
                team: teamNames[entry.teamID] ?? "",
                workType: CodeTable.workTypes.name(of: entry.workType) ?? entry.workType,
                role: CodeTable.workRoles.name(of: entry.workRole) ?? entry.workRole, entryDate: entry.entryDate,
                exitDate: entry.exitDate ?? "", active: entry.isActive)
        }
        return History(
            employments: employments,
            contracts: contracts.compactMap { contract in
                guard let project = byProject[contract.projectID] else { return nil }
                return ContractLine(
                    id: contract.uuid, projectID: project.uuid, projectName: project.name,
                    unit: unitNames[contract.unitID] ?? "",
                    period: CodeTable.contractPeriodTypes.name(of: contract.periodType) ?? "",
                    term: "\(contract.startsOn) 至 \(contract.endsOn ?? "工作任务完成")",
                    wage: Self.wageText(contract), signedOn: contract.signedOn, hasFile: contract.fileCipher != nil)
            },
            trainings: trainings.compactMap { training in
                guard let project = byProject[training.projectID] else { return nil }
                return TrainingLine(
                    date: training.heldOn, name: training.name,
                    type: CodeTable.trainingTypes.name(of: training.typeCode) ?? "",
                    hours: String(format: "%.1f", training.durationHours), projectName: project.name)
            },
            movements: movements.compactMap { record in
                guard let project = byProject[record.projectID] else { return nil }
                return LedgerRow(
                    date: record.date, isEntry: record.type == 1, subject: project.name,
                    unit: unitNames[record.unitID] ?? "", team: record.teamID.flatMap { teamNames[$0] } ?? "",
                    worker: worker.name, maskedNumber: worker.idNumberMasked, reason: record.reason ?? "",
                    recordedBy: record.recordedBy)
            },
            employers: Array(Set(employments.map(\.unit))).sorted(),
            teams: Array(Set(employments.map(\.team))).sorted())
    }

    /// "日薪 350.00 元", "月薪 6,000.00 元", "计件 12.50 元/平方米".
    static func wageText(_ contract: LabourContractModel) -> String {
        let amount = Money.yuan(contract.rateFen)
        switch contract.wageBasis {
        case "day": return "日薪 \(amount) 元"
        case "month": return "月薪 \(amount) 元"
        default:
            return "计件 \(amount) 元/\(contract.pieceUnit.flatMap { CodeTable.pieceUnits.name(of: $0) } ?? "件")"
        }
    }
}
