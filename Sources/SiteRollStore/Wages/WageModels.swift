import FluentKit
import Foundation

/// A worker's wage card (W1, W12). The number is sealed; `numberHMAC` finds cards shared by workers.
public final class WorkerBankCardModel: Model, @unchecked Sendable {
    public static let schema = "worker_bank_cards"

    @ID(key: .id) public var id: UUID?
    @Field(key: "worker_id") public var workerID: UUID
    /// Code table c.20.
    @Field(key: "bank_code") public var bankCode: String
    @Field(key: "bank_name") public var bankName: String
    /// The name the bank account is held in, as on the card or passbook.
    @Field(key: "holder_name") public var holderName: String
    @Field(key: "number_cipher") public var numberCipher: String
    @Field(key: "number_hmac") public var numberHMAC: String
    @Field(key: "number_masked") public var numberMasked: String
    /// `active` or `closed`.
    @Field(key: "status") public var status: String
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "closed_at") public var closedAt: Date?

    public init() {}

    public var isActive: Bool { status == "active" }
}

/// A payroll (工资表) for a unit (optionally one team) and a month.
public final class PayrollModel: Model, @unchecked Sendable {
    public static let schema = "payrolls"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @OptionalField(key: "team_id") public var teamID: UUID?
    /// `yyyy-MM`.
    @Field(key: "pay_month") public var payMonth: String
    /// unit id, team id or "all", and the month: one payroll per scope and month.
    @Field(key: "scope_key") public var scopeKey: String
    /// The submitter's payroll number (`thirdPayRollCode`).
    @Field(key: "code") public var code: String
    /// `draft`, `submitted`, `paying`, `paid`, `partly_paid`.
    @Field(key: "status") public var status: String
    /// `generated` (from attendance) or `imported`.
    @Field(key: "source") public var source: String
    @OptionalField(key: "scan_name") public var scanName: String?
    @OptionalField(key: "scan_type") public var scanType: String?
    @OptionalField(key: "scan_size") public var scanSize: Int?
    @OptionalField(key: "scan_sha256") public var scanSHA256: String?
    @OptionalField(key: "scan_cipher") public var scanCipher: Data?
    /// JSON object: finding override key → reason, as given at submission.
    @OptionalField(key: "overrides") public var overrides: String?
    @OptionalField(key: "submitted_at") public var submittedAt: Date?
    @OptionalField(key: "submitted_by") public var submittedBy: UUID?
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public static func scopeKey(unit: UUID, team: UUID?, month: String) -> String {
        "\(unit.uuidString)|\(team?.uuidString ?? "all")|\(month)"
    }

    public var isDraft: Bool { status == "draft" }
}

/// One worker's wage for the month (detailList line), with what the bank reported paid.
public final class PayrollLineModel: Model, @unchecked Sendable {
    public static let schema = "payroll_lines"

    @ID(key: .id) public var id: UUID?
    @Field(key: "payroll_id") public var payrollID: UUID
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @OptionalField(key: "team_id") public var teamID: UUID?
    @Field(key: "worker_id") public var workerID: UUID
    @Field(key: "pay_month") public var payMonth: String
    /// Man-days in the attendance sheet (the national `days`).
    @Field(key: "man_days") public var manDays: Double
    @OptionalField(key: "work_hours") public var workHours: Double?
    /// The contract's terms when the line was computed (nil: no contract in force).
    @OptionalField(key: "wage_basis") public var wageBasis: String?
    @OptionalField(key: "rate_fen") public var rateFen: Int64?
    /// Piece work: the quantity in the contract's unit.
    @OptionalField(key: "quantity") public var quantity: Double?
    @Field(key: "gross_fen") public var grossFen: Int64
    @Field(key: "deduction_fen") public var deductionFen: Int64
    @OptionalField(key: "deduction_reason") public var deductionReason: String?
    /// gross − deductions: the amount due (`totalPayAmount`).
    @Field(key: "due_fen") public var dueFen: Int64
    /// What the bank reported paid (`actualAmount`); 0 until it does.
    @Field(key: "paid_fen") public var paidFen: Int64
    /// The pay date the bank reported (`balanceDate`).
    @OptionalField(key: "paid_on") public var paidOn: String?
    @Field(key: "is_back_pay") public var isBackPay: Bool
    @OptionalField(key: "back_pay_month") public var backPayMonth: String?
    @OptionalField(key: "card_id") public var cardID: UUID?
    /// `unpaid`, `paying`, `paid`, `failed`.
    @Field(key: "status") public var status: String
    @OptionalField(key: "failure_reason") public var failureReason: String?
    /// The worker's answer on the phone: nil, `confirmed` or `objected`.
    @OptionalField(key: "worker_response") public var workerResponse: String?
    @OptionalField(key: "responded_at") public var respondedAt: Date?
    @OptionalField(key: "note") public var note: String?
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var unpaidFen: Int64 { max(dueFen - paidFen, 0) }
}

