import FluentKit
import Foundation
import SiteRollCore

/// A verification code and what it identifies; the code is the primary key, so it is unique
/// across workers and enterprises.
public final class VerificationCodeModel: Model, @unchecked Sendable {
    public static let schema = "verification_codes"

    @ID(custom: "code", generatedBy: .user) public var id: String?
    @Field(key: "subject_kind") public var subjectKind: String
    @Field(key: "subject_id") public var subjectID: UUID
    @Field(key: "issued_at") public var issuedAt: Date

    public init() {}

    public init(code: String, subjectKind: String, subjectID: UUID) {
        self.id = code
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.issuedAt = ServerClock.now()
    }
}

/// One verification submission and its outcome (G1 feedback interface).
public final class VerificationRequestModel: Model, @unchecked Sendable {
    public static let schema = "verification_requests"

    @ID(key: .id) public var id: UUID?
    /// `VR` + date + random: what a client quotes to fetch the result.
    @Field(key: "serial") public var serial: String
    /// `enterprise` or `worker`.
    @Field(key: "kind") public var kind: String
    /// `passed`, `refused` or `waiting` (for the identity authority).
    @Field(key: "status") public var status: String
    /// `corp`, `mobile`, `api`.
    @Field(key: "channel") public var channel: String
    @Field(key: "submitted_by") public var submittedBy: String
    @OptionalField(key: "enterprise_id") public var enterpriseID: UUID?
    @OptionalField(key: "worker_id") public var workerID: UUID?
    @Field(key: "division_code") public var divisionCode: String
    /// Name and masked number (or enterprise name): never the full number.
    @Field(key: "subject_label") public var subjectLabel: String
    /// JSON array of `{code, field, message}`.
    @Field(key: "faults") public var faults: String
    @Field(key: "message") public var message: String
    /// The sealed submission, kept while it waits for the authority; cleared once decided.
    @OptionalField(key: "payload_cipher") public var payloadCipher: String?
    @OptionalField(key: "authority_verdict") public var authorityVerdict: String?
    @OptionalField(key: "authority_name") public var authorityName: String?
    @Field(key: "simulated") public var simulated: Bool
    @Field(key: "attempts") public var attempts: Int
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "decided_at") public var decidedAt: Date?

    public init() {}
}

/// A sealed portrait or identity card image.
public final class WorkerDocumentModel: Model, @unchecked Sendable {
    public static let schema = "worker_documents"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "worker_id") public var worker: WorkerModel
    /// `portrait`, `idFront`, `idBack`.
    @Field(key: "kind") public var kind: String
    @Field(key: "content_type") public var contentType: String
    @Field(key: "bytes_cipher") public var bytesCipher: Data
    @Field(key: "sha256") public var sha256: String
    @Field(key: "byte_count") public var byteCount: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

public final class EnterpriseQualificationModel: Model, @unchecked Sendable {
    public static let schema = "enterprise_qualifications"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "enterprise_id") public var enterprise: EnterpriseModel
    @Field(key: "category") public var category: String
    @Field(key: "grade") public var grade: String
    @Field(key: "certificate_number") public var certificateNumber: String
    /// yyyy-MM-dd.
    @Field(key: "valid_until") public var validUntil: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A blacklist entry, a dispute registration (异议登记) or another restriction.
public final class RestrictionModel: Model, @unchecked Sendable {
    public static let schema = "restrictions"

    @ID(key: .id) public var id: UUID?
    /// `worker` or `enterprise`.
    @Field(key: "subject_kind") public var subjectKind: String
    /// Worker: HMAC of the identity number. Enterprise: the credit code.
    @Field(key: "subject_key") public var subjectKey: String
    @Field(key: "subject_label") public var subjectLabel: String
    /// `blacklist`, `dispute`, `other`.
    @Field(key: "kind") public var kind: String
    @Field(key: "reason") public var reason: String
    @Field(key: "division_code") public var divisionCode: String
    /// yyyy-MM-dd; nil: until lifted.
    @OptionalField(key: "ends_on") public var endsOn: String?
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "lifted_at") public var liftedAt: Date?

    public init() {}
}
