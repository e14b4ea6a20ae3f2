import FluentKit
import Foundation
import SiteRollCore

/// A construction project (standards.md b.6 Project). Codes are national code tables (c.11–c.16).
public final class ProjectModel: Model, @unchecked Sendable {
    public static let schema = "projects"

    @ID(key: .id) public var id: UUID?
    /// The platform project code (接入编号): division + year + sequence, unique.
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "description") public var description: String?
    @Field(key: "category") public var category: String
    @Field(key: "status") public var status: String
    @Field(key: "division_code") public var divisionCode: String
    @OptionalField(key: "address") public var address: String?
    @Field(key: "contractor_enterprise_id") public var contractorEnterpriseID: UUID
    @Field(key: "contractor_credit_code") public var contractorCreditCode: String
    @Field(key: "contractor_name") public var contractorName: String
    @OptionalField(key: "builder_name") public var builderName: String?
    @OptionalField(key: "builder_credit_code") public var builderCreditCode: String?
    /// 施工许可证号.
    @OptionalField(key: "permit_number") public var permitNumber: String?
    /// Total investment in fen (people enter 万元).
    @OptionalField(key: "invest_fen") public var investFen: Int64?
    /// Building area in m².
    @OptionalField(key: "building_area") public var buildingArea: Double?
    @OptionalField(key: "start_date") public var startDate: String?
    @OptionalField(key: "completion_date") public var completionDate: String?
    @OptionalField(key: "approval_number") public var approvalNumber: String?
    @OptionalField(key: "approval_level") public var approvalLevel: String?
    @OptionalField(key: "size") public var size: String?
    @OptionalField(key: "nature") public var nature: String?
    @OptionalField(key: "function") public var function: String?
    @OptionalField(key: "link_man") public var linkMan: String?
    @OptionalField(key: "link_phone") public var linkPhone: String?
    /// The construction contract's signing date: the dedicated account is due 30 days later (W7).
    @OptionalField(key: "contract_signed_on") public var contractSignedOn: String?
    /// The attendance geofence in its canonical typed form (`Geofence.text`).
    @OptionalField(key: "geofence") public var geofence: String?
    @OptionalField(key: "latitude") public var latitude: Double?
    @OptionalField(key: "longitude") public var longitude: Double?
    /// Day of the following month by which wages are paid (rights board; Chengdu: the 10th).
    @Field(key: "pay_day") public var payDay: Int
    /// Complaint hotline of the competent authority, as posted on the rights board.
    @OptionalField(key: "authority_phone") public var authorityPhone: String?
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "created_at") public var createdAt: Date
    /// Phone punches outside the fence: `refuse` or `suspicious` (nil: platform default).
    @OptionalField(key: "attendance_outside_policy") public var attendanceOutsidePolicy: String?
    @OptionalField(key: "attendance_max_accuracy") public var attendanceMaxAccuracy: Double?
    @OptionalField(key: "attendance_max_speed") public var attendanceMaxSpeed: Double?
    @OptionalField(key: "attendance_max_skew") public var attendanceMaxSkew: Double?
    /// Minutes after midnight at which the project's attendance day begins (`AttendanceDayStart`).
    @Field(key: "attendance_day_start") public var attendanceDayStart: Int

    public init() {
        attendanceDayStart = 0
    }
}

