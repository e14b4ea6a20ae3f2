import FluentKit
import Foundation

/// A gate device of a project (face terminal, turnstile).
public final class AttendanceDeviceModel: Model, @unchecked Sendable {
    public static let schema = "attendance_devices"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    /// The device code people and vendors quote; also the app id it signs in with.
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    /// `face`, `turnstile`, `other`.
    @Field(key: "kind") public var kind: String
    @Field(key: "app_credential_id") public var appCredentialID: UUID
    /// `active` or `revoked`.
    @Field(key: "status") public var status: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?

    public init() {}
}

/// One punch: from a gate device, a phone, or a confirmed manual registration.
public final class AttendancePunchModel: Model, @unchecked Sendable {
    public static let schema = "attendance_punches"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "worker_id") public var workerID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "team_id") public var teamID: UUID
    /// yyyy-MM-dd in Asia/Shanghai: the business day the punch belongs to.
    @Field(key: "local_date") public var localDate: String
    /// The event's instant (UTC); for phones, the client time corrected by the measured skew.
    @Field(key: "punched_at") public var punchedAt: Date
    /// `in` or `out`.
    @Field(key: "direction") public var direction: String
    /// `device`, `phone`, `manual`.
    @Field(key: "source") public var source: String
    @OptionalField(key: "device_id") public var deviceID: UUID?
    /// Code table c.18.
    @OptionalField(key: "passage_method") public var passageMethod: String?
    @Field(key: "dedupe_key") public var dedupeKey: String
    @OptionalField(key: "client_event_id") public var clientEventID: String?
    @OptionalField(key: "latitude") public var latitude: Double?
    @OptionalField(key: "longitude") public var longitude: Double?
    @OptionalField(key: "accuracy") public var accuracy: Double?
    /// Metres outside the fence (0 inside).
    @OptionalField(key: "distance") public var distance: Double?
    @OptionalField(key: "client_time") public var clientTime: Date?
    @OptionalField(key: "client_sent_time") public var clientSentTime: Date?
    @Field(key: "server_time") public var serverTime: Date
    @OptionalField(key: "phone_device") public var phoneDevice: String?
    /// `accepted` or `suspicious` (waiting for the employer's review).
    @Field(key: "status") public var status: String
    /// The review's outcome for a suspicious punch: `accepted` or `rejected`; `superseded` when a
    /// correction (a new punch referencing this one) replaced it.
    @OptionalField(key: "review_status") public var reviewStatus: String?
    /// JSON array of `PunchFlag` codes.
    @Field(key: "flags") public var flags: String
    /// The findings in Chinese, one per line, as the worker and the reviewer read them.
    @OptionalField(key: "flag_details") public var flagDetails: String?
    @OptionalField(key: "photo_sha256") public var photoSHA256: String?
    /// A correction references the punch it corrects; the old one stays.
    @OptionalField(key: "corrects_id") public var correctsID: UUID?
    @Field(key: "recorded_by") public var recordedBy: String

    public init() {}

    /// Whether the punch counts in sheets: accepted, or suspicious and accepted on review.
    public var counts: Bool {
        switch reviewStatus {
        case nil: status == "accepted"
        case "accepted": true
        default: false
        }
    }
}

public final class AttendancePhotoModel: Model, @unchecked Sendable {
    public static let schema = "attendance_photos"

    @ID(key: .id) public var id: UUID?
    @Field(key: "punch_id") public var punchID: UUID
    @Field(key: "content_type") public var contentType: String
    @Field(key: "bytes_cipher") public var bytesCipher: Data
    @Field(key: "sha256") public var sha256: String

    public init() {}
}

public final class AttendanceReviewModel: Model, @unchecked Sendable {
    public static let schema = "attendance_reviews"

    @ID(key: .id) public var id: UUID?
    @Field(key: "punch_id") public var punchID: UUID
    /// `accepted` or `rejected`.
    @Field(key: "decision") public var decision: String
    @Field(key: "reason") public var reason: String
    @Field(key: "decided_by") public var decidedBy: UUID
    @Field(key: "decided_by_name") public var decidedByName: String
    @Field(key: "decided_at") public var decidedAt: Date

    public init() {}
}

/// A phone a worker punches with: `bound`, `requested` (waiting for the employer) or `revoked`.
public final class WorkerPhoneDeviceModel: Model, @unchecked Sendable {
    public static let schema = "worker_phone_devices"

    @ID(key: .id) public var id: UUID?
    @Field(key: "worker_id") public var workerID: UUID
    @Field(key: "device_id") public var deviceID: String
    @Field(key: "status") public var status: String
    @Field(key: "requested_at") public var requestedAt: Date
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @OptionalField(key: "decided_by") public var decidedBy: String?

    public init() {}
}

/// A worker's request to register a missed punch (补登): `pending`, `confirmed`, `rejected`.
public final class ManualPunchRequestModel: Model, @unchecked Sendable {
    public static let schema = "manual_punch_requests"

    @ID(key: .id) public var id: UUID?
    @Field(key: "worker_id") public var workerID: UUID
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "local_date") public var localDate: String
    /// HH:mm, Asia/Shanghai.
    @Field(key: "time") public var time: String
    @Field(key: "direction") public var direction: String
    @Field(key: "reason") public var reason: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "decided_by") public var decidedBy: String?
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @OptionalField(key: "decision_note") public var decisionNote: String?
    @OptionalField(key: "punch_id") public var punchID: UUID?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
