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
    /// SHA-256 of the method and the raw `data`: a write resent under a new timestamp is found by it.
    @OptionalField(key: "data_digest") public var dataDigest: String?

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

/// An asynchronous national write (b.4): answered at once with `serial`, processed in the
/// background by whichever process claims it; `status` 0 waiting, 10 failed, 20 succeeded.
public final class NationalJobModel: Model, @unchecked Sendable {
    public static let schema = "national_jobs"

    @ID(key: .id) public var id: UUID?
    @Field(key: "serial") public var serial: String
    @Field(key: "app_id") public var appID: String
    @Field(key: "method") public var method: String
    /// The request's `data`, sealed with the data key (it carries ID and card numbers).
    @Field(key: "payload_sealed") public var payloadSealed: String
    @Field(key: "status") public var status: Int
    @OptionalField(key: "result") public var result: String?
    @Field(key: "created_at") public var createdAt: Date
    /// A claim holds the job until then; a process that died lets it go when it passes.
    @OptionalField(key: "claimed_until") public var claimedUntil: Date?
    @OptionalField(key: "finished_at") public var finishedAt: Date?

    public init() {}

    public init(serial: String, appID: String, method: String, payloadSealed: String, at: Date) {
        id = UUID()
        self.serial = serial
        self.appID = appID
        self.method = method
        self.payloadSealed = payloadSealed
        status = 0
        createdAt = at
    }
}
