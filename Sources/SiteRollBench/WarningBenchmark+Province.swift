import FluentKit
import FluentSQL
import Foundation
import SiteRollCore
import SiteRollServer
import SiteRollStore

/// The synthetic province of `siteroll bench warnings`: projects spread over Sichuan's counties, each
/// with a general contractor and a labour subcontractor, a team, two managers, workers on site with
/// contracts, training and wage cards, last month's attendance (one punch per working day) and
/// payroll, and this month's attendance of the managers. A few of everything is wrong on purpose, in
/// fixed proportions, so that every rule has something to find.
extension WarningBenchmark {
    struct Province {
        var projects = 0
        var workers = 0
        var punches = 0
        var lines = 0
    }

    /// Seeds the province for a run on `today` (the 21st of a month: last month's pay day has passed).
    static func seed(_ options: Options, today: LocalDate, on database: DatabaseService) async throws -> Province {
        let db = database.database()
        let counties = try DivisionCatalog.sichuan().divisions.filter { $0.level == .county }.map(\.code.rawValue)
        let month = PayMonth(containing: today).nearAdding(months: -1)
        let start = today.nearAdding(days: -180)
        let now = Date()
        var dice = DemoData.Dice(state: 20_261_121)
        var province = Province()
        let contractors = (0..<max(1, options.projects / 10)).map { _ in UUID() }
        let subcontractors = (0..<max(1, options.projects / 5)).map { _ in UUID() }
        try await db.transaction { tx in
            let sql = try tx.sql()
            var rows: [[any Encodable & Sendable]] = []
            for (index, id) in (contractors + subcontractors).enumerated() {
                rows.append([
                    id, index < contractors.count ? "基准总包\(index)建设有限公司" : "基准劳务\(index)有限公司",
                    "9151010\(String(format: "%011d", index))", counties[index % counties.count], "active", now,
                ])
            }
            try await insert(
                sql, "enterprises", ["id", "name", "credit_code", "division_code", "status", "created_at"], rows)
        }
        var workerNumber = 0
        for projectIndex in 0..<options.projects {
            let p = ProjectSeed(
                index: projectIndex, division: counties[projectIndex % counties.count],
                contractor: contractors[projectIndex % contractors.count],
                subcontractor: subcontractors[projectIndex % subcontractors.count])
            var workers: [[any Encodable & Sendable]] = []
            var entries: [[any Encodable & Sendable]] = []
            var contracts: [[any Encodable & Sendable]] = []
            var attendees: [[any Encodable & Sendable]] = []
            var cards: [[any Encodable & Sendable]] = []
            var punches: [[any Encodable & Sendable]] = []
            var lines: [[any Encodable & Sendable]] = []
            var sharedHash: String?
            var manager = UUID()
            for slot in 0..<options.workersPerProject {
                workerNumber += 1
                let worker = UUID()
                let name = "工人\(workerNumber)"
                let isManager = slot == 0
                if isManager { manager = worker }
                let old = dice.next(100) < 3
                let birth = LocalDate(
                    year: old ? 1962 : 1975 + dice.next(25), month: 1 + dice.next(12), day: 1 + dice.next(28))!
                workers.append([
                    worker, name, "sealed", "bench-\(workerNumber)",
                    "5101**********\(String(format: "%04d", workerNumber % 10_000))", p.division, now,
                    birth.description,
                    "W\(String(format: "%010d", workerNumber))", Date().addingTimeInterval(-200 * 86_400),
                ])
                let unit = isManager ? p.mainUnit : p.subUnit
                entries.append([
                    UUID(), p.id, unit, p.team, worker, isManager ? "900" : "020", isManager ? "10" : "20", false,
                    "active", start.nearAdding(days: 10).description, true, "A", now,
                ])
                if dice.next(100) >= 2 {
                    contracts.append([
                        UUID(), p.id, unit, worker, "0", start.description, start.nearAdding(days: 730).description,
                        "day",
                        Int64(30_000), start.description, UUID(), now,
                    ])
                }
                if dice.next(100) >= 1 { attendees.append([UUID(), p.training, worker]) }
                var hash = "card-\(workerNumber)"
                if dice.next(200) == 0 {
                    if let shared = sharedHash { hash = shared } else { sharedHash = hash }
                }
                let card = UUID()
                cards.append([
                    card, worker, "313", "成都银行", dice.next(200) == 0 ? "他人\(workerNumber)" : name, "sealed", hash,
                    "6222****\(String(format: "%04d", workerNumber % 10_000))", "active", now,
                ])
                // Workers: last month, one punch per working day. Managers (paid by the contractor, not
                // on this payroll): this month up to yesterday, except on a few projects where the
                // manager stopped coming a week ago.
                var day = isManager ? PayMonth(containing: today).firstDay : month.firstDay
                let lastManagerDay = p.index % 50 == 7 ? today.nearAdding(days: -8) : today.nearAdding(days: -1)
                var days = 0
                while day <= (isManager ? lastManagerDay : month.lastDay) {
                    defer { day = day.nearAdding(days: 1) }
                    if day.isWeekend { continue }
                    if day <= month.lastDay { days += 1 }
                    punches.append(p.punch(worker: worker, unit: unit, day: day, now: now))
                }
                guard !isManager, p.hasPayroll, dice.next(100) >= 1 else { continue }
                let due = Int64(days) * 30_000
                let paid = dice.next(100) < 2 ? due / 2 : due
                lines.append([
                    UUID(), p.payroll, p.id, p.subUnit, worker, month.description, Double(days), due, Int64(0), due,
                    paid,
                    false, card, paid == due ? "paid" : "failed", now,
                ])
            }
            let rows = (workers, entries, contracts, attendees, cards, punches, lines, manager)
            try await db.transaction { tx in
                let sql = try tx.sql()
                try await p.insertProject(sql, start: start, now: now)
                try await insert(
                    sql, "workers",
                    [
                        "id", "name", "id_number_cipher", "id_number_hmac", "id_number_masked", "division_code",
                        "created_at", "birth_date", "verification_code", "verified_at",
                    ], rows.0)
                try await insert(
                    sql, "project_workers",
                    [
                        "id", "project_id", "unit_id", "team_id", "worker_id", "work_type", "work_role",
                        "is_team_leader", "status", "entry_date", "has_insurance", "active_slot", "created_at",
                    ], rows.1)
                try await insert(
                    sql, "labour_contracts",
                    [
                        "id", "project_id", "unit_id", "worker_id", "period_type", "starts_on", "ends_on", "wage_basis",
                        "rate_fen", "signed_on", "created_by", "created_at",
                    ], rows.2)
                try await insert(sql, "training_attendees", ["id", "training_id", "worker_id"], rows.3)
                try await p.insertAppointments(sql, manager: rows.7, start: start, now: now)
                try await p.insertTransfers(
                    sql, today: today, monthlyFen: Int64(options.workersPerProject) * 22 * 30_000, now: now)
                try await insert(
                    sql, "worker_bank_cards",
                    [
                        "id", "worker_id", "bank_code", "bank_name", "holder_name", "number_cipher", "number_hmac",
                        "number_masked", "status", "created_at",
                    ], rows.4)
                try await insert(sql, "attendance_punches", ProjectSeed.punchColumns, rows.5)
                try await p.insertPayroll(sql, month: month, now: now)
                try await insert(
                    sql, "payroll_lines",
                    [
                        "id", "payroll_id", "project_id", "unit_id", "worker_id", "pay_month", "man_days", "gross_fen",
                        "deduction_fen", "due_fen", "paid_fen", "is_back_pay", "card_id", "status", "updated_at",
                    ], rows.6)
            }
            province.workers += workers.count
            province.punches += punches.count
            province.lines += lines.count
            province.projects += 1
        }
        return province
    }

