import FluentKit
import FluentSQL

/// Platform access (issue 15 item 4, A1): an enterprise's application to connect a system to the
/// national gateway — the system, its vendor and contact, its source addresses and the methods it
/// asks for — and its decision by a regulator of the projects' division.
struct CreateNationalAccessApplication: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("national_access_applications")
            .id()
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("applicant_account_id", .uuid, .required)
            .field("applicant_name", .string, .required)
            .field("system_name", .string, .required)
            .field("vendor", .string, .required)
            .field("contact_name", .string, .required)
            .field("contact_phone", .string, .required)
            .field("source_ips", .string, .required)
            .field("methods", .string, .required)
            .field("notes", .string)
            .field("division_code", .string, .required)
            .field("status", .string, .required)
            .field("submitted_at", .datetime, .required)
            .field("decided_at", .datetime)
            .field("decided_by_account_id", .uuid)
            .field("decided_by_name", .string)
            .field("decision_reason", .string)
            .create()
        try await database.sql().raw(
            "CREATE INDEX national_access_applications_status ON national_access_applications (status, division_code)"
        ).run()
        try await database.sql().raw(
            "CREATE INDEX national_access_applications_enterprise ON national_access_applications (enterprise_id)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("national_access_applications").delete()
    }
}

/// The projects of an application: each becomes (or updates) that project's national app on
/// approval, whose credential the row then points to.
struct CreateNationalAccessProject: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("national_access_projects")
            .id()
            .field(
                "application_id", .uuid, .required,
                .references("national_access_applications", "id", onDelete: .cascade)
            )
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("app_credential_id", .uuid, .references("app_credentials", "id"))
            .unique(on: "application_id", "project_id")
            .create()
        try await database.sql().raw(
            "CREATE INDEX national_access_projects_credential ON national_access_projects (app_credential_id)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("national_access_projects").delete()
    }
}

/// What rotation and revocation keep on a national app: the previous secret (sealed) and until
/// when it still verifies, a secret issued by someone else that its holder has not yet seen, and
/// why the app was revoked. One column per statement: SQLite adds columns one at a time.
struct UpdateAppCredentialForAccess: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let schema = { database.schema("app_credentials") }
        try await schema().field("previous_secret_sealed", .string).update()
        try await schema().field("previous_secret_until", .datetime).update()
        try await schema().field("secret_reveal_pending", .bool, .required, .sql(.default(false))).update()
        try await schema().field("revoke_reason", .string).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["revoke_reason", "secret_reveal_pending", "previous_secret_until", "previous_secret_sealed"] {
            try await database.schema("app_credentials").deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
