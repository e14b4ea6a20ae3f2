import FluentKit
import Foundation

public final class SessionModel: Model, @unchecked Sendable {
    public static let schema = "sessions"

    public enum Channel: String, Sendable {
        /// A console cookie (`/gov`, `/corp`, `/m`).
        case console
        /// A person's bearer token for `/api/v1`.
        case api
        /// A connected system's bearer token.
        case app
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "channel") public var channelRaw: String
    @OptionalParent(key: "account_id") public var account: AccountModel?
    @OptionalParent(key: "app_credential_id") public var appCredential: AppCredentialModel?
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    /// A sealed one-time message for the next page (`Flash`), or nil.
    @OptionalField(key: "flash") public var flash: String?

    public init() {}
}
