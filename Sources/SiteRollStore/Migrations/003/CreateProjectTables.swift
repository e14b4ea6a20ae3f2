import FluentKit
import FluentSQL

/// Projects with their national fields (standards.md b.6 Project), attendance geofence and the
/// rights-board settings (W15). The general contractor is the enterprise that registers it.
struct CreateProject: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("projects")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("description", .string)
            .field("category", .string, .required)
            .field("status", .string, .required)
            .field("division_code", .string, .required)
            .field("address", .string)
            .field("contractor_enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("contractor_credit_code", .string, .required)
            .field("contractor_name", .string, .required)
            .field("builder_name", .string)
            .field("builder_credit_code", .string)
            .field("permit_number", .string)
            .field("invest_fen", .int64)
            .field("building_area", .double)
            .field("start_date", .string)
            .field("completion_date", .string)
            .field("approval_number", .string)
            .field("approval_level", .string)
            .field("size", .string)
            .field("nature", .string)
            .field("function", .string)
            .field("link_man", .string)
            .field("link_phone", .string)
            .field("contract_signed_on", .string)
            .field("geofence", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("pay_day", .int, .required)
            .field("authority_phone", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("projects").delete()
    }
}

/// Participating units (参建单位, ProjectSubContractor) with their entry and exit.
struct CreateProjectUnit: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_units")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("enterprise_id", .uuid, .references("enterprises", "id"))
            .field("credit_code", .string, .required)
            .field("name", .string, .required)
            .field("participation_type", .string, .required)
            .field("entry_date", .string)
            .field("exit_date", .string)
            .field("pm_name", .string)
            .field("pm_phone", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "project_id", "credit_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("project_units").delete()
    }
}

/// Manager appointments (管理人员任职): verified people in a role for a period (R4).
struct CreateProjectManager: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_managers")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("project_units", "id"))
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("role", .string, .required)
            .field("phone", .string)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("project_managers").delete()
    }
}

/// Teams (班组): a unit's team on a project, or a team a worker founded on the phone (M6),
/// which an enterprise can later engage for a project. `sys_no` is the national teamSysNo.
struct CreateTeam: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("teams")
            .id()
            .field("sys_no", .int, .required)
            .field("name", .string, .required)
            .field("origin", .string, .required)
            .field("project_id", .uuid, .references("projects", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .references("project_units", "id"))
            .field("leader_worker_id", .uuid, .references("workers", "id"))
            .field("leader_name", .string)
            .field("leader_phone", .string)
            .field("source_team_id", .uuid)
            .field("remark", .string)
            .field("entry_date", .string)
            .field("exit_date", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "sys_no")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("teams").delete()
    }
}

/// Members of a worker-founded team, invited by verification code; they accept or decline.
struct CreateTeamMember: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("team_members")
            .id()
            .field("team_id", .uuid, .required, .references("teams", "id", onDelete: .cascade))
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("status", .string, .required)
            .field("invited_at", .datetime, .required)
            .field("decided_at", .datetime)
            .unique(on: "team_id", "worker_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("team_members").delete()
    }
}

/// Labour contracts (WorkerContract): per worker and unit; the terms feed payroll (issue 6).
struct CreateLabourContract: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("labour_contracts")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("project_units", "id"))
            .field("enterprise_id", .uuid, .references("enterprises", "id"))
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("period_type", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("wage_basis", .string, .required)
            .field("rate_fen", .int64, .required)
            .field("piece_unit", .string)
            .field("signed_on", .string, .required)
            .field("file_name", .string)
            .field("file_type", .string)
            .field("file_size", .int)
            .field("file_sha256", .string)
            .field("file_cipher", .data)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("labour_contracts").delete()
    }
}

/// Project training sessions (ProjectTraining, codes c.21) and who attended.
struct CreateTraining: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("trainings")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("type_code", .string, .required)
            .field("held_on", .string, .required)
            .field("duration_hours", .double, .required)
            .field("trainer", .string, .required)
            .field("description", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("training_attendees")
            .id()
            .field("training_id", .uuid, .required, .references("trainings", "id", onDelete: .cascade))
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .unique(on: "training_id", "worker_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("training_attendees").delete()
        try await database.schema("trainings").delete()
    }
}

/// Workers on projects (ProjectWorker). `active_slot` is "A" while the entry is active and the
/// row's own id after exit, so the unique key lets the database refuse two active entries of
/// one worker on one project even when two requests race.
struct CreateProjectWorker: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_workers")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("project_units", "id"))
            .field("team_id", .uuid, .required, .references("teams", "id"))
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("work_type", .string, .required)
            .field("work_role", .string, .required)
            .field("is_team_leader", .bool, .required)
            .field("status", .string, .required)
            .field("entry_date", .string, .required)
            .field("exit_date", .string)
            .field("card_number", .string)
            .field("has_insurance", .bool, .required)
            .field("active_slot", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "project_id", "worker_id", "active_slot")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "project_workers_worker").on("project_workers").column("worker_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("project_workers").delete()
    }
}

/// The entry/exit ledger of units, teams and workers (WorkerEntryExit; type 1 entry, 0 exit).
struct CreateEntryExitRecord: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("entry_exit_records")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("unit_id", .uuid, .required)
            .field("team_id", .uuid)
            .field("worker_id", .uuid)
            .field("type", .int, .required)
            .field("date", .string, .required)
            .field("reason", .string)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "entry_exit_records_project_date").on("entry_exit_records")
                .column("project_id").column("date").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("entry_exit_records").delete()
    }
}

/// The project's dedicated wage account (专户, W7) and wage guarantee (W13).
struct CreateWageAccount: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("wage_accounts")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("bank_code", .string, .required)
            .field("bank_name", .string, .required)
            .field("account_name", .string, .required)
            .field("number_cipher", .string, .required)
            .field("number_hmac", .string, .required)
            .field("number_masked", .string, .required)
            .field("opened_on", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "project_id")
            .create()
        try await database.schema("wage_guarantees")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("amount_fen", .int64, .required)
            .field("form", .string, .required)
            .field("institution", .string)
            .field("valid_from", .string, .required)
            .field("valid_until", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("wage_guarantees").delete()
        try await database.schema("wage_accounts").delete()
    }
}
