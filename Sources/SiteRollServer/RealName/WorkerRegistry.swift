import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Reads of verified workers (G1 items 3–4, G10): consistency checks, the requests' feedback,
/// and the scoped lists and detail pages.
struct WorkerRegistry: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher

    /// Whether the name agrees with the record found by identity number or verification code.
    func consistency(name: String, idNumber: String?, code: String?) async throws -> (
        consistent: Bool, worker: WorkerModel?
    ) {
        let db = database.database()
        var worker: WorkerModel?
        if let number = idNumber?.trimmingCharacters(in: .whitespaces).uppercased(), !number.isEmpty {
            worker = try await WorkerModel.query(on: db).filter(\.$idNumberHMAC == cipher.lookupHash(number)).first()
        } else if let code = code?.trimmingCharacters(in: .whitespaces).uppercased(), !code.isEmpty {
            worker = try await WorkerModel.query(on: db).filter(\.$verificationCode == code).first()
        } else {
            throw AppError.badRequest("IDENTITY_REQUIRED", "请提供身份证号或实名核验码")
        }
        guard let worker else { return (false, nil) }
        return (worker.name == name.trimmingCharacters(in: .whitespaces), worker)
    }

    /// A verification request the caller may read: its submitter's enterprise, the app's
    /// enterprise, or a regulator of its division.
    func request(serial: String, for identity: SessionIdentity) async throws -> VerificationRequestModel? {
        guard
            let request = try await VerificationRequestModel.query(on: database.database())
                .filter(\.$serial == serial).first()
        else { return nil }
        if let account = identity.account {
            switch account.scope {
            case .division(let division)?:
                return DivisionCode(request.divisionCode).map(division.reaches) == true ? request : nil
            case .enterprise(let id, _)?:
                return request.enterpriseID == id ? request : nil
            case .worker(let workerID, _)?:
                return request.workerID == workerID ? request : nil
            case nil:
                return nil
            }
        }
        if let app = identity.app {
            return request.enterpriseID != nil && request.enterpriseID == app.enterpriseID ? request : nil
        }
        return nil
    }
}

extension VerificationRequestModel {
    var statusName: String {
        switch status {
        case "passed": "核验通过"
        case "refused": "核验未通过"
        case "waiting": "等待身份核验机构应答"
        default: status
        }
    }
}
