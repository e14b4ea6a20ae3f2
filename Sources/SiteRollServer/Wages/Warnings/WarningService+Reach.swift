import FluentKit
import FluentSQL
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

    /// The reach as a SQL predicate over `wage_warnings`, with the filters.
    func predicate(_ scope: AccessScope, _ filter: Filter = Filter(), counting: Bool = false) async throws
        -> SQLQueryString
    {
        var clause: SQLQueryString
        switch scope {
        case .division(let division):
            clause = "division_code LIKE \(bind: division.scopePrefix + "%")"
        case .enterprise(let id, _):
            let db = database.database()
            let own = try await ProjectModel.query(on: db).filter(\.$contractorEnterpriseID == id).all(\.$id)
            let units = try await ProjectUnitModel.query(on: db).filter(\.$enterpriseID == id).all()
            let joined = Set(units.map(\.projectID)).subtracting(own)
            clause = "(enterprise_id = \(bind: id)"
            if !own.isEmpty { clause = "\(clause) OR project_id IN (\(binds: own))" }
            if !units.isEmpty { clause = "\(clause) OR unit_id IN (\(binds: units.compactMap(\.id)))" }
            if !joined.isEmpty { clause = "\(clause) OR (project_id IN (\(binds: Array(joined))) AND unit_id IS NULL)" }
            clause = "\(clause))"
        case .worker(let id, _):
            clause =
                "worker_id = \(bind: id) AND rule_id IN (\(binds: Self.workerRules.map(\.rawValue)))"
        }
        if !counting, let rule = filter.rule { clause = "\(clause) AND rule_id = \(bind: rule.rawValue)" }
        if !counting, let statuses = filter.statuses {
            clause = "\(clause) AND status IN (\(binds: statuses.map(\.rawValue)))"
        }
        if let ids = filter.projectIDs {
            clause = ids.isEmpty ? "\(clause) AND 1 = 0" : "\(clause) AND project_id IN (\(binds: ids))"
        }
        if let prefix = filter.divisionPrefix { clause = "\(clause) AND division_code LIKE \(bind: prefix + "%")" }
        return clause
    }

    /// Warnings within reach, most urgent first: active before handled, then by severity.
    func list(in scope: AccessScope, _ filter: Filter = Filter(), limit: Int = 200, offset: Int = 0) async throws
        -> (rows: [WageWarningModel], total: Int)
    {
        let sql = try database.sql()
        let clause = try await predicate(scope, filter)
        let total =
            try await sql.raw("SELECT COUNT(*) AS n FROM wage_warnings WHERE \(clause)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.raw(
            """
            SELECT * FROM wage_warnings WHERE \(clause)
            ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 WHEN 'dismissed' THEN 2 ELSE 3 END,
            CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, due_on, rule_id, subject_label
            LIMIT \(literal: max(1, min(limit, 500))) OFFSET \(literal: max(0, offset))
            """
        ).all()
        return (try rows.map { try $0.decode(fluentModel: WageWarningModel.self) }, total)
    }

    /// Counts per rule and status within reach (the board's table), ignoring the rule and status filters.
    func counts(in scope: AccessScope, _ filter: Filter = Filter()) async throws
        -> [WarningRuleID: [WarningStatus: Int]]
    {
        let sql = try database.sql()
        let clause = try await predicate(scope, filter, counting: true)
        var counts: [WarningRuleID: [WarningStatus: Int]] = [:]
        for row in try await sql.raw(
            "SELECT rule_id, status, COUNT(*) AS n FROM wage_warnings WHERE \(clause) GROUP BY rule_id, status"
        ).all() {
            guard let rule = WarningRuleID(rawValue: try row.decode(column: "rule_id", as: String.self)),
                let status = WarningStatus(rawValue: try row.decode(column: "status", as: String.self))
            else { continue }
            counts[rule, default: [:]][status] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Open and acknowledged warnings within reach (home page figure).
    func activeCount(in scope: AccessScope) async throws -> Int {
        try await list(in: scope, Filter(), limit: 1).total
    }

    /// The warning, if the scope reaches it; nil reads as 404.
    func find(_ id: UUID, in scope: AccessScope) async throws -> WageWarningModel? {
        let sql = try database.sql()
        let clause = try await predicate(scope, Filter(statuses: nil))
        guard
            try await sql.raw("SELECT id FROM wage_warnings WHERE id = \(bind: id) AND \(clause)").first() != nil
        else { return nil }
        return try await WageWarningModel.find(id, on: database.database())
    }

    /// Audit events about one warning (acknowledged, dismissed, reopened), oldest first.
    func history(of id: UUID) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: database.database()).filter(\.$entityType == "wage_warning")
            .filter(\.$entityID == id.uuidString).sort(\.$sequence).all()
    }
}