    /// Multi-row inserts within SQLite's bind limit.
    static func insert(
        _ sql: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]]
    )
        async throws
    {
        let perStatement = max(1, min(1_000, 30_000 / columns.count))
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let builder = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { builder.values(row) }
            try await builder.run()
        }
    }

    /// One project's ids and the proportions of what is wrong with it.
    struct ProjectSeed {
        let index: Int
        let division: String
        let contractor: UUID
        let subcontractor: UUID
        let id = UUID()
        let mainUnit = UUID()
        let subUnit = UUID()
        let team = UUID()
        let training = UUID()
        let payroll = UUID()
        let account = UUID()

        var hasAccount: Bool { index % 20 != 3 }
        var hasLabourOfficer: Bool { index % 10 != 4 }
        var hasPayroll: Bool { index % 50 != 11 }

        static let punchColumns = [
            "id", "project_id", "worker_id", "unit_id", "team_id", "local_date", "punched_at", "direction", "source",
            "dedupe_key", "server_time", "status", "flags", "recorded_by",
        ]

        func punch(worker: UUID, unit: UUID, day: LocalDate, now: Date) -> [any Encodable & Sendable] {
            let time = AttendanceService.instant(day, time: "07:45") ?? now
            return [
                UUID(), id, worker, unit, team, day.description, time, "in", "device",
                "b:\(worker.uuidString):\(day)", time, "accepted", "[]", "bench",
            ]
        }

        func insertProject(_ sql: any SQLDatabase, start: LocalDate, now: Date) async throws {
            try await insert(
                sql, "projects",
                [
                    "id", "code", "name", "category", "status", "division_code", "contractor_enterprise_id",
                    "contractor_credit_code", "contractor_name", "builder_name", "start_date", "contract_signed_on",
                    "pay_day", "authority_phone", "created_by", "created_at",
                ],
                [
                    [
                        id, "\(division)B\(String(format: "%07d", index))", "基准项目\(index)", "01", "003", division,
                        contractor,
                        "bench", "基准总包建设有限公司", "基准建设单位\(index)", start.description,
                        start.nearAdding(days: -20).description, 10, "028-12345", UUID(), now,
                    ]
                ])
            try await insert(
                sql, "project_units",
                ["id", "project_id", "enterprise_id", "credit_code", "name", "participation_type", "created_at"],
                [
                    [mainUnit, id, contractor, "bench-main-\(index)", "基准总包建设有限公司", "009", now],
                    [subUnit, id, subcontractor, "bench-sub-\(index)", "基准劳务有限公司", "006", now],
                ])
            try await insert(
                sql, "teams", ["id", "sys_no", "name", "origin", "project_id", "unit_id", "created_at"],
                [[team, 500_000 + index, "基准班组", "unit", id, subUnit, now]])
            try await insert(
                sql, "trainings",
                ["id", "project_id", "name", "type_code", "held_on", "duration_hours", "trainer", "created_at"],
                [[training, id, "三级安全教育", "003001", start.nearAdding(days: 9).description, 24.0, "安全员", now]])
            if hasAccount {
                try await insert(
                    sql, "wage_accounts",
                    [
                        "id", "project_id", "bank_code", "bank_name", "account_name", "number_cipher", "number_hmac",
                        "number_masked", "opened_on", "created_at",
                    ],
                    [
                        [
                            account, id, "313", "成都银行", "基准总包建设有限公司基准项目\(index)农民工工资专用账户", "sealed",
                            "bench-account-\(index)", "5105****\(String(format: "%04d", index % 10_000))",
                            start.nearAdding(days: -10).description, now,
                        ]
                    ])
                let until = index % 20 == 5 ? start.nearAdding(days: 90) : start.nearAdding(days: 720)
                try await insert(
                    sql, "wage_guarantees",
                    ["id", "project_id", "amount_fen", "form", "valid_from", "valid_until", "created_at"],
                    [
                        [
                            UUID(), id, Int64(100_000_000), "bank", start.nearAdding(days: -10).description,
                            until.description, now,
                        ]
                    ])
            }
        }

        /// The manager (slot 0) is the project manager and, on most projects, the labour officer.
        func insertAppointments(_ sql: any SQLDatabase, manager: UUID, start: LocalDate, now: Date) async throws {
            let roles = hasLabourOfficer ? ["pm", "labour"] : ["pm"]
            try await insert(
                sql, "project_managers",
                ["id", "project_id", "unit_id", "worker_id", "role", "starts_on", "created_at"],
                roles.map { [UUID(), id, mainUnit, manager, $0, start.description, now] })
        }

        /// Labour-cost transfers on the 5th of last month and this month, each covering a month's
        /// wages; a few projects stopped two months ago (WW-02) and a few transfer a quarter (WW-03).
        func insertTransfers(_ sql: any SQLDatabase, today: LocalDate, monthlyFen: Int64, now: Date) async throws {
            guard hasAccount else { return }
            let months = index % 10 == 6 ? 2...3 : 0...1
            let share: Int64 = index % 25 == 9 ? 4 : 1
            try await insert(
                sql, "wage_account_transactions",
                [
                    "id", "wage_account_id", "project_id", "bank_transaction_id", "direction", "kind", "amount_fen",
                    "counterparty_name", "occurred_on", "occurred_at", "simulated", "synced_at",
                ],
                months.map { back in
                    let month = PayMonth(containing: today).nearAdding(months: -back)
                    let day = LocalDate(year: month.year, month: month.month, day: 5)!
                    return [
                        UUID(), account, id, "T\(index)-\(month)", "in", "labour_cost", monthlyFen / share,
                        "基准建设单位\(index)", day.description, now, true, now,
                    ]
                })
        }

        func insertPayroll(_ sql: any SQLDatabase, month: PayMonth, now: Date) async throws {
            guard hasPayroll else { return }
            try await insert(
                sql, "payrolls",
                [
                    "id", "project_id", "unit_id", "pay_month", "scope_key", "code", "status", "source", "created_by",
                    "created_at", "updated_at",
                ],
                [
                    [
                        payroll, id, subUnit, month.description,
                        PayrollModel.scopeKey(unit: subUnit, team: nil, month: month.description), "B\(index)-\(month)",
                        "paid", "generated", UUID(), now, now,
                    ]
                ])
        }
    }
}
