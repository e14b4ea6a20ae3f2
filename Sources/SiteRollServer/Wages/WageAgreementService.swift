import Crypto
import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The wage agency agreement (工资代发协议, E4): the employer (委托方) and the general contractor or
/// bank that pays on its behalf (代发方), the bank, the dates and the signed scan.
struct WageAgreementService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let cipher: FieldCipher
    let scanMaxBytes: Int
    let audit = AuditTrail()

    struct Input: Sendable {
        var unitID = ""
        var principalName = ""
        var agentName = ""
        var bankCode = ""
        var signedOn = ""
        var validFrom = ""
        var validUntil = ""
        var file: UploadedFile?
    }

    func agreements(of projectID: UUID) async throws -> [WageAgencyAgreementModel] {
        try await WageAgencyAgreementModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$signedOn, .descending).all()
    }

    func register(_ input: Input, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> WageAgencyAgreementModel
    {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        let db = database.database()
        var problems = FieldProblems()
        var unit: ProjectUnitModel?
        if let id = UUID(uuidString: input.unitID) {
            unit = try await ProjectUnitModel.find(id, on: db)
            if unit?.projectID != projectID { problems.add("所选单位不属于本项目") }
        }
        let principal = problems.required(
            input.principalName.isEmpty ? (unit?.name ?? "") : input.principalName, "委托方（用工单位）", max: 100)
        let agent = problems.required(
            input.agentName.isEmpty ? project.contractorName : input.agentName, "代发方", max: 100)
        let bank = problems.code(input.bankCode, in: .banks, "代发银行")
        let signed = problems.date(input.signedOn, "签订日期", required: true)
        if let signed, signed > ProjectService.today() { problems.add("签订日期不能晚于今天") }
        let from = problems.date(input.validFrom, "生效日期", required: true)
        let until = problems.date(input.validUntil, "截止日期")
        if let from, let until, until < from { problems.add("截止日期不能早于生效日期") }
        var scan: SealedDocument?
        if let file = input.file, !file.data.isEmpty {
            switch try SealedDocument.seal(file, maxBytes: scanMaxBytes, cipher: cipher) {
            case .success(let sealed): scan = sealed
            case .failure(let problem): problems.add(problem.message("协议扫描件"))
            }
        } else {
            problems.add("请上传代发协议的签字盖章扫描件")
        }
        try problems.throwIfAny("AGREEMENT_INVALID")
        guard let bank, let signed, let from else { throw FieldProblems.incomplete("AGREEMENT_INVALID") }
        if let unit { try standing.requireUnit(unit.uuid) } else { try standing.requireContractor() }
        let agreement = WageAgencyAgreementModel()
        agreement.id = UUID()
        agreement.projectID = projectID
        agreement.unitID = unit?.id
        agreement.principalName = principal
        agreement.agentName = agent
        agreement.bankCode = bank
        agreement.bankName = CodeTable.banks.name(of: bank) ?? bank
        agreement.signedOn = signed.description
        agreement.validFrom = from.description
        agreement.validUntil = until?.description
        if let scan {
            agreement.scanName = scan.name
            agreement.scanType = scan.type
            agreement.scanSize = scan.size
            agreement.scanSHA256 = scan.sha256
            agreement.scanCipher = scan.sealed
        }
        agreement.createdBy = account.id
        agreement.createdAt = ServerClock.now()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            try await agreement.create(on: tx)
            return (
                agreement,
                AuditDraft(
                    "wage-agreement.registered", on: project, by: account, entity: "wage_agreement", id: agreement.uuid,
                    summary: "\(project.name)：登记工资代发协议（\(principal) 委托 \(agent)，\(agreement.bankName)）",
                    change: ["agreement": agreement.uuid.uuidString, "sha256": agreement.scanSHA256 ?? ""])
            )
        }
    }

    func scan(_ agreementID: UUID, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws -> SealedDocument.Opened
    {
        guard let (project, standing) = try await reach.project(projectID, in: scope), standing != .worker,
            let agreement = try await WageAgencyAgreementModel.find(agreementID, on: database.database()),
            agreement.projectID == projectID
        else { throw AppError.notFound }
        return try await SealedDocument.open(
            sealed: agreement.scanCipher, type: agreement.scanType, name: agreement.scanName, defaultName: "agreement",
            cipher: cipher,
            audit: AuditDraft(
                "wage-agreement.scan-viewed", on: project, by: account, entity: "wage_agreement", id: agreementID,
                summary: "查看工资代发协议扫描件：\(project.name)", change: ["agreement": agreementID.uuidString]),
            by: account, on: database.database())
    }
}
