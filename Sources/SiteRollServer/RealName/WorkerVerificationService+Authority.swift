import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

extension WorkerVerificationService {
    /// Asks the identity authority; on no answer keeps the sealed submission for a retry.
    func askAuthority(
        _ submission: WorkerSubmission, facts: IdentityNumberFacts, submitter: WorkerSubmitter, serial: String,
        division: DivisionCode, label: String, warnings: [Finding], now: Date,
        existingRequest: VerificationRequestModel?
    ) async throws -> VerificationOutcome {
        let request = IdentityCheckRequest(
            requestId: serial, name: submission.name, idNumber: facts.number,
            portrait: submission.portrait?.base64EncodedString() ?? "")
        let answer: IdentityCheckResult
        do {
            answer = try await authority.verify(request)
        } catch {
            logger.warning(
                "identity authority gave no answer; submission kept for retry",
                metadata: ["serial": "\(serial)", "reason": "\(error)"])
            let sealed = try cipher.seal(String(decoding: JSONEncoder().encode(submission), as: UTF8.self))
            return try await record(
                serial: serial, status: .waiting, submitter: submitter, division: division, label: label, faults: [],
                warnings: warnings, message: error.chineseMessage, now: now, payload: sealed, existing: existingRequest)
        }
        if answer.simulated {
            logger.notice(
                "identity check answered by the SIMULATOR",
                metadata: ["serial": "\(serial)", "verdict": "\(answer.verdict.rawValue)"])
        }
        guard answer.verdict == .match else {
            let field =
                answer.verdict == .portraitMismatch ? "portrait" : answer.verdict == .nameMismatch ? "name" : "idNumber"
            let fault = Finding(
                "AUTHORITY_\(answer.verdict.rawValue.uppercased())", field: field, answer.chineseMessage)
            return try await record(
                serial: serial, status: .refused, submitter: submitter, division: division, label: label,
                faults: [fault],
                warnings: warnings, message: answer.chineseMessage, now: now, answer: answer, existing: existingRequest)
        }
        return try await accept(
            submission, facts: facts, submitter: submitter, serial: serial, division: division, label: label,
            warnings: warnings, answer: answer, now: now, existing: existingRequest)
    }

    /// Creates the worker, seals the images, issues the code (and the phone account), and records
    /// the request as passed, in one audited transaction.
    func accept(
        _ submission: WorkerSubmission, facts: IdentityNumberFacts, submitter: WorkerSubmitter, serial: String,
        division: DivisionCode, label: String, warnings: [Finding], answer: IdentityCheckResult, now: Date,
        existing: VerificationRequestModel?
    ) async throws -> VerificationOutcome {
        // A worker recorded before without verification (e.g. imported) is completed, not duplicated.
        let worker =
            try await WorkerModel.query(on: database.database())
            .filter(\.$idNumberHMAC == cipher.lookupHash(facts.number)).first() ?? WorkerModel()
        let isNew = worker.id == nil
        if isNew {
            worker.id = UUID()
            worker.createdAt = now
        }
        worker.name = submission.name
        worker.idNumberCipher = try cipher.seal(facts.number)
        worker.idNumberHMAC = cipher.lookupHash(facts.number)
        worker.idNumberMasked = IdentityNumber.masked(facts.number)
        worker.divisionCode = facts.addressCode
        worker.idCardType = submission.idCardType
        worker.gender = facts.gender.nationalCode
        worker.nation = submission.nation
        worker.birthDate = facts.birthDate.description
        worker.addressCipher = try cipher.seal(submission.address)
        worker.issuingAuthority = submission.issuingAuthority
        let validity = IdentityCardValidity(parsing: submission.validity)
        worker.idValidFrom = validity?.start.description
        worker.idValidUntil = validity?.end?.description
        worker.verifiedAt = now
        worker.verifiedBy = answer.authority
        worker.verificationSimulated = answer.simulated
        worker.healthCertificateRequired = warnings.contains { $0.code.hasPrefix("AGE_") }
        let documents = try [
            ("portrait", submission.portrait), ("idFront", submission.idFront), ("idBack", submission.idBack),
        ]
        .compactMap { kind, data -> WorkerDocumentModel? in
            guard let data, let type = ImageUpload.contentType(of: data) else { return nil }
            let document = WorkerDocumentModel()
            document.id = UUID()
            document.$worker.id = worker.uuid
            document.kind = kind
            document.contentType = type
            document.bytesCipher = try cipher.seal(data: data)
            document.sha256 = Digest.sha256Hex(data)
            document.byteCount = data.count
            document.createdAt = now
            return document
        }
        let passwordHash: String? =
            if submitter.channel == "mobile", let password = submission.password {
                try await hasher.hash(password)
            } else { nil }
        let message = answer.simulated ? "实名核验通过（模拟身份核验服务应答，非真实核验）" : "实名核验通过"
        let code = try await audit.write(on: database.database(), actor: submitter.auditActor) { tx in
            if isNew { try await worker.create(on: tx) } else { try await worker.update(on: tx) }
            try await WorkerDocumentModel.query(on: tx).filter(\.$worker.$id == worker.uuid).delete()
            for document in documents { try await document.create(on: tx) }
            let code = try await codes.issue(for: .worker, id: worker.uuid, on: tx)
            worker.verificationCode = code
            try await worker.update(on: tx)
            if let passwordHash, let mobile = submission.mobile {
                try await Self.workerAccount(mobile: mobile, worker: worker, passwordHash: passwordHash, now: now)
                    .create(on: tx)
            }
            let request = existing ?? VerificationRequestModel()
            fill(
                request, serial: serial, status: .passed, submitter: submitter, division: division, label: label,
                faults: [], message: message, now: now)
            request.workerID = worker.id
            request.enterpriseID = submitter.enterpriseID
            request.authorityVerdict = answer.verdict.rawValue
            request.authorityName = answer.authority
            request.simulated = answer.simulated
            request.payloadCipher = nil
            request.decidedAt = now
            if existing == nil { try await request.create(on: tx) } else { try await request.update(on: tx) }
            return (
                code,
                AuditDraft(
                    action: "worker.verified", entityType: "worker", entityID: worker.uuid.uuidString,
                    divisionCode: division.rawValue, enterpriseID: submitter.enterpriseID?.uuidString ?? "",
                    summary: "工人实名核验通过：\(label)\(answer.simulated ? "（模拟核验）" : "")",
                    change: ["serial": serial, "code": code, "hmac": worker.idNumberHMAC])
            )
        }
        return VerificationOutcome(
            serial: serial, status: .passed, message: message, faults: [], warnings: warnings, verificationCode: code,
            subjectID: worker.id, simulated: answer.simulated)
    }

