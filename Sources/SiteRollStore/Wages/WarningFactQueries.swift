import FluentKit
import FluentSQL
import Foundation
import SiteRollCore

/// Reads the facts the warning rules need for a batch of projects: one query per table per batch,
/// never one per worker, so that a run over a province costs a few hundred queries (G4, DESIGN.md
/// Scale). Plain SQL with bound parameters that both SQLite and PostgreSQL accept (STYLE.md: the
/// third query tier, kept inside this one repository type). The statements are the ones the
/// warning benchmark measured (README, "Measured"): change them only with a new measurement.
public struct WarningFactQueries: Sendable {
    let sql: any SQLDatabase
    /// Safety training codes that count for site entry (c.21: 安全教育, 入场教育), as for R2.
    let safetyTrainingTypes: [String]
    /// Where instants become days (Asia/Shanghai).
    let timeZone: TimeZone

    public init(_ database: any Database, safetyTrainingTypes: [String], timeZone: TimeZone) throws {
        self.sql = try database.sql()
        self.safetyTrainingTypes = safetyTrainingTypes
        self.timeZone = timeZone
    }

    /// Ids per `IN (…)` list: well inside SQLite's and PostgreSQL's bind limits.
    public static let chunk = 4_000

    /// Every project, in a stable order (a run walks them in batches).
    public func projects() async throws -> [WarningFacts.Project] {
        let rows = try await sql.raw(
            """
            SELECT id, code, name, division_code, status, contract_signed_on, start_date, pay_day, builder_name,
            contractor_enterprise_id, contractor_name, authority_phone, created_at FROM projects ORDER BY code, id
            """
        ).all()
        return try rows.map { row in
            WarningFacts.Project(
                id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                divisionCode: try row.decode(column: "division_code", as: String.self),
                status: try row.decode(column: "status", as: String.self),
                contractSignedOn: try Self.date(row, "contract_signed_on"), startDate: try Self.date(row, "start_date"),
                payDay: try row.decode(column: "pay_day", as: Int.self),
                builderName: try row.decode(column: "builder_name", as: String?.self),
                contractorEnterpriseID: try row.decode(column: "contractor_enterprise_id", as: UUID.self),
                contractorName: try row.decode(column: "contractor_name", as: String.self),
                authorityPhone: try row.decode(column: "authority_phone", as: String?.self),
                // created_at is the server's own clock when the project was registered.
                registeredOn: LocalDate.today(
                    in: timeZone, now: try row.decode(column: "created_at", as: Date.self)))
        }
    }

    /// Active cards whose number is registered for more than one worker (WW-07), platform-wide.
    public func sharedCards() async throws -> [String: [WarningFacts.Worker]] {
        let rows = try await sql.raw(
            """
            SELECT c.number_hmac, w.id, w.name, w.id_number_masked FROM worker_bank_cards c
            JOIN workers w ON w.id = c.worker_id
            WHERE c.status = 'active' AND c.number_hmac IN (
              SELECT number_hmac FROM worker_bank_cards WHERE status = 'active'
              GROUP BY number_hmac HAVING COUNT(DISTINCT worker_id) > 1)
            """
        ).all()
        var shared: [String: [WarningFacts.Worker]] = [:]
        for row in rows {
            shared[try row.decode(column: "number_hmac", as: String.self), default: []].append(
                WarningFacts.Worker(
                    id: try row.decode(column: "id", as: UUID.self),
                    name: try row.decode(column: "name", as: String.self),
                    masked: try row.decode(column: "id_number_masked", as: String.self)))
        }
        return shared
    }

    /// The facts about `projects` on `today`; pay months from `firstMonth` on. `minimumWageKnown`
    /// is configuration, not data: the caller fills it in.
    public func facts(
        for projects: [WarningFacts.Project], today: LocalDate, firstMonth: PayMonth,
        sharedCards: [String: [WarningFacts.Worker]]
    ) async throws -> WarningFacts {
        var facts = WarningFacts(today: today, projects: projects)
        let ids = projects.map(\.id)
        guard !ids.isEmpty else { return facts }
        facts.sharedCards = sharedCards
        try await readProjectSetup(ids, today: today, into: &facts)
        try await readPay(ids, firstMonth: firstMonth, into: &facts)
        try await readAttendance(ids, from: firstMonth.firstDay, to: PayMonth(containing: today).firstDay, into: &facts)
        try await readWorkforce(ids, today: today, into: &facts)
        return facts
    }

