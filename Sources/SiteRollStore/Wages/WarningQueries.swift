import FluentKit
import FluentSQL
import Foundation
import SiteRollCore

/// Which stored warnings a reader sees (the server decides the reach from the caller's scope; this
/// is its plain form), with the board's filters.
public struct WarningSelection: Sendable {
    public enum Reach: Sendable {
        /// A regulator: warnings filed under the division code prefix.
        case divisionPrefix(String)
        /// An enterprise: warnings addressed to it, all of the projects it contracts, those about
        /// its units, and the project-wide ones (no unit) of the projects it joined.
        case enterprise(UUID, contractedProjects: [UUID], units: [UUID], joinedProjects: [UUID])
        /// A worker: the warnings about their own pay, of these rules.
        case worker(UUID, rules: [WarningRuleID])
    }

    public var reach: Reach
    public var rule: WarningRuleID?
    /// nil: every status.
    public var statuses: [WarningStatus]?
    /// nil: every project; empty: none.
    public var projectIDs: [UUID]?
    public var divisionPrefix: String?

    public init(
        _ reach: Reach, rule: WarningRuleID? = nil, statuses: [WarningStatus]? = nil, projectIDs: [UUID]? = nil,
        divisionPrefix: String? = nil
    ) {
        self.reach = reach
        self.rule = rule
        self.statuses = statuses
        self.projectIDs = projectIDs
        self.divisionPrefix = divisionPrefix
    }
}

/// The wage-warning tables (G4) where FluentKit's builder is not enough: reads within a reach,
/// bulk updates of a run, and the run lease. Plain SQL with bound parameters that SQLite and
/// PostgreSQL both accept, except the lease lock (`lockRuns`).
public struct WarningQueries: Sendable {
    public let database: any Database

    /// The database or the transaction to work in.
    public init(_ database: any Database) { self.database = database }

    // MARK: The run lease

    /// Serialises run claims until the transaction ends. PostgreSQL: a self-conflicting table lock
    /// (two processes claiming at once queue, and the second sees the first's running row). SQLite:
    /// nothing to do, its one connection already runs one transaction at a time.
    public func lockRuns() async throws {
        let sql = try database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("LOCK TABLE warning_runs IN SHARE ROW EXCLUSIVE MODE").run()
    }

    // MARK: Reads within a reach