/// A participating unit (参建单位, ProjectSubContractor).
public final class ProjectUnitModel: Model, @unchecked Sendable {
    public static let schema = "project_units"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    /// Set when the unit is an enterprise registered on the platform.
    @OptionalField(key: "enterprise_id") public var enterpriseID: UUID?
    @Field(key: "credit_code") public var creditCode: String
    @Field(key: "name") public var name: String
    /// Code table c.5.
    @Field(key: "participation_type") public var participationType: String
    @OptionalField(key: "entry_date") public var entryDate: String?
    @OptionalField(key: "exit_date") public var exitDate: String?
    @OptionalField(key: "pm_name") public var pmName: String?
    @OptionalField(key: "pm_phone") public var pmPhone: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A manager appointment (管理人员任职).
public final class ProjectManagerModel: Model, @unchecked Sendable {
    public static let schema = "project_managers"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "worker_id") public var workerID: UUID
    /// `CodeTable.managerRoles`.
    @Field(key: "role") public var role: String
    @OptionalField(key: "phone") public var phone: String?
    @Field(key: "starts_on") public var startsOn: String
    @OptionalField(key: "ends_on") public var endsOn: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A team (班组). `origin` is `unit` (created by a unit on a project), `worker` (founded by a
/// worker on the phone, no project) or `engaged` (a worker team engaged by a unit for a project).
public final class TeamModel: Model, @unchecked Sendable {
    public static let schema = "teams"

    @ID(key: .id) public var id: UUID?
    /// The national teamSysNo.
    @Field(key: "sys_no") public var sysNo: Int
    @Field(key: "name") public var name: String
    @Field(key: "origin") public var origin: String
    @OptionalField(key: "project_id") public var projectID: UUID?
    @OptionalField(key: "unit_id") public var unitID: UUID?
    @OptionalField(key: "leader_worker_id") public var leaderWorkerID: UUID?
    @OptionalField(key: "leader_name") public var leaderName: String?
    @OptionalField(key: "leader_phone") public var leaderPhone: String?
    /// For an engaged team: the worker-founded team it came from.
    @OptionalField(key: "source_team_id") public var sourceTeamID: UUID?
    @OptionalField(key: "remark") public var remark: String?
    @OptionalField(key: "entry_date") public var entryDate: String?
    @OptionalField(key: "exit_date") public var exitDate: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A member of a worker-founded team: `invited`, `accepted`, `declined` or `left`.
public final class TeamMemberModel: Model, @unchecked Sendable {
    public static let schema = "team_members"

    @ID(key: .id) public var id: UUID?
    @Field(key: "team_id") public var teamID: UUID
    @Field(key: "worker_id") public var workerID: UUID
    @Field(key: "status") public var status: String
    @Field(key: "invited_at") public var invitedAt: Date
    @OptionalField(key: "decided_at") public var decidedAt: Date?

    public init() {}
}

/// A labour contract between a worker and a unit on a project.
public final class LabourContractModel: Model, @unchecked Sendable {
    public static let schema = "labour_contracts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @OptionalField(key: "enterprise_id") public var enterpriseID: UUID?
    @Field(key: "worker_id") public var workerID: UUID
    /// Code table c.10: 0 fixed term, 1 until a given task is completed.
    @Field(key: "period_type") public var periodType: String
    @Field(key: "starts_on") public var startsOn: String
    @OptionalField(key: "ends_on") public var endsOn: String?
    /// `CodeTable.wageBases`: day, month, piece.
    @Field(key: "wage_basis") public var wageBasis: String
    /// Day rate, monthly wage or price per unit, in fen.
    @Field(key: "rate_fen") public var rateFen: Int64
    /// Code table c.19, for piece rates.
    @OptionalField(key: "piece_unit") public var pieceUnit: String?
    @Field(key: "signed_on") public var signedOn: String
    @OptionalField(key: "file_name") public var fileName: String?
    @OptionalField(key: "file_type") public var fileType: String?
    @OptionalField(key: "file_size") public var fileSize: Int?
    @OptionalField(key: "file_sha256") public var fileSHA256: String?
    /// The scan, sealed with the field key: a contract carries the worker's identity.
    @OptionalField(key: "file_cipher") public var fileCipher: Data?
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A project training session (codes c.21).
public final class TrainingModel: Model, @unchecked Sendable {
    public static let schema = "trainings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "type_code") public var typeCode: String
    @Field(key: "held_on") public var heldOn: String
    @Field(key: "duration_hours") public var durationHours: Double
    @Field(key: "trainer") public var trainer: String
    @OptionalField(key: "description") public var description: String?
    @OptionalField(key: "organisation") public var organisation: String?
    @OptionalField(key: "address") public var address: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

public final class TrainingAttendeeModel: Model, @unchecked Sendable {
    public static let schema = "training_attendees"

    @ID(key: .id) public var id: UUID?
    @Field(key: "training_id") public var trainingID: UUID
    @Field(key: "worker_id") public var workerID: UUID
    /// nil: registered in the console (present counts as passed); false: attended, did not pass.
    @OptionalField(key: "passed") public var passed: Bool?
    /// 0–100, one decimal, when the upload gave one.
    @OptionalField(key: "score") public var score: Double?

    public init() {}
}

/// A worker on a project (ProjectWorker), active until exit.
public final class ProjectWorkerModel: Model, @unchecked Sendable {
    public static let schema = "project_workers"
    public static let activeSlot = "A"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "team_id") public var teamID: UUID
    @Field(key: "worker_id") public var workerID: UUID
    /// Code table c.1.
    @Field(key: "work_type") public var workType: String
    /// Code table c.2: 10 manager, 20 worker.
    @Field(key: "work_role") public var workRole: String
    @Field(key: "is_team_leader") public var isTeamLeader: Bool
    /// `active` or `exited`.
    @Field(key: "status") public var status: String
    @Field(key: "entry_date") public var entryDate: String
    @OptionalField(key: "exit_date") public var exitDate: String?
    @OptionalField(key: "card_number") public var cardNumber: String?
    @Field(key: "has_insurance") public var hasInsurance: Bool
    @Field(key: "active_slot") public var activeSlot: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var isActive: Bool { status == "active" }

    /// Closes the entry on `date`, freeing the active slot for a later re-entry.
    public func markExited(on date: String) {
        status = "exited"
        exitDate = date
        activeSlot = id?.uuidString ?? UUID().uuidString
    }
}

/// One line of the entry/exit ledger: a unit, team or worker entering (1) or leaving (0).
public final class EntryExitRecordModel: Model, @unchecked Sendable {
    public static let schema = "entry_exit_records"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    /// `unit`, `team` or `worker`.
    @Field(key: "subject") public var subject: String
    @Field(key: "unit_id") public var unitID: UUID
    @OptionalField(key: "team_id") public var teamID: UUID?
    @OptionalField(key: "worker_id") public var workerID: UUID?
    /// Code table c.17b: 1 entry, 0 exit.
    @Field(key: "type") public var type: Int
    @Field(key: "date") public var date: String
    @OptionalField(key: "reason") public var reason: String?
    @Field(key: "recorded_by") public var recordedBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(
        projectID: UUID, subject: String, unitID: UUID, teamID: UUID?, workerID: UUID?, entry: Bool, date: String,
        reason: String?, recordedBy: String
    ) {
        self.id = UUID()
        self.projectID = projectID
        self.subject = subject
        self.unitID = unitID
        self.teamID = teamID
        self.workerID = workerID
        self.type = entry ? 1 : 0
        self.date = date
        self.reason = reason
        self.recordedBy = recordedBy
        self.createdAt = ServerClock.now()
    }
}

/// The project's dedicated wage account (专户).
public final class WageAccountModel: Model, @unchecked Sendable {
    public static let schema = "wage_accounts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    /// Code table c.20.
    @Field(key: "bank_code") public var bankCode: String
    /// The branch (开户网点).
    @Field(key: "bank_name") public var bankName: String
    /// "总包单位名称 + 项目名称 + 农民工工资专用账户" (人社部发〔2021〕53号).
    @Field(key: "account_name") public var accountName: String
    @Field(key: "number_cipher") public var numberCipher: String
    @Field(key: "number_hmac") public var numberHMAC: String
    @Field(key: "number_masked") public var numberMasked: String
    @Field(key: "opened_on") public var openedOn: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A wage guarantee (工资保证金) deposit or letter.
public final class WageGuaranteeModel: Model, @unchecked Sendable {
    public static let schema = "wage_guarantees"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "amount_fen") public var amountFen: Int64
    /// `CodeTable.guaranteeForms`.
    @Field(key: "form") public var form: String
    @OptionalField(key: "institution") public var institution: String?
    @Field(key: "valid_from") public var validFrom: String
    @Field(key: "valid_until") public var validUntil: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
