import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Who sees which warnings, written once for boards, detail pages and counts (DESIGN.md reach):
/// a regulator its division prefix; an enterprise the warnings addressed to it, those about its
/// units, and — as general contractor, which supervises every unit (W9, W11) — all of its
/// projects', plus the project-wide ones of projects it takes part in; a worker those about their
/// own pay.
extension WarningService {
    /// Rules a worker's phone shows: their own pay (WW-05, WW-06) and card (WW-07).
    static let workerRules: [WarningRuleID] = [.ww05, .ww06, .ww07]

    struct Filter: Sendable {
        var rule: WarningRuleID?
        /// nil: every status; `active`: open or acknowledged.
        var statuses: [WarningStatus]? = [.open, .acknowledged]
        var projectIDs: [UUID]?
        var divisionPrefix: String?
    }

    /// The reach of `scope` with the filters, as `WarningQueries` reads it. Counting ignores the
    /// rule and status filters.
    func selection(_ scope: AccessScope, _ filter: Filter = Filter(), counting: Bool = false) async throws
        -> WarningSelection
    {
        let reach: WarningSelection.Reach
        switch scope {
        case .division(let division):
            reach = .divisionPrefix(division.scopePrefix)
        case .enterprise(let id, _):
            let db = database.database()
            let own = try await ProjectModel.query(on: db).filter(\.$contractorEnterpriseID == id).all(\.$id)
            let units = try await ProjectUnitModel.query(on: db).filter(\.$enterpriseID == id).all()
            let joined = Set(units.map(\.projectID)).subtracting(own)
            reach = .enterprise(
                id, contractedProjects: own, units: units.compactMap(\.id), joinedProjects: Array(joined))
        case .worker(let id, _):
            reach = .worker(id, rules: Self.workerRules)
        }
        return WarningSelection(
            reach, rule: counting ? nil : filter.rule, statuses: counting ? nil : filter.statuses,
            projectIDs: filter.projectIDs, divisionPrefix: filter.divisionPrefix)
    }

    /// Warnings within reach, most urgent first: active before handled, then by severity.
    func list(in scope: AccessScope, _ filter: Filter = Filter(), limit: Int = 200, offset: Int = 0) async throws
        -> (rows: [WageWarningModel], total: Int)
    {
        try await WarningQueries(database.database()).list(
            try await selection(scope, filter), limit: limit, offset: offset)
    }

    /// Warnings within reach grouped by project and rule (the board's first view).
    func groups(in scope: AccessScope, _ filter: Filter = Filter(), limit: Int, offset: Int) async throws
        -> (groups: [WarningQueries.Group], total: Int)
    {
        try await WarningQueries(database.database()).groups(
            try await selection(scope, filter), limit: limit, offset: offset)
    }

    /// Counts per rule and status within reach (the board's table), ignoring the rule and status filters.
    func counts(in scope: AccessScope, _ filter: Filter = Filter()) async throws
        -> [WarningRuleID: [WarningStatus: Int]]
    {
        try await WarningQueries(database.database()).counts(try await selection(scope, filter, counting: true))
    }

    /// Open and acknowledged warnings within reach (home page figure).
    func activeCount(in scope: AccessScope) async throws -> Int {
        try await list(in: scope, Filter(), limit: 1).total
    }

    /// The warning, if the scope reaches it; nil reads as 404.
    func find(_ id: UUID, in scope: AccessScope) async throws -> WageWarningModel? {
        let db = database.database()
        guard try await WarningQueries(db).contains(id, try await selection(scope, Filter(statuses: nil))) else {
            return nil
        }
        return try await WageWarningModel.find(id, on: db)
    }

    /// Audit events about one warning (acknowledged, dismissed, reopened), oldest first.
    func history(of id: UUID) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: database.database()).filter(\.$entityType == "wage_warning")
            .filter(\.$entityID == id.uuidString).sort(\.$sequence).all()
    }
}