    /// Warnings within the selection, most urgent first: active before handled, then by severity;
    /// with the number of all that match.
    public func list(_ selection: WarningSelection, limit: Int, offset: Int) async throws
        -> (rows: [WageWarningModel], total: Int)
    {
        let sql = try database.sql()
        let clause = Self.predicate(selection)
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

    /// One project's warnings under one rule (issue 14 item 7): the board's grouped view.
    public struct Group: Sendable {
        public var projectID: UUID?
        public var ruleID: String
        public var count: Int
        public var open: Int
        /// 0 high, 1 medium, 2 low: the most severe warning of the group.
        public var severityRank: Int
        public var firstDue: String?
        public var addressee: String
        public var sample: String
    }

    /// Groups by project and rule within the selection, most urgent first (severity, then the
    /// earliest due date, then size); with the number of groups.
    public func groups(_ selection: WarningSelection, limit: Int, offset: Int) async throws
        -> (groups: [Group], total: Int)
    {
        let sql = try database.sql()
        let clause = Self.predicate(selection)
        let total =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM wage_warnings WHERE \(clause) GROUP BY project_id, rule_id) g"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.raw(
            """
            SELECT project_id, rule_id, COUNT(*) AS n,
            SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_n,
            MIN(CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END) AS severity_rank,
            MIN(due_on) AS first_due, MIN(addressee) AS addressee, MIN(subject_label) AS sample
            FROM wage_warnings WHERE \(clause)
            GROUP BY project_id, rule_id
            ORDER BY severity_rank, COALESCE(MIN(due_on), '9999-12-31'), COUNT(*) DESC, rule_id,
            MIN(addressee), MIN(subject_label), MIN(division_code)
            LIMIT \(literal: max(1, min(limit, 500))) OFFSET \(literal: max(0, offset))
            """
        ).all()
        return (
            try rows.map { row in
                Group(
                    projectID: try row.decodeNil(column: "project_id")
                        ? nil : try row.decode(column: "project_id", as: UUID.self),
                    ruleID: try row.decode(column: "rule_id", as: String.self),
                    count: try row.decode(column: "n", as: Int.self),
                    open: try row.decode(column: "open_n", as: Int?.self) ?? 0,
                    severityRank: try row.decode(column: "severity_rank", as: Int.self),
                    firstDue: try row.decode(column: "first_due", as: String?.self),
                    addressee: try row.decode(column: "addressee", as: String?.self) ?? "",
                    sample: try row.decode(column: "sample", as: String?.self) ?? "")
            }, total
        )
    }

    /// Counts per rule and status within the selection (rows of unknown rules or statuses left out).
    public func counts(_ selection: WarningSelection) async throws -> [WarningRuleID: [WarningStatus: Int]] {
        let sql = try database.sql()
        let clause = Self.predicate(selection)
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

    /// Whether the warning is within the selection.
    public func contains(_ id: UUID, _ selection: WarningSelection) async throws -> Bool {
        let sql = try database.sql()
        let clause = Self.predicate(selection)
        return try await sql.raw("SELECT id FROM wage_warnings WHERE id = \(bind: id) AND \(clause)").first() != nil
    }

    /// The selection as a predicate over `wage_warnings`.
    static func predicate(_ selection: WarningSelection) -> SQLQueryString {
        var clause: SQLQueryString
        switch selection.reach {
        case .divisionPrefix(let prefix):
            clause = "division_code LIKE \(bind: prefix + "%")"
        case .enterprise(let id, let own, let units, let joined):
            clause = "(enterprise_id = \(bind: id)"
            if !own.isEmpty { clause = "\(clause) OR project_id IN (\(binds: own))" }
            if !units.isEmpty { clause = "\(clause) OR unit_id IN (\(binds: units))" }
            if !joined.isEmpty { clause = "\(clause) OR (project_id IN (\(binds: joined)) AND unit_id IS NULL)" }
            clause = "\(clause))"
        case .worker(let id, let rules):
            clause = "worker_id = \(bind: id) AND rule_id IN (\(binds: rules.map(\.rawValue)))"
        }
        if let rule = selection.rule { clause = "\(clause) AND rule_id = \(bind: rule.rawValue)" }
        if let statuses = selection.statuses {
            clause = "\(clause) AND status IN (\(binds: statuses.map(\.rawValue)))"
        }
        if let ids = selection.projectIDs {
            clause = ids.isEmpty ? "\(clause) AND 1 = 0" : "\(clause) AND project_id IN (\(binds: ids))"
        }
        if let prefix = selection.divisionPrefix {
            clause = "\(clause) AND division_code LIKE \(bind: prefix + "%")"
        }
        return clause
    }

    // MARK: A run's bulk updates

    /// Marks the warnings as seen again at `now` (still present, nothing else changed).
    public func touch(_ ids: [UUID], at now: Date) async throws {
        let sql = try database.sql()
        for start in stride(from: 0, to: ids.count, by: WarningFactQueries.chunk) {
            let slice = Array(ids[start..<min(start + WarningFactQueries.chunk, ids.count)])
            try await sql.raw("UPDATE wage_warnings SET last_seen_at = \(bind: now) WHERE id IN (\(binds: slice))")
                .run()
        }
    }

    /// Resolves the warnings at `now`, with the reason.
    public func resolve(_ ids: [UUID], resolution: String, at now: Date) async throws {
        let sql = try database.sql()
        for start in stride(from: 0, to: ids.count, by: WarningFactQueries.chunk) {
            let slice = Array(ids[start..<min(start + WarningFactQueries.chunk, ids.count)])
            try await sql.raw(
                """
                UPDATE wage_warnings SET status = 'resolved', resolved_at = \(bind: now),
                resolution = \(bind: resolution) WHERE id IN (\(binds: slice))
                """
            ).run()
        }
    }
}