    static func workerAccount(mobile: String, worker: WorkerModel, passwordHash: String, now: Date) -> AccountModel {
        AccountModel(
            username: mobile, displayName: worker.name, role: .worker, passwordHash: passwordHash, workerID: worker.id,
            mustChangePassword: false, now: now)
    }

    /// A number already verified: no duplicate record. A worker registering on the phone gets
    /// the account if there is none yet; everyone else gets the existing code.
    func alreadyVerified(
        _ worker: WorkerModel, code: String, submission: WorkerSubmission, submitter: WorkerSubmitter, serial: String,
        division: DivisionCode, label: String, warnings: [Finding], now: Date
    ) async throws -> VerificationOutcome {
        var text = "该工人已完成实名核验，核验码 \(code)；平台不会重复登记"
        var hash: String?
        if case .selfRegistration = submitter {
            // Checked with the other faults already; a second post racing the first lands here.
            if try await hasPhoneAccount(worker) {
                let fault = Self.alreadyRegistered
                return try await record(
                    serial: serial, status: .refused, submitter: submitter, division: division, label: label,
                    faults: [fault], warnings: warnings, message: fault.message, now: now)
            }
            hash = try await hasher.hash(submission.password ?? "")
            text = "您已由用工企业完成实名登记，手机账号已开通，核验码 \(code)"
        }
        let (message, passwordHash) = (text, hash)
        try await audit.write(on: database.database(), actor: submitter.auditActor) { tx in
            if let passwordHash, let mobile = submission.mobile {
                try await Self.workerAccount(mobile: mobile, worker: worker, passwordHash: passwordHash, now: now)
                    .create(on: tx)
            }
            let request = VerificationRequestModel()
            fill(
                request, serial: serial, status: .passed, submitter: submitter, division: division, label: label,
                faults: [], message: message, now: now)
            request.workerID = worker.id
            request.simulated = worker.verificationSimulated ?? false
            request.decidedAt = now
            try await request.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "worker.found-existing", entityType: "worker", entityID: worker.uuid.uuidString,
                    divisionCode: division.rawValue, enterpriseID: submitter.enterpriseID?.uuidString ?? "",
                    summary: "重复提交，找到已核验工人：\(label)", change: ["serial": serial])
            )
        }
        return VerificationOutcome(
            serial: serial, status: .passed, message: message, faults: [], warnings: warnings, verificationCode: code,
            subjectID: worker.id, simulated: worker.verificationSimulated ?? false)
    }
}
