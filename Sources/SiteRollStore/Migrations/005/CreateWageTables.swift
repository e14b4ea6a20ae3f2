import FluentKit
import FluentSQL

/// Workers' wage cards (W1, W12: one card per person, held by the worker). The number is sealed
/// with its keyed hash beside it; the hash is not unique, so that a card registered for two
/// workers is found and warned about (WW-07) rather than silently refused.
struct CreateWorkerBankCard: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("worker_bank_cards")
            .id()
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("bank_code", .string, .required)
            .field("bank_name", .string, .required)
            .field("holder_name", .string, .required)
            .field("number_cipher", .string, .required)
            .field("number_hmac", .string, .required)
            .field("number_masked", .string, .required)
            .field("status", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "worker_bank_cards_hmac").on("worker_bank_cards").column("number_hmac").run()
            try await sql.create(index: "worker_bank_cards_worker").on("worker_bank_cards").column("worker_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("worker_bank_cards").delete()
    }
}

/// Payrolls (Payroll.Add header) and their lines (detailList), b.6; W4 wage ledger, kept 3 years.
/// `scope_key` (unit, team or "all", month) makes one payroll per scope and month.
struct CreatePayroll: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("payrolls")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("project_units", "id"))
            .field("team_id", .uuid, .references("teams", "id"))
            .field("pay_month", .string, .required)
            .field("scope_key", .string, .required)
            .field("code", .string, .required)
            .field("status", .string, .required)
            .field("source", .string, .required)
            .field("scan_name", .string)
            .field("scan_type", .string)
            .field("scan_size", .int)
            .field("scan_sha256", .string)
            .field("scan_cipher", .data)
            .field("overrides", .string)
            .field("submitted_at", .datetime)
            .field("submitted_by", .uuid)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "scope_key")
            .unique(on: "code")
            .create()
        try await database.schema("payroll_lines")
            .id()
            .field("payroll_id", .uuid, .required, .references("payrolls", "id", onDelete: .cascade))
            .field("project_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("team_id", .uuid)
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("pay_month", .string, .required)
            .field("man_days", .double, .required)
            .field("work_hours", .double)
            .field("wage_basis", .string)
            .field("rate_fen", .int64)
            .field("quantity", .double)
            .field("gross_fen", .int64, .required)
            .field("deduction_fen", .int64, .required)
            .field("deduction_reason", .string)
            .field("due_fen", .int64, .required)
            .field("paid_fen", .int64, .required)
            .field("paid_on", .string)
            .field("is_back_pay", .bool, .required)
            .field("back_pay_month", .string)
            .field("card_id", .uuid)
            .field("status", .string, .required)
            .field("failure_reason", .string)
            .field("worker_response", .string)
            .field("responded_at", .datetime)
            .field("note", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "payroll_id", "worker_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "payroll_lines_worker").on("payroll_lines").column("worker_id").column(
                "pay_month"
            )
            .run()
            try await sql.create(index: "payroll_lines_project").on("payroll_lines").column("project_id").column(
                "pay_month"
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("payroll_lines").delete()
        try await database.schema("payrolls").delete()
    }
}

