import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Enterprises as regulators and enterprises read them. Verification (E1, G1) comes with
/// real-name verification; this is the scoped read every later page builds on.
struct EnterpriseDirectory: Sendable {
    let database: DatabaseService

    func list(in scope: AccessScope) async throws -> [EnterpriseModel] {
        let query = EnterpriseModel.query(on: database.database())
        switch scope {
        case .division(let division): query.filter(\.$divisionCode =~ division.scopePrefix)
        case .enterprise(let id, _): query.filter(\.$id == id)
        case .worker: return []
        }
        return try await query.sort(\.$name).limit(500).all()
    }

    /// nil when the enterprise does not exist or lies outside the scope: the caller answers 404.
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

    static func statusName(_ status: String) -> String {
        switch status {
        case "active": "正常"
        case "suspended": "已暂停"
        case "pending": "待核验"
        default: status
        }
    }
}
