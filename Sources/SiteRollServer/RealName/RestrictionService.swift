import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Blacklist, dispute (异议登记) and other restrictions (G1 item 4). Regulators keep the list for
/// their divisions now; the credit subsystem (G5) will add entries of its own later.
struct RestrictionService: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher
    let audit = AuditTrail()

    enum Kind: String, Sendable, CaseIterable {
        case blacklist
        case dispute
        case other

        var chineseName: String {
            switch self {
            case .blacklist: "黑名单"
            case .dispute: "异议登记"
            case .other: "其他限制"
            }
        }
    }

    struct Active: Sendable, Equatable {
        var kind: Kind
        var reason: String
        var endsOn: String?
        var divisionCode: String
    }

    /// The restrictions in force on a worker (by identity number) today.
    func activeForWorker(idNumber: String, today: String) async throws -> [Active] {
        try await active(kind: "worker", key: cipher.lookupHash(idNumber), today: today)
    }

    /// The same, by the number's keyed hash (a stored worker's `idNumberHMAC`).
    func activeForWorker(hmac: String, today: String) async throws -> [Active] {
        try await active(kind: "worker", key: hmac, today: today)
    }

    /// The restrictions in force on an enterprise (by credit code) today.
    func activeForEnterprise(creditCode: String, today: String) async throws -> [Active] {
        try await active(kind: "enterprise", key: creditCode.uppercased(), today: today)
    }

    private func active(kind: String, key: String, today: String) async throws -> [Active] {
        try await RestrictionModel.query(on: database.database())
            .filter(\.$subjectKind == kind).filter(\.$subjectKey == key).filter(\.$liftedAt == nil)
            .all()
            .filter { ($0.endsOn ?? "9999-12-31") >= today }
            .map {
                Active(
                    kind: Kind(rawValue: $0.kind) ?? .other, reason: $0.reason, endsOn: $0.endsOn,
                    divisionCode: $0.divisionCode)
            }
    }

    /// Entries filed by regulators within reach, newest first.
    func list(in division: DivisionCode) async throws -> [RestrictionModel] {
        try await RestrictionModel.query(on: database.database())
            .filter(\.$divisionCode =~ division.scopePrefix)
            .sort(\.$createdAt, .descending).limit(500).all()
    }

    struct NewEntry: Sendable {
        var subjectKind: String
        /// Identity number (worker) or credit code (enterprise).
        var subjectNumber: String
        var subjectName: String
        var kind: Kind
        var reason: String
        var endsOn: String?
    }

    func add(_ entry: NewEntry, by account: AccountSnapshot, division: DivisionCode) async throws {
        var problems: [String] = []
        let number = entry.subjectNumber.trimmingCharacters(in: .whitespaces).uppercased()
        let isWorker = entry.subjectKind == "worker"
        if isWorker, !IdentityNumber.hasValidCheckCharacter(number) { problems.append("身份证号校验位不正确") }
        if !isWorker, !CreditCode.isValid(number) { problems.append("统一社会信用代码校验位不正确") }
        if entry.subjectName.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("请填写姓名或企业名称") }
        if entry.reason.trimmingCharacters(in: .whitespaces).count < 4 { problems.append("请写明限制原因（至少 4 个字）") }
        let endsOn = entry.endsOn.flatMap { $0.isEmpty ? nil : RequestBounds.date($0) }
        if let ends = entry.endsOn, !ends.isEmpty, endsOn == nil {
            problems.append(RequestBounds.dateError("截止日期").message)
        }
        if !problems.isEmpty { throw AppError.badRequest("RESTRICTION_INVALID", problems.joined(separator: "；")) }
        let model = RestrictionModel()
        model.id = UUID()
        model.subjectKind = isWorker ? "worker" : "enterprise"
        model.subjectKey = isWorker ? cipher.lookupHash(number) : number
        model.subjectLabel = "\(entry.subjectName) \(isWorker ? IdentityNumber.masked(number) : number)"
        model.kind = entry.kind.rawValue
        model.reason = entry.reason
        model.divisionCode = division.rawValue
        model.endsOn = endsOn?.description
        model.createdBy = account.id
        model.createdAt = ServerClock.now()
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await model.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "restriction.added", entityType: "restriction", entityID: model.uuid.uuidString,
                    divisionCode: division.rawValue, summary: "登记\(entry.kind.chineseName)：\(model.subjectLabel)",
                    change: ["kind": entry.kind.rawValue, "subject": model.subjectKey, "reason": entry.reason])
            )
        }
    }

    func lift(_ id: UUID, by account: AccountSnapshot, division: DivisionCode) async throws {
        let db = database.database()
        guard let model = try await RestrictionModel.find(id, on: db), let own = DivisionCode(model.divisionCode),
            division.reaches(own), model.liftedAt == nil
        else { throw AppError.notFound }
        try await audit.write(on: db, actor: account.auditActor) { tx in
            model.liftedAt = ServerClock.now()
            try await model.update(on: tx)
            return (
                (),
                AuditDraft(
                    action: "restriction.lifted", entityType: "restriction", entityID: id.uuidString,
                    divisionCode: model.divisionCode, summary: "解除限制：\(model.subjectLabel)",
                    change: ["lifted": id.uuidString])
            )
        }
    }
}
