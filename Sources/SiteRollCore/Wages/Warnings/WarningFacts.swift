import Foundation

/// Everything the warning rules read about a set of projects, as plain values. The server gathers
/// it with a few bulk queries per batch of projects; the rules never touch a database, so a test
/// writes facts and reads findings.
public struct WarningFacts: Sendable {
    public struct Project: Sendable, Hashable {
        public var id: UUID
        public var code: String
        public var name: String
        public var divisionCode: String
        /// Code table c.12: 003 在建.
        public var status: String
        public var contractSignedOn: LocalDate?
        public var startDate: LocalDate?
        /// The day the project agreed for paying last month's wages (rights board).
        public var payDay: Int
        public var builderName: String?
        public var contractorEnterpriseID: UUID
        public var contractorName: String
        public var authorityPhone: String?
        /// When the project was registered (a fallback start).
        public var registeredOn: LocalDate

        public init(
            id: UUID, code: String, name: String, divisionCode: String, status: String = "003",
            contractSignedOn: LocalDate? = nil, startDate: LocalDate? = nil, payDay: Int = 10,
            builderName: String? = nil, contractorEnterpriseID: UUID, contractorName: String,
            authorityPhone: String? = nil, registeredOn: LocalDate
        ) {
            self.id = id
            self.code = code
            self.name = name
            self.divisionCode = divisionCode
            self.status = status
            self.contractSignedOn = contractSignedOn
            self.startDate = startDate
            self.payDay = payDay
            self.builderName = builderName
            self.contractorEnterpriseID = contractorEnterpriseID
            self.contractorName = contractorName
            self.authorityPhone = authorityPhone
            self.registeredOn = registeredOn
        }

        /// Under construction: the site rules (WW-02, WW-08 …) apply.
        public var isUnderConstruction: Bool { status == "003" }
        /// The start the setup rules count from.
        public var start: LocalDate { startDate ?? contractSignedOn ?? registeredOn }
    }

    public struct Unit: Sendable, Hashable {
        public var id: UUID
        public var projectID: UUID
        public var enterpriseID: UUID?
        public var name: String
        /// Code table c.5; 009 施工总承包.
        public var participationType: String

        public init(id: UUID, projectID: UUID, enterpriseID: UUID?, name: String, participationType: String) {
            self.id = id
            self.projectID = projectID
            self.enterpriseID = enterpriseID
            self.name = name
            self.participationType = participationType
        }

        public var isGeneralContractor: Bool { participationType == "009" }
    }

    public struct Account: Sendable, Hashable {
        public var openedOn: LocalDate?
        public var masked: String

        public init(openedOn: LocalDate?, masked: String) {
            self.openedOn = openedOn
            self.masked = masked
        }
    }

    public struct Guarantee: Sendable, Hashable {
        public var amountFen: Int64
        public var validFrom: LocalDate
        public var validUntil: LocalDate

