import FluentKit
import FluentSQL

/// Credentials of the national open interface (issue 15, A1, S3) live with the other connected
/// systems' in `app_credentials`: a kind, the project an "一项目一密钥" app belongs to, the secret
/// sealed (the national signature needs the secret itself, not a hash), the methods it may call,
/// its source addresses, its call rate and its last use. One column per statement: SQLite adds
/// columns one at a time.
struct UpdateAppCredentialForNational: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let schema = { database.schema("app_credentials") }
        try await schema().field("kind", .string, .required, .sql(.default("api"))).update()
        try await schema().field("project_id", .uuid).update()
        try await schema().field("secret_sealed", .string).update()
        try await schema().field("methods", .string).update()
        try await schema().field("allowed_ips", .string).update()
        try await schema().field("rate_per_minute", .int).update()
        try await schema().field("last_used_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        for field in [
            "last_used_at", "rate_per_minute", "allowed_ips", "methods", "secret_sealed", "project_id", "kind",
        ] {
            try await database.schema("app_credentials").deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}

/// The gateway's memory (S3), shared by every process: each signed request once per
/// (appid, nonce, timestamp) with the answer it got, so a resend gets the same answer and is
/// processed once; every call with its answer code, for rate limits and each app's figures; and
/// the asynchronous writes (b.4), claimed by any process and kept with their results.
struct CreateNationalGatewayTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("national_requests")
            .id()
            .field("app_id", .string, .required)
            .field("nonce", .string, .required)
            .field("timestamp", .string, .required)
            .field("sign", .string, .required)
            .field("method", .string, .required)
            .field("answer", .string)
            .field("received_at", .datetime, .required)
            .unique(on: "app_id", "nonce", "timestamp")
            .create()
        try await database.schema("national_calls")
            .id()
            .field("app_id", .string, .required)
            .field("method", .string, .required)
            .field("code", .int, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.schema("national_jobs")
            .id()
            .field("serial", .string, .required)
            .field("app_id", .string, .required)
            .field("method", .string, .required)
            .field("payload_sealed", .string, .required)
            .field("status", .int, .required)
            .field("result", .string)
            .field("created_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("finished_at", .datetime)
            .unique(on: "serial")
            .create()
        try await database.sql().raw("CREATE INDEX national_jobs_due ON national_jobs (status, claimed_until)").run()
        try await database.sql().raw("CREATE INDEX national_calls_app_at ON national_calls (app_id, at)").run()
        try await database.sql().raw("CREATE INDEX national_requests_received ON national_requests (received_at)")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("national_jobs").delete()
        try await database.schema("national_calls").delete()
        try await database.schema("national_requests").delete()
    }
}