/// One pay-on-behalf instruction to the bank.
public final class WagePaymentBatchModel: Model, @unchecked Sendable {
    public static let schema = "wage_payment_batches"

    @ID(key: .id) public var id: UUID?
    @Field(key: "payroll_id") public var payrollID: UUID
    @Field(key: "project_id") public var projectID: UUID
    /// The idempotency key the bank sees.
    @Field(key: "instruction_id") public var instructionID: String
    @OptionalField(key: "bank_batch_id") public var bankBatchID: String?
    /// `sending`, `accepted`, `completed`, `rejected`, `unsent` (bank unreachable; retry resends the same instruction).
    @Field(key: "status") public var status: String
    @Field(key: "line_count") public var lineCount: Int
    @Field(key: "total_fen") public var totalFen: Int64
    @Field(key: "paid_fen") public var paidFen: Int64
    @OptionalField(key: "message") public var message: String?
    @Field(key: "simulated") public var simulated: Bool
    @Field(key: "sent_by") public var sentBy: UUID
    @Field(key: "sent_at") public var sentAt: Date
    @OptionalField(key: "completed_at") public var completedAt: Date?
    /// When the background follow-up asks the bank again about an unsettled batch; nil once settled.
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    /// Background follow-ups so far (the back-off doubles with each).
    @Field(key: "attempts") public var attempts: Int

    public init() {}
}

/// A line's outcome in one batch.
public final class WagePaymentResultModel: Model, @unchecked Sendable {
    public static let schema = "wage_payment_results"

    @ID(key: .id) public var id: UUID?
    @Field(key: "batch_id") public var batchID: UUID
    @Field(key: "line_id") public var lineID: UUID
    @Field(key: "amount_fen") public var amountFen: Int64
    /// `pending`, `paid`, `failed`.
    @Field(key: "status") public var status: String
    @OptionalField(key: "reason_code") public var reasonCode: String?
    @OptionalField(key: "reason") public var reason: String?
    @OptionalField(key: "bank_reference") public var bankReference: String?
    @OptionalField(key: "settled_on") public var settledOn: String?
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}
}

/// A movement on the dedicated account as the bank's statement reports it.
public final class WageAccountTransactionModel: Model, @unchecked Sendable {
    public static let schema = "wage_account_transactions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "wage_account_id") public var wageAccountID: UUID
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "bank_transaction_id") public var bankTransactionID: String
    /// `in` or `out`.
    @Field(key: "direction") public var direction: String
    /// `labour_cost` (人工费 from the builder), `wage` (pay-on-behalf debit), `refund`, `other`.
    @Field(key: "kind") public var kind: String
    @Field(key: "amount_fen") public var amountFen: Int64
    @OptionalField(key: "balance_after_fen") public var balanceAfterFen: Int64?
    @OptionalField(key: "counterparty_name") public var counterpartyName: String?
    @OptionalField(key: "counterparty_masked") public var counterpartyMasked: String?
    @Field(key: "occurred_on") public var occurredOn: String
    @Field(key: "occurred_at") public var occurredAt: Date
    @OptionalField(key: "batch_id") public var batchID: UUID?
    @OptionalField(key: "line_id") public var lineID: UUID?
    @OptionalField(key: "memo") public var memo: String?
    @Field(key: "simulated") public var simulated: Bool
    @Field(key: "synced_at") public var syncedAt: Date

    public init() {}
}

/// The wage agency agreement (E4).
public final class WageAgencyAgreementModel: Model, @unchecked Sendable {
    public static let schema = "wage_agency_agreements"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    /// The subcontractor whose workers are paid on its behalf (nil: the whole project).
    @OptionalField(key: "unit_id") public var unitID: UUID?
    /// 委托方 (the employer) and 代发方 (the general contractor or the bank).
    @Field(key: "principal_name") public var principalName: String
    @Field(key: "agent_name") public var agentName: String
    @Field(key: "bank_code") public var bankCode: String
    @Field(key: "bank_name") public var bankName: String
    @Field(key: "signed_on") public var signedOn: String
    @Field(key: "valid_from") public var validFrom: String
    @OptionalField(key: "valid_until") public var validUntil: String?
    @OptionalField(key: "scan_name") public var scanName: String?
    @OptionalField(key: "scan_type") public var scanType: String?
    @OptionalField(key: "scan_size") public var scanSize: Int?
    @OptionalField(key: "scan_sha256") public var scanSHA256: String?
    @OptionalField(key: "scan_cipher") public var scanCipher: Data?
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A worker's complaint; wage objections from the phone are the first kind (M4).
public final class ComplaintModel: Model, @unchecked Sendable {
    public static let schema = "complaints"