        public init(amountFen: Int64, validFrom: LocalDate, validUntil: LocalDate) {
            self.amountFen = amountFen
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    /// A labour-cost transfer into the dedicated account (direction in, kind labour_cost).
    public struct Transfer: Sendable, Hashable {
        public var on: LocalDate
        public var amountFen: Int64
        public var counterparty: String?

        public init(on: LocalDate, amountFen: Int64, counterparty: String? = nil) {
            self.on = on
            self.amountFen = amountFen
            self.counterparty = counterparty
        }
    }

    /// A manager appointment in force today (project_managers).
    public struct Appointment: Sendable, Hashable {
        public var unitID: UUID
        /// `CodeTable.managerRoles`: pm, labour, safety …
        public var role: String

        public init(unitID: UUID, role: String) {
            self.unitID = unitID
            self.role = role
        }
    }

    public struct Payroll: Sendable, Hashable {
        public var id: UUID
        public var projectID: UUID
        public var unitID: UUID
        public var month: PayMonth
        public var code: String
        /// `draft`, `submitted`, `paying`, `paid`, `partly_paid`.
        public var status: String

        public init(id: UUID, projectID: UUID, unitID: UUID, month: PayMonth, code: String, status: String) {
            self.id = id
            self.projectID = projectID
            self.unitID = unitID
            self.month = month
            self.code = code
            self.status = status
        }

        public var isSubmitted: Bool { status != "draft" }
    }

    /// A payroll line of a submitted payroll.
    public struct Line: Sendable, Hashable {
        public var id: UUID
        public var payrollID: UUID
        public var projectID: UUID
        public var unitID: UUID
        public var workerID: UUID
        public var month: PayMonth
        public var dueFen: Int64
        public var paidFen: Int64
        public var paidOn: LocalDate?
        /// `unpaid`, `paying`, `paid`, `failed`.
        public var status: String
        public var failureReason: String?
        public var cardID: UUID?
        public var isBackPay: Bool
        public var backPayMonth: PayMonth?

        public init(
            id: UUID = UUID(), payrollID: UUID, projectID: UUID, unitID: UUID, workerID: UUID, month: PayMonth,
            dueFen: Int64, paidFen: Int64, paidOn: LocalDate? = nil, status: String = "unpaid",
            failureReason: String? = nil, cardID: UUID? = nil, isBackPay: Bool = false, backPayMonth: PayMonth? = nil
        ) {
            self.id = id
            self.payrollID = payrollID
            self.projectID = projectID
            self.unitID = unitID
            self.workerID = workerID
            self.month = month
            self.dueFen = dueFen
            self.paidFen = paidFen
            self.paidOn = paidOn
            self.status = status
            self.failureReason = failureReason
            self.cardID = cardID
            self.isBackPay = isBackPay
            self.backPayMonth = backPayMonth
        }

        /// The month whose wages this line pays: the back-pay month for 补发.
        public var settlesMonth: PayMonth { isBackPay ? (backPayMonth ?? month) : month }
    }

    /// Days with counted attendance of one worker for one unit in one month.
    public struct AttendanceMonth: Sendable, Hashable {
        public var projectID: UUID
        public var unitID: UUID
        public var workerID: UUID
        public var month: PayMonth
        public var days: Int

        public init(projectID: UUID, unitID: UUID, workerID: UUID, month: PayMonth, days: Int) {
            self.projectID = projectID
            self.unitID = unitID
            self.workerID = workerID
            self.month = month
            self.days = days
        }
    }

    /// An active entry of a worker on a project (ProjectWorker).
    public struct Entry: Sendable, Hashable {
        public var id: UUID
        public var projectID: UUID
        public var unitID: UUID
        public var workerID: UUID
        /// Code table c.2: 10 manager, 20 worker.
        public var workRole: String
        public var entryDate: LocalDate

        public init(
            id: UUID = UUID(), projectID: UUID, unitID: UUID, workerID: UUID, workRole: String = "20",
            entryDate: LocalDate
        ) {
            self.id = id
            self.projectID = projectID
            self.unitID = unitID
            self.workerID = workerID
            self.workRole = workRole
            self.entryDate = entryDate
        }

        public var isManager: Bool { workRole == "10" }
    }

    public struct Worker: Sendable, Hashable {
        public var id: UUID
        public var name: String
        public var masked: String
        public var birthDate: LocalDate?
        public var isVerified: Bool
        public var verifiedOn: LocalDate?

        public init(
            id: UUID, name: String, masked: String = "", birthDate: LocalDate? = nil, isVerified: Bool = true,
            verifiedOn: LocalDate? = nil
        ) {
            self.id = id
            self.name = name
            self.masked = masked
            self.birthDate = birthDate
            self.isVerified = isVerified
            self.verifiedOn = verifiedOn
        }

        /// 张三（5101**********1234）
        public var label: String { masked.isEmpty ? name : "\(name)（\(masked)）" }
    }

    public struct Contract: Sendable, Hashable {
        public var unitID: UUID
        public var startsOn: LocalDate
        public var endsOn: LocalDate?

        public init(unitID: UUID, startsOn: LocalDate, endsOn: LocalDate?) {
            self.unitID = unitID
            self.startsOn = startsOn
            self.endsOn = endsOn
        }
    }

    public struct Card: Sendable, Hashable {
        public var id: UUID
        public var workerID: UUID
        public var holderName: String
        public var numberHash: String
        public var masked: String
        public var isActive: Bool

        public init(
            id: UUID = UUID(), workerID: UUID, holderName: String, numberHash: String, masked: String,
            isActive: Bool = true
        ) {
            self.id = id
            self.workerID = workerID
            self.holderName = holderName
            self.numberHash = numberHash
            self.masked = masked
            self.isActive = isActive
        }
    }

    /// What the worker did last before an entry (WW-09), and where that date comes from.
    public struct PriorActivity: Sendable, Hashable {
        public var on: LocalDate
        public var source: String

        public init(on: LocalDate, source: String) {
            self.on = on
            self.source = source
        }
    }

    public var today: LocalDate
    public var projects: [Project]
    public var units: [UUID: Unit] = [:]
    /// Project → its dedicated account.
    public var accounts: [UUID: Account] = [:]
    public var guarantees: [UUID: [Guarantee]] = [:]
    /// Project → labour-cost transfers in, any order.
    public var transfers: [UUID: [Transfer]] = [:]
    /// Project → appointments in force today.
    public var appointments: [UUID: [Appointment]] = [:]
    public var payrolls: [Payroll] = []
    /// Lines of submitted payrolls in the evaluated months (and back pay settling them).
    public var lines: [Line] = []
    /// Project → pay month → wages due on submitted payrolls (all months, for WW-03).
    public var monthlyDue: [UUID: [PayMonth: Int64]] = [:]
    public var attendance: [AttendanceMonth] = []
    public var entries: [Entry] = []
    public var workers: [UUID: Worker] = [:]
    /// Project → worker → contracts.
    public var contracts: [UUID: [UUID: [Contract]]] = [:]
    /// Worker → days of basic safety (003001) or site-entry (003002) trainings attended.
    public var safetyTrainings: [UUID: [LocalDate]] = [:]
    /// Entry → the worker's last activity before it.
    public var priorActivity: [UUID: PriorActivity] = [:]
    /// Card id → card, for the workers' own active cards and every card a line paid to.
    public var cards: [UUID: Card] = [:]
    /// Keyed hash → the workers holding an active card with it, where more than one does.
    public var sharedCards: [String: [Worker]] = [:]
    /// Manager entry → days with counted attendance in the recent window.
    public var managerDays: [UUID: Set<LocalDate>] = [:]
    /// Whether the local minimum wage is configured for a division (WW-11).
    public var minimumWageKnown: [String: Bool] = [:]

    public init(today: LocalDate, projects: [Project]) {
        self.today = today
        self.projects = projects
    }
}