    // MARK: Project set-up: units, account, guarantees, transfers, appointments

    private func readProjectSetup(_ ids: [UUID], today: LocalDate, into facts: inout WarningFacts) async throws {
        for row in try await sql.raw(
            """
            SELECT id, project_id, enterprise_id, name, participation_type FROM project_units
            WHERE project_id IN (\(binds: ids))
            """
        ).all() {
            let unit = WarningFacts.Unit(
                id: try row.decode(column: "id", as: UUID.self),
                projectID: try row.decode(column: "project_id", as: UUID.self),
                enterpriseID: try row.decode(column: "enterprise_id", as: UUID?.self),
                name: try row.decode(column: "name", as: String.self),
                participationType: try row.decode(column: "participation_type", as: String.self))
            facts.units[unit.id] = unit
        }
        for row in try await sql.raw(
            "SELECT project_id, opened_on, number_masked FROM wage_accounts WHERE project_id IN (\(binds: ids))"
        ).all() {
            facts.accounts[try row.decode(column: "project_id", as: UUID.self)] = WarningFacts.Account(
                openedOn: try Self.date(row, "opened_on"),
                masked: try row.decode(column: "number_masked", as: String.self))
        }
        for row in try await sql.raw(
            """
            SELECT project_id, amount_fen, valid_from, valid_until FROM wage_guarantees
            WHERE project_id IN (\(binds: ids))
            """
        ).all() {
            guard let from = try Self.date(row, "valid_from"), let until = try Self.date(row, "valid_until") else {
                continue
            }
            facts.guarantees[try row.decode(column: "project_id", as: UUID.self), default: []].append(
                WarningFacts.Guarantee(
                    amountFen: try row.decode(column: "amount_fen", as: Int64.self), validFrom: from, validUntil: until)
            )
        }
        for row in try await sql.raw(
            """
            SELECT project_id, occurred_on, amount_fen, counterparty_name FROM wage_account_transactions
            WHERE project_id IN (\(binds: ids)) AND direction = 'in' AND kind = 'labour_cost'
            """
        ).all() {
            guard let on = try Self.date(row, "occurred_on") else { continue }
            facts.transfers[try row.decode(column: "project_id", as: UUID.self), default: []].append(
                WarningFacts.Transfer(
                    on: on, amountFen: try row.decode(column: "amount_fen", as: Int64.self),
                    counterparty: try row.decode(column: "counterparty_name", as: String?.self)))
        }
        let day = today.description
        for row in try await sql.raw(
            """
            SELECT project_id, unit_id, role FROM project_managers WHERE project_id IN (\(binds: ids))
            AND starts_on <= \(bind: day) AND (ends_on IS NULL OR ends_on >= \(bind: day))
            """
        ).all() {
            facts.appointments[try row.decode(column: "project_id", as: UUID.self), default: []].append(
                WarningFacts.Appointment(
                    unitID: try row.decode(column: "unit_id", as: UUID.self),
                    role: try row.decode(column: "role", as: String.self)))
        }
    }

    // MARK: Pay: payrolls, lines, monthly totals

