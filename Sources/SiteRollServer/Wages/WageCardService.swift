import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Workers' wage cards (W1, W12: paid to the worker's own card, one card per person, held by the
/// worker). The labour officer registers a card for a worker on the project, or the worker on the
/// phone; a new card closes the worker's previous one and replaces it on the worker's draft lines. The number is sealed; only the masked form
/// is shown.
struct WageCardService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let cipher: FieldCipher
    let audit = AuditTrail()

    struct CardInput: Sendable {
        var bankCode = ""
        var bankName = ""
        var holderName = ""
        var number = ""
    }

    /// 6222 **** **** 1234 style: the first four and last four digits.
    static func masked(_ number: String) -> String {
        guard number.count > 8 else {
            return String(repeating: "*", count: max(number.count - 4, 0)) + number.suffix(4)
        }
        return "\(number.prefix(4)) **** **** \(number.suffix(4))"
    }

    /// Registers a card for `workerID`: by an employer of the worker on `projectID`, or by the worker.
    func register(
        _ input: CardInput, worker workerID: UUID, project projectID: UUID?, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws -> WorkerBankCardModel {
        let db = database.database()
        guard let worker = try await WorkerModel.find(workerID, on: db) else { throw AppError.notFound }
        var scopeDivision = ""
        switch scope {
        case .worker(let own, _):
            guard own == workerID else { throw AppError.notFound }
        default:
            guard let projectID, let (project, standing) = try await reach.project(projectID, in: scope),
                standing.canChange
            else { throw AppError.forbidden }
            let entries = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
                .filter(\.$workerID == workerID).all()
            guard entries.contains(where: { standing.manages(unit: $0.unitID) }) else {
                throw AppError(.forbidden, code: "UNIT_NOT_MANAGED", message: "只能为本单位在该项目上的工人登记工资卡")
            }
            scopeDivision = project.divisionCode
        }
        let division = scopeDivision
        var problems = FieldProblems()
        let bank = problems.code(input.bankCode, in: .banks, "开户银行")
        let bankName = problems.required(
            input.bankName.isEmpty ? (bank.flatMap { CodeTable.banks.name(of: $0) } ?? "") : input.bankName, "开户行名称",
            max: 60)
        let holder = problems.required(input.holderName.isEmpty ? worker.name : input.holderName, "户名", max: 40)
        let number = input.number.filter { !$0.isWhitespace && $0 != "-" }
        if number.isEmpty {
            problems.add("请填写银行卡号")
        } else if !(10...30).contains(number.count) || !number.allSatisfy({ $0.isASCII && $0.isNumber }) {
            problems.add("银行卡号应为 10 到 30 位数字")
        }
        try problems.throwIfAny("CARD_INVALID")
        guard let bank else { throw FieldProblems.incomplete("CARD_INVALID") }
        let hash = cipher.lookupHash(number)
        let existing = try await WorkerBankCardModel.query(on: db).filter(\.$workerID == workerID)
            .filter(\.$status == "active").all()
        if existing.contains(where: { $0.numberHMAC == hash }) {
            throw AppError(.conflict, code: "CARD_ALREADY_REGISTERED", message: "该银行卡已登记为\(worker.name)的工资卡")
        }
        let card = WorkerBankCardModel()
        card.id = UUID()
        card.workerID = workerID
        card.bankCode = bank
        card.bankName = bankName
        card.holderName = holder
        card.numberCipher = try cipher.seal(number)
        card.numberHMAC = hash
        card.numberMasked = Self.masked(number)
        card.status = "active"
        card.createdBy = account.id
        card.createdAt = ServerClock.now()
        let sharedBy = try await WorkerBankCardModel.query(on: db).filter(\.$numberHMAC == hash)
            .filter(\.$status == "active").filter(\.$workerID != workerID).count()
        return try await audit.write(on: db, actor: account.auditActor) { tx in
            for old in existing {
                old.status = "closed"
                old.closedAt = ServerClock.now()
                try await old.update(on: tx)
            }
            try await card.create(on: tx)
            // Drafts not yet submitted pay to the new card.
            let drafts = try await PayrollModel.query(on: tx).filter(\.$status == "draft").join(
                PayrollLineModel.self, on: \PayrollModel.$id == \PayrollLineModel.$payrollID
            ).filter(PayrollLineModel.self, \.$workerID == workerID).all(\.$id)
            if !drafts.isEmpty {
                try await PayrollLineModel.query(on: tx).filter(\.$payrollID ~~ drafts.compactMap { $0 })
                    .filter(\.$workerID == workerID).set(\.$cardID, to: card.id).update()
            }
            return (
                card,
                AuditDraft(
                    action: "wage-card.registered", entityType: "worker", entityID: workerID.uuidString,
                    divisionCode: division, enterpriseID: account.enterpriseID?.uuidString ?? "",
                    summary: "登记\(worker.name)的工资卡 \(card.numberMasked)（\(card.bankName)，户名 \(holder)）"
                        + (sharedBy > 0 ? "；注意：该卡号已登记给其他 \(sharedBy) 名工人" : "")
                        + (holder != worker.name ? "；注意：户名不是本人" : ""),
                    change: [
                        "card": card.uuid.uuidString, "bank": card.bankCode, "masked": card.numberMasked,
                        "replaced": String(existing.count),
                    ])
            )
        }
    }

    /// Each worker's active card.
    func activeCards(of workers: [UUID]) async throws -> [UUID: WorkerBankCardModel] {
        guard !workers.isEmpty else { return [:] }
        let cards = try await WorkerBankCardModel.query(on: database.database()).filter(\.$workerID ~~ workers)
            .filter(\.$status == "active").sort(\.$createdAt).all()
        return Dictionary(cards.map { ($0.workerID, $0) }, uniquingKeysWith: { $1 })
    }
}
