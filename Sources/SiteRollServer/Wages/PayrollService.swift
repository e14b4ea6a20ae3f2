import Crypto
import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Payrolls (G4, W2, W4, W12): a draft computed from the month's attendance and each worker's
/// contract, edited by the labour officer, checked before submission (`PayrollValidation`), then
/// paid from the dedicated account (`PayoutService`). Lines keep what is due and what the bank
/// reported paid; the worker confirms or objects on the phone (M4).
struct PayrollService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let attendance: AttendanceService
    let cards: WageCardService
    let minimumWages: MinimumWageBook
    let computation: PayrollComputation
    let scanMaxBytes: Int
    let audit = AuditTrail()

    var validation: PayrollValidation { PayrollValidation(computation: computation) }

    // MARK: Reading

    func payrolls(of projectID: UUID, standing: ProjectReach.Standing) async throws -> [PayrollModel] {
        let all = try await PayrollModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$payMonth, .descending).sort(\.$createdAt, .descending).all()
        return all.filter { standing.sees(unit: $0.unitID) }
    }

    /// A payroll of a project within reach (a unit's staff see their own unit's only).
    func payroll(_ id: UUID, project projectID: UUID, standing: ProjectReach.Standing) async throws -> PayrollModel {
        guard let payroll = try await PayrollModel.find(id, on: database.database()), payroll.projectID == projectID
        else { throw AppError.notFound }
        guard standing.sees(unit: payroll.unitID) else { throw AppError.notFound }
        return payroll
    }

    func lines(of payrollID: UUID) async throws -> [PayrollLineModel] {
        try await PayrollLineModel.query(on: database.database()).filter(\.$payrollID == payrollID).all()
    }

    // MARK: Drafting

    /// A draft for a unit (optionally one team) and month: one line per worker with attendance in
    /// that scope, plus workers on a piece-work contract in force (their quantity is entered by hand).
    func generate(
        project projectID: UUID, unitID: String, teamID: String, month text: String, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws -> PayrollModel {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let (unit, team, month, scopeKey) = try await checkScope(
            project: projectID, standing: standing, unitID: unitID, teamID: teamID, month: text)
        let unitID = unit.uuid
        let db = database.database()
        let sheet = try await attendance.monthSheet(
            project: projectID, year: month.year, month: month.month, unit: unitID, team: team?.id)
        var manDays: [UUID: Double] = [:]
        for row in sheet.sheet.rows {
            if let person = sheet.people[row.key], row.total > 0 { manDays[person.workerID, default: 0] += row.total }
        }
        let contracts = try await contractsInForce(project: projectID, unit: unitID, month: month)
        var workerIDs = Set(manDays.keys)
        for (worker, contract) in contracts where contract.wageBasis == WageBasis.piece.rawValue {
            if let team, try await !isInTeam(worker, team: team.uuid) { continue }
            workerIDs.insert(worker)
        }
        let cardsByWorker = try await cards.activeCards(of: Array(workerIDs))
        let payroll = Self.newPayroll(project: project, unit: unitID, team: team?.id, month: month, scopeKey: scopeKey)
        payroll.createdBy = account.id
        let teamsByWorker = try await teamsOf(Array(workerIDs), project: projectID)
        let lines = workerIDs.map { workerID in
            let line = Self.newLine(payroll, worker: workerID, team: teamsByWorker[workerID] ?? team?.id)
            line.manDays = manDays[workerID] ?? 0
            line.cardID = cardsByWorker[workerID]?.id
            if let contract = contracts[workerID], let basis = WageBasis(rawValue: contract.wageBasis) {
                line.wageBasis = basis.rawValue
                line.rateFen = contract.rateFen
                line.grossFen = computation.grossFen(
                    terms: PayTerms(basis: basis, rateFen: contract.rateFen), manDays: line.manDays)
            }
            line.dueFen = line.grossFen
            return line
        }
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            try await payroll.create(on: tx)
            for line in lines { try await line.create(on: tx) }
            return (
                payroll,
                AuditDraft(
                    "payroll.generated", on: project, by: account, entity: "payroll", id: payroll.uuid,
                    summary: "\(project.name)：按考勤和劳动合同生成\(unit.name)\(month.chinese)工资表（\(lines.count) 人）",
                    change: [
                        "payroll": payroll.uuid.uuidString, "lines": String(lines.count),
                        "gross": String(lines.map(\.grossFen).moneySum),
                    ])
            )
        }
    }

    /// The unit, team and month a new payroll is for, checked: the viewer manages the unit, the
    /// month is not in the future, and no payroll exists for the same scope and month.
    private func checkScope(
        project projectID: UUID, standing: ProjectReach.Standing, unitID: String, teamID: String, month text: String
    ) async throws -> (ProjectUnitModel, TeamModel?, PayMonth, String) {
        guard let month = PayMonth(text) else {
            throw AppError.badRequest("PAYROLL_MONTH_INVALID", "工资月份格式应为 年-月，例如 2026-10")
        }
        let db = database.database()
        guard let unitID = UUID(uuidString: unitID), let unit = try await ProjectUnitModel.find(unitID, on: db),
            unit.projectID == projectID
        else { throw AppError.badRequest("PAYROLL_UNIT_REQUIRED", "请选择用工单位") }
        try standing.requireUnit(unitID)
        var team: TeamModel?
        if let id = UUID(uuidString: teamID) {
            guard let found = try await TeamModel.find(id, on: db), found.projectID == projectID, found.unitID == unitID
            else { throw AppError.badRequest("PAYROLL_TEAM_INVALID", "所选班组不属于该用工单位") }
            team = found
        }
        if month > PayMonth(containing: ProjectService.today()) {
            throw AppError.badRequest("PAYROLL_MONTH_FUTURE", "工资月份\(month.chinese)晚于本月，不能提前编制工资表")
        }
        let scopeKey = PayrollModel.scopeKey(unit: unitID, team: team?.id, month: month.description)
        if try await PayrollModel.query(on: db).filter(\.$scopeKey == scopeKey).first() != nil {
            throw AppError(
                .conflict, code: "PAYROLL_EXISTS",
                message: "\(unit.name)\(team.map { "（\($0.name)）" } ?? "")\(month.chinese)的工资表已经存在，请在原表上修改")
        }
        return (unit, team, month, scopeKey)
    }

    /// An empty draft (the import fills it).
    func createEmpty(
        project projectID: UUID, unitID: String, teamID: String = "", month text: String, source: String,
        scope: AccessScope, by account: AccountSnapshot
    ) async throws -> PayrollModel {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let (unit, team, month, scopeKey) = try await checkScope(
            project: projectID, standing: standing, unitID: unitID, teamID: teamID, month: text)
        let payroll = Self.newPayroll(
            project: project, unit: unit.uuid, team: team?.id, month: month, scopeKey: scopeKey)
        payroll.source = source
        payroll.createdBy = account.id
        return try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await payroll.create(on: tx)
            return (
                payroll,
                AuditDraft(
                    "payroll.imported", on: project, by: account, entity: "payroll", id: payroll.uuid,
                    summary: "\(project.name)：导入\(unit.name)\(month.chinese)工资表",
                    change: ["payroll": payroll.uuid.uuidString])
            )
        }
    }

    static func newPayroll(project: ProjectModel, unit: UUID, team: UUID?, month: PayMonth, scopeKey: String)
        -> PayrollModel
    {
        let payroll = PayrollModel()
        payroll.id = UUID()
        payroll.projectID = project.uuid
        payroll.unitID = unit
        payroll.teamID = team
        payroll.payMonth = month.description
        payroll.scopeKey = scopeKey
        payroll.code = code(project: project, month: month)
        payroll.status = "draft"
        payroll.source = "generated"
        payroll.createdAt = ServerClock.now()
        payroll.updatedAt = payroll.createdAt
        return payroll
    }

    static func newLine(_ payroll: PayrollModel, worker: UUID, team: UUID?) -> PayrollLineModel {
        let line = PayrollLineModel()
        line.id = UUID()
        line.payrollID = payroll.uuid
        line.projectID = payroll.projectID
        line.unitID = payroll.unitID
        line.teamID = team
        line.workerID = worker
        line.payMonth = payroll.payMonth
        line.manDays = 0
        line.grossFen = 0
        line.deductionFen = 0
        line.dueFen = 0
        line.paidFen = 0
        line.isBackPay = false
        line.status = "unpaid"
        line.updatedAt = ServerClock.now()
        return line
    }

    /// GZ + project code + month + 4 random hex: the submitter's own number (`thirdPayRollCode`).
    static func code(project: ProjectModel, month: PayMonth) -> String {
        let suffix = (0..<4).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined().uppercased()
        return "GZ\(project.code.suffix(12))\(month.year)\(month.month < 10 ? "0" : "")\(month.month)\(suffix)"
    }

    /// The latest-signed contract per worker with this unit whose period overlaps the month.
    func contractsInForce(project projectID: UUID, unit unitID: UUID, month: PayMonth) async throws -> [UUID:
        LabourContractModel]
    {
        let all = try await LabourContractModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$unitID == unitID).filter(\.$startsOn <= month.lastDay.description).all()
        var result: [UUID: LabourContractModel] = [:]
        for contract in all where (contract.endsOn ?? "9999-12-31") >= month.firstDay.description {
            if let current = result[contract.workerID], current.signedOn > contract.signedOn { continue }
            result[contract.workerID] = contract
        }
        return result
    }

    private func isInTeam(_ worker: UUID, team: UUID) async throws -> Bool {
        try await ProjectWorkerModel.query(on: database.database()).filter(\.$workerID == worker)
            .filter(\.$teamID == team).count() > 0
    }

    /// Each worker's team on the project (the latest entry).
    func teamsOf(_ workers: [UUID], project projectID: UUID) async throws -> [UUID: UUID] {
        guard !workers.isEmpty else { return [:] }
        let entries = try await ProjectWorkerModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$workerID ~~ workers).sort(\.$entryDate).all()
        return Dictionary(entries.map { ($0.workerID, $0.teamID) }, uniquingKeysWith: { $1 })
    }

    // MARK: Editing

    struct LineInput: Sendable {
        var gross = ""
        var quantity = ""
        var deduction = ""
        var deductionReason = ""
        var isBackPay = false
        var backPayMonth = ""
        var note = ""
    }

    /// Changes one line of a draft: the amount (or the piece quantity), deductions with their reason,
    /// the back-pay flag with its month, a note. Every change is audited with the old and new amount.
    func updateLine(
        _ lineID: UUID, payroll payrollID: UUID, project projectID: UUID, input: LineInput, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let payroll = try await draft(payrollID, project: projectID, standing: standing)
        let db = database.database()
        guard let line = try await PayrollLineModel.find(lineID, on: db), line.payrollID == payrollID else {
            throw AppError.notFound
        }
        var problems = FieldProblems()
        let quantity = problems.decimal(input.quantity, "计件数量", in: 0...1_000_000, maxFractionDigits: 4)
        var gross = problems.money(input.gross, "应发金额", required: false, limit: Money.lineLimitFen)
        let deduction = problems.money(input.deduction, "扣款", required: false, limit: Money.lineLimitFen) ?? 0
        let reason = problems.optional(input.deductionReason, "扣款事由", max: 100)
        if deduction > 0, reason == nil { problems.add("有扣款时须写明扣款事由") }
        var backMonth: PayMonth?
        if input.isBackPay {
            backMonth = PayMonth(input.backPayMonth)
            if backMonth == nil { problems.add("补发须填写所属月份，格式 年-月") }
        }
        let note = problems.optional(input.note, "备注", max: 200)
        try problems.throwIfAny("PAYROLL_LINE_INVALID")
        if let quantity, line.wageBasis == WageBasis.piece.rawValue, let rate = line.rateFen, gross == nil {
            let computed = computation.grossFen(
                terms: PayTerms(basis: .piece, rateFen: rate), manDays: line.manDays, quantity: quantity)
            guard (0...Money.lineLimitFen).contains(computed) else {
                throw AppError(
                    .unprocessableContent, code: "PAYROLL_AMOUNT_OUT_OF_RANGE",
                    message: "计件数量 × 单价 超过每人每月 \(Money.yuan(Money.lineLimitFen)) 元的上限，请核对计件数量")
            }
            gross = computed
        }
        let before = line.dueFen
        line.quantity = quantity ?? line.quantity
        line.grossFen = gross ?? line.grossFen
        line.deductionFen = deduction
        line.deductionReason = reason
        if line.deductionFen > line.grossFen {
            throw AppError.badRequest("PAYROLL_DEDUCTION_EXCEEDS", "扣款不能超过应发金额")
        }
        line.isBackPay = input.isBackPay
        line.backPayMonth = backMonth?.description
        line.note = note
        line.dueFen = Money.difference(line.grossFen, line.deductionFen)
        line.updatedAt = ServerClock.now()
        let name = try await WorkerModel.find(line.workerID, on: db)?.name ?? ""
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await line.update(on: tx)
            payroll.updatedAt = ServerClock.now()
            try await payroll.update(on: tx)
            return (
                (),
                AuditDraft(
                    "payroll.line-changed", on: project, by: account, entity: "payroll", id: payrollID,
                    summary:
                        "\(project.name)：修改\(name)\(payroll.payMonth)工资，应发 \(Money.yuan(before)) → \(Money.yuan(line.dueFen)) 元",
                    change: [
                        "line": lineID.uuidString, "before": String(before), "after": String(line.dueFen),
                        "deduction": String(line.deductionFen), "reason": line.deductionReason ?? "",
                        "backPay": line.backPayMonth ?? "",
                    ])
            )
        }
    }

    /// Adds a line for a worker on the project by verification code (a back-pay line, a worker
    /// whose attendance was kept elsewhere).
    func addLine(
        payroll payrollID: UUID, project projectID: UUID, workerCode: String, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let payroll = try await draft(payrollID, project: projectID, standing: standing)
        let db = database.database()
        let code = workerCode.trimmingCharacters(in: .whitespaces).uppercased()
        guard !code.isEmpty,
            let worker = try await WorkerModel.query(on: db).filter(\.$verificationCode == code).first(),
            try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
                .filter(\.$workerID == worker.uuid).filter(\.$unitID == payroll.unitID).count() > 0
        else {
            throw AppError.badRequest("PAYROLL_WORKER_NOT_FOUND", "没有找到该核验码对应的本单位在本项目的工人")
        }
        if try await PayrollLineModel.query(on: db).filter(\.$payrollID == payrollID)
            .filter(\.$workerID == worker.uuid).count() > 0
        {
            throw AppError(.conflict, code: "PAYROLL_DUPLICATE_WORKER", message: "\(worker.name)已在本工资表中")
        }
        let line = Self.newLine(
            payroll, worker: worker.uuid, team: try await teamsOf([worker.uuid], project: projectID)[worker.uuid])
        let month = try payroll.month()
        if let contract = try await contractsInForce(project: projectID, unit: payroll.unitID, month: month)[
            worker.uuid]
        {
            line.wageBasis = contract.wageBasis
            line.rateFen = contract.rateFen
        }
        line.cardID = try await cards.activeCards(of: [worker.uuid])[worker.uuid]?.id
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await line.create(on: tx)
            return (
                (),
                AuditDraft(
                    "payroll.line-added", on: project, by: account, entity: "payroll", id: payrollID,
                    summary: "\(project.name)：\(payroll.payMonth)工资表增加\(worker.name)",
                    change: ["line": line.uuid.uuidString, "worker": worker.uuid.uuidString])
            )
        }
    }

    func removeLine(
        _ lineID: UUID, payroll payrollID: UUID, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let payroll = try await draft(payrollID, project: projectID, standing: standing)
        let db = database.database()
        guard let line = try await PayrollLineModel.find(lineID, on: db), line.payrollID == payrollID else {
            throw AppError.notFound
        }
        let name = try await WorkerModel.find(line.workerID, on: db)?.name ?? ""
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await line.delete(on: tx)
            return (
                (),
                AuditDraft(
                    "payroll.line-removed", on: project, by: account, entity: "payroll", id: payrollID,
                    summary: "\(project.name)：\(payroll.payMonth)工资表删除\(name)（应发 \(Money.yuan(line.dueFen)) 元）",
                    change: ["line": lineID.uuidString, "due": String(line.dueFen)])
            )
        }
    }

    /// The signed wage table (W12: signed by the workers), PDF/JPEG/PNG, sealed at rest.
    func attachScan(
        payroll payrollID: UUID, project projectID: UUID, file: UploadedFile?, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let payroll = try await draft(payrollID, project: projectID, standing: standing)
        guard let file, !file.data.isEmpty else {
            throw AppError.badRequest("PAYROLL_SCAN_REQUIRED", "请选择签字工资表的扫描件")
        }
        let scan: SealedDocument
        switch try SealedDocument.seal(file, maxBytes: scanMaxBytes, cipher: cards.cipher) {
        case .success(let sealed): scan = sealed
        case .failure(let problem):
            let code = problem == .notAScan ? "PAYROLL_SCAN_TYPE" : "PAYROLL_SCAN_TOO_LARGE"
            throw AppError.badRequest(code, problem.message("扫描件"))
        }
        payroll.scanName = scan.name
        payroll.scanType = scan.type
        payroll.scanSize = scan.size
        payroll.scanSHA256 = scan.sha256
        payroll.scanCipher = scan.sealed
        payroll.updatedAt = ServerClock.now()
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await payroll.update(on: tx)
            return (
                (),
                AuditDraft(
                    "payroll.scan-attached", on: project, by: account, entity: "payroll", id: payrollID,
                    summary: "\(project.name)：上传\(payroll.payMonth)签字工资表",
                    change: ["sha256": payroll.scanSHA256 ?? ""])
            )
        }
    }

    func scan(payroll payrollID: UUID, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> SealedDocument.Opened
    {
        guard let (project, standing) = try await reach.project(projectID, in: scope), standing != .worker else {
            throw AppError.notFound
        }
        let payroll = try await payroll(payrollID, project: projectID, standing: standing)
        return try await SealedDocument.open(
            sealed: payroll.scanCipher, type: payroll.scanType, name: payroll.scanName, defaultName: "payroll",
            cipher: cards.cipher,
            audit: AuditDraft(
                "payroll.scan-viewed", on: project, by: account, entity: "payroll", id: payrollID,
                summary: "查看签字工资表：\(project.name) \(payroll.payMonth)", change: ["payroll": payrollID.uuidString]),
            by: account, on: database.database())
    }

    func draft(_ payrollID: UUID, project projectID: UUID, standing: ProjectReach.Standing) async throws
        -> PayrollModel
    {
        let payroll = try await payroll(payrollID, project: projectID, standing: standing)
        try standing.requireUnit(payroll.unitID)
        guard payroll.isDraft else {
            throw AppError(.conflict, code: "PAYROLL_NOT_DRAFT", message: "工资表已提交，不能再修改；如有差错请在下月工资表中补发或扣回")
        }
        return payroll
    }
}

extension PayrollModel {
    /// The pay month. Every payroll is written with a parsed month, so this fails only for a row
    /// altered outside SiteRoll: a logged 500 for that request, not a trap.
    func month() throws -> PayMonth {
        guard let month = PayMonth(payMonth) else {
            throw StoredValueInvalid(field: "payrolls.pay_month", row: id?.uuidString ?? "")
        }
        return month
    }
}
