import FluentKit

/// Failed sign-ins counted per key (S1): the typed username, the source address, a known browser.
/// Held in the database so that every process behind the load balancer counts the same attempts.
/// The key is a SHA-256, so a stranger's typed text is never stored.
struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_throttles")
            .field("key_hash", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("failures", .int, .required)
            .field("first_failure_at", .datetime, .required)
            .field("last_failure_at", .datetime, .required)
            .field("blocked_until", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_throttles").delete()
    }
}

/// Browsers an account has signed in from (S1): the correct password from one of them passes a
/// throttle that strangers ran up on the username, so nobody can lock an owner out. Only the
/// SHA-256 of the cookie's token is stored.
struct CreateKnownDevice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("known_devices")
            .id()
            .field("account_id", .uuid, .required, .references("accounts", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime, .required)
            .unique(on: "account_id", "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("known_devices").delete()
    }
}
