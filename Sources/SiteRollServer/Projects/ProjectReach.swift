import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Who reaches which project, and what they may change there (DESIGN.md: an enterprise's reach is
/// itself and the projects it takes part in; a regulator's is its division; a worker's is the
/// projects they work on). Every project service asks here, so the rule is written once.
struct ProjectReach: Sendable {
    let database: DatabaseService

    /// How a viewer stands towards one project.
    enum Standing: Sendable, Equatable {
        case regulator
        /// The general contractor: manages the whole project.
        case contractor
        /// A participating unit's staff: manages that unit's teams, contracts and workers.
        case unit(Set<UUID>)
        case worker
    }

    /// Project ids a scope reaches; nil for a regulator, whose reach is a division prefix.
    func projectIDs(for scope: AccessScope) async throws -> [UUID]? {
        let db = database.database()
        switch scope {
        case .division:
            return nil
        case .enterprise(let id, _):
            let own = try await ProjectModel.query(on: db).filter(\.$contractorEnterpriseID == id).all(\.$id)
            let joined = try await ProjectUnitModel.query(on: db).filter(\.$enterpriseID == id).all(\.$projectID)
            return Array(Set(own + joined))
        case .worker(let id, _):
            let ids = try await ProjectWorkerModel.query(on: db).filter(\.$workerID == id).all(\.$projectID)
            return Array(Set(ids))
        }
    }

    /// The project, if the scope reaches it, with the viewer's standing; nil reads as 404.
    func project(_ id: UUID, in scope: AccessScope) async throws -> (ProjectModel, Standing)? {
        let db = database.database()
        guard let project = try await ProjectModel.find(id, on: db) else { return nil }
        switch scope {
        case .division(let division):
            guard DivisionCode(project.divisionCode).map(division.reaches) == true else { return nil }
            return (project, .regulator)
        case .enterprise(let enterpriseID, _):
            if project.contractorEnterpriseID == enterpriseID { return (project, .contractor) }
            let units = try await ProjectUnitModel.query(on: db).filter(\.$projectID == id)
                .filter(\.$enterpriseID == enterpriseID).all(\.$id)
            return units.isEmpty ? nil : (project, .unit(Set(units.compactMap { $0 })))
        case .worker(let workerID, _):
            let count = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == id)
                .filter(\.$workerID == workerID).count()
            return count > 0 ? (project, .worker) : nil
        }
    }

    /// The project for a change: refuses viewers who only read.
    func projectForChange(_ id: UUID, in scope: AccessScope) async throws -> (ProjectModel, Standing) {
        guard let (project, standing) = try await project(id, in: scope) else { throw AppError.notFound }
        switch standing {
        case .contractor, .unit: return (project, standing)
        case .regulator, .worker: throw AppError.forbidden
        }
    }
}

extension ProjectReach.Standing {
    var isContractor: Bool { self == .contractor }

    /// Enterprises taking part change things; regulators and workers read.
    var canChange: Bool {
        switch self {
        case .contractor, .unit: true
        case .regulator, .worker: false
        }
    }

    /// Whether this standing may act for `unitID` (the general contractor acts for every unit).
    func manages(unit unitID: UUID) -> Bool {
        switch self {
        case .contractor: true
        case .unit(let units): units.contains(unitID)
        case .regulator, .worker: false
        }
    }

    /// Whether this standing reads `unitID`'s payrolls, payments and reconciliation: regulators and
    /// the general contractor see every unit; a unit's staff only their own (S1, E9). Workers read
    /// their own lines through their own pages, never a unit's.
    func sees(unit unitID: UUID) -> Bool {
        switch self {
        case .regulator, .contractor: true
        case .unit(let units): units.contains(unitID)
        case .worker: false
        }
    }

    /// The dedicated account's balance and statement carry every unit's workers and the builder's
    /// transfers: the general contractor (who holds the account) and regulators read them.
    var seesProjectAccount: Bool {
        switch self {
        case .regulator, .contractor: true
        case .unit, .worker: false
        }
    }

    /// The units this standing's wage views are limited to; nil for all of them.
    var unitLimit: Set<UUID>? {
        switch self {
        case .regulator, .contractor: nil
        case .unit(let units): units
        case .worker: []
        }
    }

    func requireProjectAccount() throws {
        guard seesProjectAccount else {
            throw AppError(
                .forbidden, code: "ACCOUNT_CONTRACTOR_ONLY",
                message: "农民工工资专用账户的余额和流水只有总承包单位和主管部门可以查看；本单位工资的发放情况请在各工资表的“代发”页面查看")
        }
    }

    func requireContractor() throws {
        guard isContractor else {
            throw AppError(.forbidden, code: "CONTRACTOR_ONLY", message: "此项操作须由项目的总承包单位办理")
        }
    }

    func requireUnit(_ unitID: UUID) throws {
        guard manages(unit: unitID) else {
            throw AppError(.forbidden, code: "UNIT_NOT_MANAGED", message: "只能办理本单位在该项目上的事项")
        }
    }
}