/// Pay-on-behalf (总包代发, E9, W12): one batch per instruction sent to the bank. The instruction id
/// is the idempotency key the bank sees; a retry of the same instruction never pays twice. Each
/// line's outcome per batch is kept, so a line that failed and was paid later shows both.
struct CreateWagePayment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("wage_payment_batches")
            .id()
            .field("payroll_id", .uuid, .required, .references("payrolls", "id"))
            .field("project_id", .uuid, .required)
            .field("instruction_id", .string, .required)
            .field("bank_batch_id", .string)
            .field("status", .string, .required)
            .field("line_count", .int, .required)
            .field("total_fen", .int64, .required)
            .field("paid_fen", .int64, .required)
            .field("message", .string)
            .field("simulated", .bool, .required)
            .field("sent_by", .uuid, .required)
            .field("sent_at", .datetime, .required)
            .field("completed_at", .datetime)
            .unique(on: "instruction_id")
            .create()
        try await database.schema("wage_payment_results")
            .id()
            .field("batch_id", .uuid, .required, .references("wage_payment_batches", "id", onDelete: .cascade))
            .field("line_id", .uuid, .required, .references("payroll_lines", "id"))
            .field("amount_fen", .int64, .required)
            .field("status", .string, .required)
            .field("reason_code", .string)
            .field("reason", .string)
            .field("bank_reference", .string)
            .field("settled_on", .string)
            .field("recorded_at", .datetime, .required)
            .unique(on: "batch_id", "line_id")
            .create()
        try await database.schema("wage_account_transactions")
            .id()
            .field("wage_account_id", .uuid, .required, .references("wage_accounts", "id"))
            .field("project_id", .uuid, .required)
            .field("bank_transaction_id", .string, .required)
            .field("direction", .string, .required)
            .field("kind", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("balance_after_fen", .int64)
            .field("counterparty_name", .string)
            .field("counterparty_masked", .string)
            .field("occurred_on", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("batch_id", .uuid)
            .field("line_id", .uuid)
            .field("memo", .string)
            .field("simulated", .bool, .required)
            .field("synced_at", .datetime, .required)
            .unique(on: "wage_account_id", "bank_transaction_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "wage_account_transactions_project").on("wage_account_transactions")
                .column("project_id").column("occurred_on").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("wage_account_transactions").delete()
        try await database.schema("wage_payment_results").delete()
        try await database.schema("wage_payment_batches").delete()
    }
}

/// The wage agency agreement (工资代发协议, E4): who pays on whose behalf through which bank.
struct CreateWageAgencyAgreement: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("wage_agency_agreements")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .references("project_units", "id"))
            .field("principal_name", .string, .required)
            .field("agent_name", .string, .required)
            .field("bank_code", .string, .required)
            .field("bank_name", .string, .required)
            .field("signed_on", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("scan_name", .string)
            .field("scan_type", .string)
            .field("scan_size", .int)
            .field("scan_sha256", .string)
            .field("scan_cipher", .data)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("wage_agency_agreements").delete()
    }
}

/// Complaints (G10 credit data; the complaint subsystem will work them). Wage objections from the
/// phone (M4) are the first kind: kept now so that none is lost before that subsystem exists.
struct CreateComplaint: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("complaints")
            .id()
            .field("code", .string, .required)
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("project_id", .uuid, .references("projects", "id"))
            .field("unit_id", .uuid)
            .field("category", .string, .required)
            .field("subject_kind", .string)
            .field("subject_id", .uuid)
            .field("text", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("complaints").delete()
    }
}

/// Wage-payment warnings (G4, d.6 WW-01…WW-14) and the runs that raised them. One row per rule and
/// subject (`rule_id`, `subject_key`): a run reopens, updates or resolves it, never duplicates it.
struct CreateWageWarning: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("wage_warnings")
            .id()
            .field("rule_id", .string, .required)
            .field("rule_version", .int, .required)
            .field("subject_key", .string, .required)
            .field("subject_kind", .string, .required)
            .field("subject_label", .string, .required)
            .field("project_id", .uuid)
            .field("division_code", .string, .required)
            .field("unit_id", .uuid)
            .field("enterprise_id", .uuid)
            .field("worker_id", .uuid)
            .field("addressee", .string, .required)
            .field("severity", .string, .required)
            .field("summary", .string, .required)
            .field("evidence", .string, .required)
            .field("due_on", .string)
            .field("status", .string, .required)
            .field("first_seen_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("resolved_at", .datetime)
            .field("resolution", .string)
            .field("handled_by", .uuid)
            .field("handled_at", .datetime)
            .field("handling_note", .string)
            .unique(on: "rule_id", "subject_key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "wage_warnings_division").on("wage_warnings").column("division_code").column(
                "status"
            ).run()
            try await sql.create(index: "wage_warnings_project").on("wage_warnings").column("project_id").run()
            try await sql.create(index: "wage_warnings_worker").on("wage_warnings").column("worker_id").run()
        }
        try await database.schema("warning_runs")
            .id()
            .field("trigger", .string, .required)
            .field("status", .string, .required)
            .field("rules_version", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("projects", .int, .required)
            .field("opened", .int, .required)
            .field("resolved", .int, .required)
            .field("still_open", .int, .required)
            .field("message", .string)
            .field("started_by", .uuid)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("warning_runs").delete()
        try await database.schema("wage_warnings").delete()
    }
}
