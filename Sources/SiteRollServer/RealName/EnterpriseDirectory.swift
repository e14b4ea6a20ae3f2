import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Enterprises as regulators and enterprises read them. Verification (E1, G1) comes with
/// real-name verification; this is the scoped read every later page builds on.
struct EnterpriseDirectory: Sendable {
    let database: DatabaseService

    func list(in scope: AccessScope, search: String = "") async throws -> [EnterpriseModel] {
        let query = EnterpriseModel.query(on: database.database())
        let needle = String(search.trimmingCharacters(in: .whitespaces).prefix(60))
        if !needle.isEmpty {
            query.group(.or) {
                $0.filter(\.$name ~~ needle)
                $0.filter(\.$creditCode == needle.uppercased())
                $0.filter(\.$verificationCode == needle.uppercased())
            }
        }
        switch scope {
        case .division(let division): query.filter(\.$divisionCode =~ division.scopePrefix)
        case .enterprise(let id, _): query.filter(\.$id == id)
        case .worker: return []
        }
        return try await query.sort(\.$name).limit(500).all()
    }

    /// nil when the enterprise does not exist or lies outside the scope: the caller answers 404.
    /// The signed-in enterprise account's own enterprise.
    func own(_ enterpriseID: UUID) async throws -> EnterpriseModel {
        guard let enterprise = try await EnterpriseModel.find(enterpriseID, on: database.database()) else {
            throw AppError.notFound
        }
        return enterprise
    }

    /// An enterprise's qualifications (资质), as registered.
    func qualifications(of id: UUID) async throws -> [EnterpriseQualificationModel] {
        try await EnterpriseQualificationModel.query(on: database.database()).filter(\.$enterprise.$id == id).all()
    }

    func find(_ id: UUID, in scope: AccessScope) async throws -> EnterpriseModel? {
        guard let enterprise = try await EnterpriseModel.find(id, on: database.database()) else { return nil }
        switch scope {
        case .division(let division):
            return DivisionCode(enterprise.divisionCode).map(division.reaches) == true ? enterprise : nil
        case .enterprise(let own, _):
            return own == id ? enterprise : nil
        case .worker:
            return nil
        }
    }

    /// Suspends (or reinstates) an enterprise within the regulator's reach; its staff can no
    /// longer sign in while suspended. Audited.
    func setSuspended(_ suspended: Bool, id: UUID, reason: String, by account: AccountSnapshot, division: DivisionCode)
        async throws
    {
        guard let enterprise = try await find(id, in: .division(division)) else { throw AppError.notFound }
        if suspended, reason.trimmingCharacters(in: .whitespaces).count < 4 {
            throw AppError.badRequest("SUSPENSION_REASON_REQUIRED", "请写明暂停原因（至少 4 个字）")
        }
        try await AuditTrail().write(on: database.database(), actor: account.auditActor) { tx in
            enterprise.status = suspended ? "suspended" : "active"
            enterprise.suspendedAt = suspended ? ServerClock.now() : nil
            enterprise.suspendedReason = suspended ? reason : nil
            try await enterprise.update(on: tx)
            if suspended {
                let staff = try await AccountModel.query(on: tx).filter(\.$enterprise.$id == id).all(\.$id)
                if !staff.isEmpty { try await SessionModel.query(on: tx).filter(\.$account.$id ~~ staff).delete() }
            }
            return (
                (),
                AuditDraft(
                    action: suspended ? "enterprise.suspended" : "enterprise.reinstated", entityType: "enterprise",
                    entityID: id.uuidString, divisionCode: enterprise.divisionCode, enterpriseID: id.uuidString,
                    summary: "\(suspended ? "暂停" : "恢复")企业：\(enterprise.name)\(suspended ? "，原因：\(reason)" : "")",
                    change: ["status": enterprise.status])
            )
        }
    }

    static func statusName(_ status: String) -> String {
        switch status {
        case "active": "正常"
        case "suspended": "已暂停"
        case "pending": "待核验"
        default: status
        }
    }
}