    @ID(key: .id) public var id: UUID?
    /// People-facing number, e.g. TS202611250001.
    @Field(key: "code") public var code: String
    @Field(key: "worker_id") public var workerID: UUID
    @OptionalField(key: "project_id") public var projectID: UUID?
    @OptionalField(key: "unit_id") public var unitID: UUID?
    /// `wage` for now.
    @Field(key: "category") public var category: String
    /// `payroll_line` for a wage objection.
    @OptionalField(key: "subject_kind") public var subjectKind: String?
    @OptionalField(key: "subject_id") public var subjectID: UUID?
    @Field(key: "text") public var text: String
    /// `submitted` until the complaint subsystem works it.
    @Field(key: "status") public var status: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}

/// A wage-payment warning (d.6): one per rule and subject, reopened or resolved by later runs.
public final class WageWarningModel: Model, @unchecked Sendable {
    public static let schema = "wage_warnings"

    @ID(key: .id) public var id: UUID?
    /// WW-01 … WW-14.
    @Field(key: "rule_id") public var ruleID: String
    @Field(key: "rule_version") public var ruleVersion: Int
    /// Identifies the subject within the rule, e.g. `project:<id>|2026-10`.
    @Field(key: "subject_key") public var subjectKey: String
    /// `project`, `unit`, `worker`, `payroll_line`, …
    @Field(key: "subject_kind") public var subjectKind: String
    /// The subject as a person reads it (project name, worker name and month…).
    @Field(key: "subject_label") public var subjectLabel: String
    @OptionalField(key: "project_id") public var projectID: UUID?
    /// The project's division: regulators see warnings by prefix.
    @Field(key: "division_code") public var divisionCode: String
    @OptionalField(key: "unit_id") public var unitID: UUID?
    /// The responsible enterprise (addressee), for the enterprise's own board.
    @OptionalField(key: "enterprise_id") public var enterpriseID: UUID?
    /// The worker whose pay it is about, for the worker's phone.
    @OptionalField(key: "worker_id") public var workerID: UUID?
    /// Who must act, in Chinese (总承包单位 / 建设单位 / 用工单位 …).
    @Field(key: "addressee") public var addressee: String
    /// `high`, `medium`, `low`.
    @Field(key: "severity") public var severity: String
    /// Why, in one Chinese sentence with the numbers.
    @Field(key: "summary") public var summary: String
    /// JSON array of evidence rows: `[{"label": …, "value": …, "ref": …}]`.
    @Field(key: "evidence") public var evidence: String
    @OptionalField(key: "due_on") public var dueOn: String?
    /// `open`, `acknowledged`, `resolved`, `dismissed`.
    @Field(key: "status") public var status: String
    @Field(key: "first_seen_at") public var firstSeenAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @OptionalField(key: "resolved_at") public var resolvedAt: Date?
    /// How it resolved, in Chinese (e.g. the cause no longer holds).
    @OptionalField(key: "resolution") public var resolution: String?
    @OptionalField(key: "handled_by") public var handledBy: UUID?
    @OptionalField(key: "handled_at") public var handledAt: Date?
    /// The acknowledgement note or the reason for dismissal.
    @OptionalField(key: "handling_note") public var handlingNote: String?

    public init() {}
}

/// One evaluation of the warning rules, on schedule or on demand.
public final class WarningRunModel: Model, @unchecked Sendable {
    public static let schema = "warning_runs"

    @ID(key: .id) public var id: UUID?
    /// `schedule` or `manual`.
    @Field(key: "trigger") public var trigger: String
    /// `running`, `finished`, `failed`.
    @Field(key: "status") public var status: String
    /// The rule set version, e.g. `2026.1`.
    @Field(key: "rules_version") public var rulesVersion: String
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    @Field(key: "projects") public var projects: Int
    @Field(key: "opened") public var opened: Int
    @Field(key: "resolved") public var resolved: Int
    @Field(key: "still_open") public var stillOpen: Int
    @OptionalField(key: "message") public var message: String?
    @OptionalField(key: "started_by") public var startedBy: UUID?

    public init() {}
}