    private func readPay(_ ids: [UUID], firstMonth: PayMonth, into facts: inout WarningFacts) async throws {
        let month = firstMonth.description
        for row in try await sql.raw(
            """
            SELECT id, project_id, unit_id, pay_month, code, status FROM payrolls
            WHERE project_id IN (\(binds: ids)) AND pay_month >= \(bind: month)
            """
        ).all() {
            guard let payMonth = PayMonth(try row.decode(column: "pay_month", as: String.self)) else { continue }
            facts.payrolls.append(
                WarningFacts.Payroll(
                    id: try row.decode(column: "id", as: UUID.self),
                    projectID: try row.decode(column: "project_id", as: UUID.self),
                    unitID: try row.decode(column: "unit_id", as: UUID.self), month: payMonth,
                    code: try row.decode(column: "code", as: String.self),
                    status: try row.decode(column: "status", as: String.self)))
        }
        for row in try await sql.raw(
            """
            SELECT l.id, l.payroll_id, l.project_id, l.unit_id, l.worker_id, l.pay_month, l.due_fen, l.paid_fen,
            l.paid_on, l.status, l.failure_reason, l.card_id, l.is_back_pay, l.back_pay_month
            FROM payroll_lines l JOIN payrolls p ON p.id = l.payroll_id
            WHERE l.project_id IN (\(binds: ids)) AND p.status <> 'draft'
            AND (l.pay_month >= \(bind: month) OR l.back_pay_month >= \(bind: month))
            """
        ).all() {
            guard let payMonth = PayMonth(try row.decode(column: "pay_month", as: String.self)) else { continue }
            facts.lines.append(
                WarningFacts.Line(
                    id: try row.decode(column: "id", as: UUID.self),
                    payrollID: try row.decode(column: "payroll_id", as: UUID.self),
                    projectID: try row.decode(column: "project_id", as: UUID.self),
                    unitID: try row.decode(column: "unit_id", as: UUID.self),
                    workerID: try row.decode(column: "worker_id", as: UUID.self), month: payMonth,
                    dueFen: try row.decode(column: "due_fen", as: Int64.self),
                    paidFen: try row.decode(column: "paid_fen", as: Int64.self), paidOn: try Self.date(row, "paid_on"),
                    status: try row.decode(column: "status", as: String.self),
                    failureReason: try row.decode(column: "failure_reason", as: String?.self),
                    cardID: try row.decode(column: "card_id", as: UUID?.self),
                    isBackPay: try row.decode(column: "is_back_pay", as: Bool.self),
                    backPayMonth: try row.decode(column: "back_pay_month", as: String?.self).flatMap { PayMonth($0) }))
        }
        // WW-03 compares all months since the start, so these are totals, not lines.
        for row in try await sql.raw(
            """
            SELECT l.project_id, l.pay_month, CAST(SUM(l.due_fen) AS BIGINT) AS due
            FROM payroll_lines l JOIN payrolls p ON p.id = l.payroll_id
            WHERE l.project_id IN (\(binds: ids)) AND p.status <> 'draft' AND l.is_back_pay = \(bind: false)
            GROUP BY l.project_id, l.pay_month
            """
        ).all() {
            guard let payMonth = PayMonth(try row.decode(column: "pay_month", as: String.self)) else { continue }
            facts.monthlyDue[try row.decode(column: "project_id", as: UUID.self), default: [:]][payMonth] =
                try row.decode(column: "due", as: Int64?.self) ?? 0
        }
    }

    /// A punch counts when accepted, or suspicious and accepted on review (`AttendancePunchModel.counts`).
    static let countedPunch =
        "(a.review_status = 'accepted' OR (a.review_status IS NULL AND a.status = 'accepted'))"

    private func readAttendance(_ ids: [UUID], from: LocalDate, to end: LocalDate, into facts: inout WarningFacts)
        async throws
    {
        for row in try await sql.raw(
            """
            SELECT a.project_id, a.unit_id, a.worker_id, substr(a.local_date, 1, 7) AS month,
            COUNT(DISTINCT a.local_date) AS days FROM attendance_punches a
            WHERE a.project_id IN (\(binds: ids)) AND a.local_date >= \(bind: from.description)
            AND a.local_date < \(bind: end.description) AND \(unsafeRaw: Self.countedPunch)
            GROUP BY a.project_id, a.unit_id, a.worker_id, substr(a.local_date, 1, 7)
            """
        ).all() {
            guard let month = PayMonth(try row.decode(column: "month", as: String.self)) else { continue }
            facts.attendance.append(
                WarningFacts.AttendanceMonth(
                    projectID: try row.decode(column: "project_id", as: UUID.self),
                    unitID: try row.decode(column: "unit_id", as: UUID.self),
                    workerID: try row.decode(column: "worker_id", as: UUID.self), month: month,
                    days: try row.decode(column: "days", as: Int.self)))
        }
    }

    static func date(_ row: any SQLRow, _ column: String) throws -> LocalDate? {
        try row.decode(column: column, as: String?.self).flatMap { LocalDate(String($0.prefix(10))) }
    }
}
