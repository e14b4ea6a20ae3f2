import FluentKit

/// Verification codes for workers and enterprises share one table so that a code is unique
/// across both (G1: the code links a client to the platform record; it never reveals the number).
struct CreateVerificationCode: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("verification_codes")
            .field("code", .string, .identifier(auto: false))
            .field("subject_kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("issued_at", .datetime, .required)
            .unique(on: "subject_kind", "subject_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("verification_codes").delete()
    }
}

/// Every verification submission with its outcome: the feedback interface reads it by serial
/// (G1 item 2); a submission waiting for the identity authority keeps its sealed payload here
/// until a retry decides it, so that nothing is lost.
struct CreateVerificationRequest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("verification_requests")
            .id()
            .field("serial", .string, .required)
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("channel", .string, .required)
            .field("submitted_by", .string, .required)
            .field("enterprise_id", .uuid)
            .field("worker_id", .uuid)
            .field("division_code", .string, .required)
            .field("subject_label", .string, .required)
            .field("faults", .string, .required)
            .field("message", .string, .required)
            .field("payload_cipher", .string)
            .field("authority_verdict", .string)
            .field("authority_name", .string)
            .field("simulated", .bool, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("decided_at", .datetime)
            .unique(on: "serial")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("verification_requests").delete()
    }
}

/// Portraits and identity card images, sealed with the field key (S2).
struct CreateWorkerDocument: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("worker_documents")
            .id()
            .field("worker_id", .uuid, .required, .references("workers", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("content_type", .string, .required)
            .field("bytes_cipher", .data, .required)
            .field("sha256", .string, .required)
            .field("byte_count", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "worker_id", "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("worker_documents").delete()
    }
}

/// Enterprise qualifications (资质): category, grade, certificate number, validity.
struct CreateEnterpriseQualification: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("enterprise_qualifications")
            .id()
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id", onDelete: .cascade))
            .field("category", .string, .required)
            .field("grade", .string, .required)
            .field("certificate_number", .string, .required)
            .field("valid_until", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("enterprise_qualifications").delete()
    }
}

/// Blacklist, dispute (异议登记) and other restrictions on a worker or an enterprise (G1 item 4).
/// A worker is keyed by the HMAC of the identity number, an enterprise by its credit code, so a
/// restriction can be recorded before the subject ever registers.
struct CreateRestriction: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("restrictions")
            .id()
            .field("subject_kind", .string, .required)
            .field("subject_key", .string, .required)
            .field("subject_label", .string, .required)
            .field("kind", .string, .required)
            .field("reason", .string, .required)
            .field("division_code", .string, .required)
            .field("ends_on", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("lifted_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("restrictions").delete()
    }
}
