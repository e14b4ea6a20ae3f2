import FluentKit
import Foundation

/// One signed request to the national gateway, kept for the freshness window and beyond: the
/// same (appid, nonce, timestamp) again gets `answer` again instead of a second processing.
public final class NationalRequestModel: Model, @unchecked Sendable {
    public static let schema = "national_requests"

    @ID(key: .id) public var id: UUID?
    @Field(key: "app_id") public var appID: String
    @Field(key: "nonce") public var nonce: String
    @Field(key: "timestamp") public var timestamp: String
    @Field(key: "sign") public var sign: String
    @Field(key: "method") public var method: String
    /// The JSON answer once given; nil while the first copy is still being answered.
    @OptionalField(key: "answer") public var answer: String?
    @Field(key: "received_at") public var receivedAt: Date

    public init() {}

    public init(appID: String, nonce: String, timestamp: String, sign: String, method: String, at: Date) {
        id = UUID()
        self.appID = appID
        self.nonce = nonce
        self.timestamp = timestamp
        self.sign = sign
        self.method = method
        receivedAt = at
    }
}

/// One call to the national gateway and the code it was answered with (0 or an error).
public final class NationalCallModel: Model, @unchecked Sendable {
    public static let schema = "national_calls"

    @ID(key: .id) public var id: UUID?
    @Field(key: "app_id") public var appID: String
    @Field(key: "method") public var method: String
    @Field(key: "code") public var code: Int
    @Field(key: "at") public var at: Date

    public init() {}

    public init(appID: String, method: String, code: Int, at: Date) {
        id = UUID()
        self.appID = appID
        self.method = method
        self.code = code
        self.at = at
    }
}
