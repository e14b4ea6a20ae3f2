import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

extension WorkerVerificationService {
    /// Records a refused or waiting submission (audited) and returns its outcome.
    func record(
        serial: String, status: VerificationOutcome.Status, submitter: WorkerSubmitter, division: DivisionCode,
        label: String, faults: [Finding], warnings: [Finding], message: String, now: Date, payload: String? = nil,
        answer: IdentityCheckResult? = nil, existing: VerificationRequestModel? = nil
    ) async throws -> VerificationOutcome {
        try await audit.write(on: database.database(), actor: submitter.auditActor) { tx in
            let request = existing ?? VerificationRequestModel()
            fill(
                request, serial: serial, status: status, submitter: submitter, division: division, label: label,
                faults: faults, message: message, now: now)
            request.payloadCipher = payload
            request.authorityVerdict = answer?.verdict.rawValue
            request.authorityName = answer?.authority
            request.simulated = answer?.simulated ?? false
            if status == .waiting {
                request.attempts += 1
                // Back off: 30 s, 2 min, 8 min … at most an hour between tries.
                request.nextAttemptAt = now.addingTimeInterval(min(3600, 30 * pow(4, Double(request.attempts - 1))))
            } else {
                request.decidedAt = now
                request.nextAttemptAt = nil
            }
            if existing == nil { try await request.create(on: tx) } else { try await request.update(on: tx) }
            return (
                (),
                AuditDraft(
                    action: status == .waiting ? "verification.waiting" : "verification.refused",
                    entityType: "verification", entityID: serial, divisionCode: division.rawValue,
                    enterpriseID: submitter.enterpriseID?.uuidString ?? "",
                    summary: "\(status == .waiting ? "等待身份核验机构应答" : "实名核验未通过")：\(label)",
                    change: ["serial": serial, "faults": faults.map(\.code).joined(separator: ",")])
            )
        }
        return VerificationOutcome(
            serial: serial, status: status, message: message, faults: faults, warnings: warnings, verificationCode: nil,
            subjectID: nil, simulated: answer?.simulated ?? false)
    }

    func fill(
        _ request: VerificationRequestModel, serial: String, status: VerificationOutcome.Status,
        submitter: WorkerSubmitter,
        division: DivisionCode, label: String, faults: [Finding], message: String, now: Date
    ) {
        if request.id == nil {
            request.id = UUID()
            request.serial = serial
            request.kind = "worker"
            request.channel = submitter.channel
            request.submittedBy = submitter.label
            request.enterpriseID = submitter.enterpriseID
            request.divisionCode = division.rawValue
            request.createdAt = now
            request.attempts = 0
            request.simulated = false
        }
        request.status = status.rawValue
        request.subjectLabel = label
        request.faults = Finding.encode(faults)
        request.message = message
    }

    /// Retries every waiting submission that is due: the identity authority decides it now, or
    /// it waits longer. The due rows are claimed first (`VerificationQueries`: SKIP LOCKED on
    /// PostgreSQL) with their next attempt two minutes out, so that two processes never retry the
    /// same submission (DESIGN.md, Scale).
    @discardableResult
    func retryDue(now: Date = ServerClock.now(), limit: Int = 20) async throws -> Int {
        let due = try await database.database().inTransaction { tx in
            try await VerificationQueries(tx).claimDue(now: now, limit: limit, hold: 120)
        }
        for request in due { _ = try await resume(request, now: now) }
        return due.count
    }

    /// Decides one waiting submission from its sealed payload.
    func resume(_ request: VerificationRequestModel, now: Date = ServerClock.now()) async throws -> VerificationOutcome
    {
        guard request.status == "waiting", let sealed = request.payloadCipher,
            let submission = try? JSONDecoder().decode(WorkerSubmission.self, from: Data(try cipher.open(sealed).utf8))
        else { throw AppError.notFound }
        let today = LocalDate.today(in: ChineseFormat.timeZone, now: now)
        let submitter: WorkerSubmitter = .resumed(
            channel: request.channel, by: request.submittedBy, enterpriseID: request.enterpriseID)
        guard case .valid(let facts) = numbers.validate(submission.idNumber, today: today) else {
            throw AppError.notFound
        }
        let division = DivisionCode(request.divisionCode) ?? platformDivision
        return try await askAuthority(
            submission, facts: facts, submitter: submitter, serial: request.serial, division: division,
            label: request.subjectLabel, warnings: [], now: now, existingRequest: request)
    }
}
