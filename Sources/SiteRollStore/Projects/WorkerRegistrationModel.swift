import FluentKit
import Foundation

/// A worker registered to a project's team, waiting to enter (or entered with these details):
/// what a national `ProjectWorker.Add` gives before `WorkerEntryExit.Add` records the entry.
public final class WorkerRegistrationModel: Model, @unchecked Sendable {
    public static let schema = "project_worker_registrations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "team_id") public var teamID: UUID
    @Field(key: "worker_id") public var workerID: UUID
    /// Code table c.1.
    @Field(key: "work_type") public var workType: String
    /// Code table c.2.
    @Field(key: "work_role") public var workRole: String
    @Field(key: "is_team_leader") public var isTeamLeader: Bool
    @OptionalField(key: "card_number") public var cardNumber: String?
    @Field(key: "has_insurance") public var hasInsurance: Bool
    @OptionalField(key: "cell_phone") public var cellPhone: String?
    /// A wage card number given before the entry, sealed; registered as the worker's card at entry.
    @OptionalField(key: "wage_card_sealed") public var wageCardSealed: String?
    @OptionalField(key: "wage_bank_code") public var wageBankCode: String?
    @OptionalField(key: "wage_bank_name") public var wageBankName: String?
    /// Who registered: an appid or a username.
    @Field(key: "registered_by") public var registeredBy: String
    @Field(key: "registered_at") public var registeredAt: Date

    public init() {}
}
