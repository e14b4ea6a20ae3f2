import FluentKit
import Foundation

/// An enterprise's application to connect a system to the national gateway (issue 15 item 4, A1).
/// `status`: `pending` (待审核), `approved` (已批准), `rejected` (已驳回), `withdrawn` (已撤回).
public final class NationalAccessApplicationModel: Model, @unchecked Sendable {
    public static let schema = "national_access_applications"

    @ID(key: .id) public var id: UUID?
    @Field(key: "enterprise_id") public var enterpriseID: UUID
    @Field(key: "applicant_account_id") public var applicantAccountID: UUID
    @Field(key: "applicant_name") public var applicantName: String
    @Field(key: "system_name") public var systemName: String
    /// 开发厂商.
    @Field(key: "vendor") public var vendor: String
    @Field(key: "contact_name") public var contactName: String
    @Field(key: "contact_phone") public var contactPhone: String
    /// Canonical addresses, comma-separated (`SourceAddressList.stored`).
    @Field(key: "source_ips") public var sourceIPs: String
    /// National method names, comma-separated, as asked for (without the ones every app gets).
    @Field(key: "methods") public var methods: String
    @OptionalField(key: "notes") public var notes: String?
    /// The smallest division that covers every project of the application: its regulators (and
    /// those above them) decide it.
    @Field(key: "division_code") public var divisionCode: String
    @Field(key: "status") public var status: String
    @Field(key: "submitted_at") public var submittedAt: Date
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @OptionalField(key: "decided_by_account_id") public var decidedByAccountID: UUID?
    @OptionalField(key: "decided_by_name") public var decidedByName: String?
    /// The regulator's reason for a rejection or note on an approval; the enterprise's on a withdrawal.
    @OptionalField(key: "decision_reason") public var decisionReason: String?

    public init() {}

    public static let pending = "pending"
    public static let approved = "approved"
    public static let rejected = "rejected"
    public static let withdrawn = "withdrawn"
}

/// One project of an application; `appCredentialID` is its national app once approved.
public final class NationalAccessProjectModel: Model, @unchecked Sendable {
    public static let schema = "national_access_projects"

    @ID(key: .id) public var id: UUID?
    @Field(key: "application_id") public var applicationID: UUID
    @Field(key: "project_id") public var projectID: UUID
    @OptionalField(key: "app_credential_id") public var appCredentialID: UUID?

    public init() {}

    public init(applicationID: UUID, projectID: UUID) {
        id = UUID()
        self.applicationID = applicationID
        self.projectID = projectID
    }
}
