import FluentKit
import FluentSQL

/// Per-project attendance policy (M3): what happens outside the fence and the plausibility
/// thresholds. nil columns mean the platform default.
struct UpdateProjectAddAttendancePolicy: AsyncMigration {
    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("attendance_outside_policy", .string), ("attendance_max_accuracy", .double),
        ("attendance_max_speed", .double), ("attendance_max_skew", .double),
    ]

    /// One column per statement: SQLite's ALTER TABLE adds or drops one column at a time.
    func prepare(on database: any Database) async throws {
        for (name, type) in Self.columns {
            try await database.schema("projects").field(.init(stringLiteral: name), type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.columns.reversed() {
            try await database.schema("projects").deleteField(.init(stringLiteral: name)).update()
        }
    }
}

/// Gate devices (face terminals, turnstiles) of a project; each signs in as an app credential.
struct CreateAttendanceDevice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("attendance_devices")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("app_credential_id", .uuid, .required, .references("app_credentials", "id"))
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "code")
            .unique(on: "app_credential_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attendance_devices").delete()
    }
}

/// Every punch, never deleted (R7: at least two years). `dedupe_key` makes a punch sent twice
/// (a device's retry, an offline phone's resend) land once. Designed to be partitioned by
/// `local_date` month on PostgreSQL when a province's volume asks for it.
struct CreateAttendancePunch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("attendance_punches")
            .id()
            .field("project_id", .uuid, .required)
            .field("worker_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("team_id", .uuid, .required)
            .field("local_date", .string, .required)
            .field("punched_at", .datetime, .required)
            .field("direction", .string, .required)
            .field("source", .string, .required)
            .field("device_id", .uuid)
            .field("passage_method", .string)
            .field("dedupe_key", .string, .required)
            .field("client_event_id", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("accuracy", .double)
            .field("distance", .double)
            .field("client_time", .datetime)
            .field("client_sent_time", .datetime)
            .field("server_time", .datetime, .required)
            .field("phone_device", .string)
            .field("status", .string, .required)
            .field("review_status", .string)
            .field("flags", .string, .required)
            .field("flag_details", .string)
            .field("photo_sha256", .string)
            .field("corrects_id", .uuid)
            .field("recorded_by", .string, .required)
            .unique(on: "dedupe_key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "attendance_punches_project_date").on("attendance_punches")
                .column("project_id").column("local_date").run()
            try await sql.create(index: "attendance_punches_worker_time").on("attendance_punches")
                .column("worker_id").column("punched_at").run()
        }
        try await database.schema("attendance_photos")
            .id()
            .field("punch_id", .uuid, .required)
            .field("content_type", .string, .required)
            .field("bytes_cipher", .data, .required)
            .field("sha256", .string, .required)
            .unique(on: "punch_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attendance_photos").delete()
        try await database.schema("attendance_punches").delete()
    }
}

/// The employer's decision on a suspicious punch: a record of its own, the punch is unchanged.
struct CreateAttendanceReview: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("attendance_reviews")
            .id()
            .field("punch_id", .uuid, .required, .references("attendance_punches", "id"))
            .field("decision", .string, .required)
            .field("reason", .string, .required)
            .field("decided_by", .uuid, .required)
            .field("decided_by_name", .string, .required)
            .field("decided_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attendance_reviews").delete()
    }
}

/// One worker, one bound phone: the first phone to punch is bound; another needs the employer's
/// approval.
struct CreateWorkerPhoneDevice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("worker_phone_devices")
            .id()
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("device_id", .string, .required)
            .field("status", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("decided_at", .datetime)
            .field("decided_by", .string)
            .unique(on: "worker_id", "device_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("worker_phone_devices").delete()
    }
}

/// Manual registration (补登) of a missed punch, confirmed or rejected by the employer.
struct CreateManualPunchRequest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("manual_punch_requests")
            .id()
            .field("worker_id", .uuid, .required, .references("workers", "id"))
            .field("project_id", .uuid, .required, .references("projects", "id", onDelete: .cascade))
            .field("local_date", .string, .required)
            .field("time", .string, .required)
            .field("direction", .string, .required)
            .field("reason", .string, .required)
            .field("status", .string, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .field("punch_id", .uuid)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("manual_punch_requests").delete()
    }
}
