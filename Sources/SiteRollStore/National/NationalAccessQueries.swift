import FluentKit
import FluentSQL
import Foundation

/// The figures of connected systems (issue 15 item 4, A1: "usage is visible") and the two
/// updates of a national app that must not race: one SQL for SQLite and PostgreSQL, grouped in
/// the database rather than counted row by row in the server.
public struct NationalAccessQueries: Sendable {
    public let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// One app's calls since a moment: how many, how many by answer code, the last one.
    public struct CallFigures: Sendable, Equatable {
        public var calls = 0
        public var byCode: [Int: Int] = [:]
        public var lastCallAt: Date?

        public init() {}

        /// Calls answered with something other than 0.
        public var errors: Int { byCode.filter { $0.key != 0 }.values.reduce(0, +) }
    }

    /// Calls of each app in `appIDs` since `since`, grouped by app and code in one statement.
    public func callFigures(appIDs: [String], since: Date) async throws -> [String: CallFigures] {
        guard !appIDs.isEmpty else { return [:] }
        let sql = try database.sql()
        var figures: [String: CallFigures] = [:]
        for start in stride(from: 0, to: appIDs.count, by: 500) {
            let slice = Array(appIDs[start..<min(start + 500, appIDs.count)])
            let rows = try await sql.raw(
                """
                SELECT app_id, code, COUNT(*) AS calls, MAX(at) AS last_at FROM national_calls
                WHERE at >= \(bind: since) AND app_id IN (\(binds: slice)) GROUP BY app_id, code
                """
            ).all()
            for row in rows {
                let appID = try row.decode(column: "app_id", as: String.self)
                let code = try row.decode(column: "code", as: Int.self)
                let calls = try row.decode(column: "calls", as: Int.self)
                let last = try row.decode(column: "last_at", as: Date?.self)
                var entry = figures[appID] ?? CallFigures()
                entry.calls += calls
                entry.byCode[code, default: 0] += calls
                if let last, entry.lastCallAt.map({ $0 < last }) ?? true { entry.lastCallAt = last }
                figures[appID] = entry
            }
        }
        return figures
    }

    /// The last punch each gate device's credential delivered, by credential id.
    public func lastPunches(credentialIDs: [UUID]) async throws -> [UUID: Date] {
        guard !credentialIDs.isEmpty else { return [:] }
        let sql = try database.sql()
        var last: [UUID: Date] = [:]
        for start in stride(from: 0, to: credentialIDs.count, by: 500) {
            let slice = Array(credentialIDs[start..<min(start + 500, credentialIDs.count)])
            let rows = try await sql.raw(
                """
                SELECT d.app_credential_id AS credential, MAX(p.server_time) AS last_at
                FROM attendance_devices d JOIN attendance_punches p ON p.device_id = d.id AND p.project_id = d.project_id
                WHERE d.app_credential_id IN (\(binds: slice)) GROUP BY d.app_credential_id
                """
            ).all()
            for row in rows {
                if let at = try row.decode(column: "last_at", as: Date?.self) {
                    last[try row.decode(column: "credential", as: UUID.self)] = at
                }
            }
        }
        return last
    }

    /// Takes the pending reveal of a credential's secret: true for exactly one caller, however
    /// many ask at once (the secret is shown once).
    public func claimReveal(_ credentialID: UUID) async throws -> Bool {
        try await database.sql().raw(
            """
            UPDATE app_credentials SET secret_reveal_pending = \(bind: false)
            WHERE id = \(bind: credentialID) AND secret_reveal_pending = \(bind: true) RETURNING id
            """
        ).first() != nil
    }

    /// Records an accepted call as the app's last use; written at most once a minute per app.
    public func touch(_ credentialID: UUID, at now: Date) async throws {
        try await database.sql().raw(
            """
            UPDATE app_credentials SET last_used_at = \(bind: now)
            WHERE id = \(bind: credentialID) AND (last_used_at IS NULL OR last_used_at < \(bind: now.addingTimeInterval(-60)))
            """
        ).run()
    }

    /// Moves a pending application to its decision: true for exactly one caller, so an approval
    /// and a withdrawal (or two approvals) at the same moment cannot both happen.
    public func decide(
        _ applicationID: UUID, to status: String, at now: Date, by accountID: UUID, name: String, reason: String?
    ) async throws -> Bool {
        try await database.sql().raw(
            """
            UPDATE national_access_applications SET status = \(bind: status), decided_at = \(bind: now),
            decided_by_account_id = \(bind: accountID), decided_by_name = \(bind: name), decision_reason = \(bind: reason)
            WHERE id = \(bind: applicationID) AND status = \(bind: NationalAccessApplicationModel.pending) RETURNING id
            """
        ).first() != nil
    }
}
