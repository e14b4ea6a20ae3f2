import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Verified workers as regulators, employers and the worker read them (G1 item 5, G10), and the
/// one audited way to open a full identity number (S2).
struct WorkerDirectory: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher
    let audit = AuditTrail()

    /// Verified workers within reach: a regulator's divisions (where the worker was verified, or
    /// the number's address code), an enterprise's collected workers, a worker themself.
    func list(in scope: AccessScope, search: String = "", limit: Int = 300) async throws -> [WorkerModel] {
        let db = database.database()
        var query = WorkerModel.query(on: db).filter(\.$verificationCode != nil)
        switch scope {
        case .division(let division):
            let viaRequests = try await VerificationRequestModel.query(on: db)
                .filter(\.$divisionCode =~ division.scopePrefix).filter(\.$status == "passed").all()
                .compactMap(\.workerID)
            query = query.group(.or) { group in
                group.filter(\.$divisionCode =~ division.scopePrefix)
                if !viaRequests.isEmpty { group.filter(\.$id ~~ viaRequests) }
            }
        case .enterprise(let id, _):
            let ids = try await VerificationRequestModel.query(on: db).filter(\.$enterpriseID == id).all().compactMap(
                \.workerID)
            if ids.isEmpty { return [] }
            query = query.filter(\.$id ~~ ids)
        case .worker(let id, _):
            query = query.filter(\.$id == id)
        }
        let needle = search.trimmingCharacters(in: .whitespaces).uppercased()
        if !needle.isEmpty {
            let text = String(needle.prefix(30))
            if Self.isFullIdentityNumber(text) {
                // The number is never stored in clear: look it up by its keyed hash (S2).
                query = query.filter(\.$idNumberHMAC == cipher.lookupHash(text))
            } else if text.hasPrefix("W"), text.count == 11 {
                query = query.filter(\.$verificationCode == text)
            } else if text.allSatisfy({ $0.isNumber || $0 == "X" || $0 == "*" }) {
                let digits = text.replacingOccurrences(of: "*", with: "")
                query = query.group(.or) {
                    $0.filter(\.$idNumberMasked =~ digits)
                    $0.filter(\.$idNumberMasked ~= digits)
                }
            } else {
                query = query.filter(\.$name ~~ text)
            }
        }
        // Ties (verified in one batch) by name and number: the same order on every reading.
        return try await query.sort(\.$verifiedAt, .descending).sort(\.$name).sort(\.$idNumberMasked).limit(limit)
            .all()
    }

    /// 18 characters, 17 digits and a digit or X: a whole number, searched by its hash.
    static func isFullIdentityNumber(_ text: String) -> Bool {
        text.count == 18 && text.prefix(17).allSatisfy { $0.isASCII && $0.isNumber }
            && text.last.map { ($0.isASCII && $0.isNumber) || $0 == "X" } == true
    }

    /// One verified worker within reach, or nil, exactly as if it did not exist (404).
    /// The signed-in worker's own record, verified or not: the phone's pages act as this worker.
    func own(_ workerID: UUID) async throws -> WorkerModel {
        guard let worker = try await WorkerModel.find(workerID, on: database.database()) else {
            throw AppError.notFound
        }
        return worker
    }

    func find(_ id: UUID, in scope: AccessScope) async throws -> WorkerModel? {
        let db = database.database()
        guard let worker = try await WorkerModel.find(id, on: db), worker.verificationCode != nil else { return nil }
        let requests = VerificationRequestModel.query(on: db).filter(\.$workerID == id)
        switch scope {
        case .division(let division):
            if DivisionCode(worker.divisionCode).map(division.reaches) == true { return worker }
            let count = try await requests.filter(\.$status == "passed").filter(\.$divisionCode =~ division.scopePrefix)
                .count()
            return count > 0 ? worker : nil
        case .enterprise(let enterpriseID, _):
            if try await requests.filter(\.$enterpriseID == enterpriseID).count() > 0 { return worker }
            // Also the workers on projects the enterprise takes part in (DESIGN.md: reach).
            let projects =
                try await ProjectReach(database: database).projectIDs(for: .enterprise(enterpriseID, division: nil))
                ?? []
            guard !projects.isEmpty else { return nil }
            let onProjects = try await ProjectWorkerModel.query(on: db).filter(\.$workerID == id)
                .filter(\.$projectID ~~ projects).count()
            return onProjects > 0 ? worker : nil
        case .worker(let own, _):
            return own == id ? worker : nil
        }
    }

    /// Opens the full number for a viewer whose role needs it — the worker, the labour officer of
    /// an employer that collected the worker, a regulator of the division — and records the view.
    func revealIDNumber(of worker: WorkerModel, by account: AccountSnapshot, scope: AccessScope) async throws -> String
    {
        switch account.role {
        case .regulatorAdmin, .regulator, .labourOfficer, .worker: break
        case .enterpriseAdmin: throw AppError(.forbidden, code: "FULL_NUMBER_NOT_ALLOWED", message: "查看完整身份证号须由劳资专管员办理")
        }
        let number = try cipher.open(worker.idNumberCipher)
        try await audit.write(on: database.database(), actor: account.auditActor) { _ in
            (
                (),
                AuditDraft(
                    action: "worker.id-number-viewed", entityType: "worker", entityID: worker.uuid.uuidString,
                    divisionCode: scope.auditDivision.isEmpty ? worker.divisionCode : scope.auditDivision,
                    enterpriseID: account.enterpriseID?.uuidString ?? "",
                    summary: "查看完整身份证号：\(worker.name) \(worker.idNumberMasked)",
                    change: ["worker": worker.uuid.uuidString])
            )
        }
        return number
    }
}
