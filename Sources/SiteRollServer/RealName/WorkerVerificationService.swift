import FluentKit
import Foundation
import Logging
import SiteRollCore
import SiteRollStore

/// Worker real-name verification (G1, E1, M1): the same checks whichever way the material
/// arrives; every fault reported at once; one person, one worker record; the identity
/// authority confirms name, number and portrait; a submission the authority could not answer is
/// kept sealed and decided by a retry.
struct WorkerVerificationService: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher
    let authority: any IdentityAuthority
    let numbers: IdentityNumberValidator
    let agePolicies: AgePolicyBook
    let platformDivision: DivisionCode
    let restrictions: RestrictionService
    let hasher: PasswordHasher
    let logger: Logger
    let codes = VerificationCodeIssuer()
    let audit = AuditTrail()

    func submit(_ submission: WorkerSubmission, by submitter: WorkerSubmitter, now: Date = ServerClock.now())
        async throws
        -> VerificationOutcome
    {
        let today = LocalDate.today(in: ChineseFormat.timeZone, now: now)
        let serial = VerificationSerial.make(now: now)
        let division = try await submitterDivision(submitter)
        let (faults, warnings, facts) = try await check(
            submission, submitter: submitter, division: division, today: today)
        let label =
            "\(submission.name.trimmingCharacters(in: .whitespaces)) \(facts.map { IdentityNumber.masked($0.number) } ?? "")"
        guard let facts, faults.isEmpty else {
            return try await record(
                serial: serial, status: .refused, submitter: submitter, division: division, label: label,
                faults: faults, warnings: warnings, message: "核验未通过，请按提示修改后重新提交", now: now)
        }
        var normalized = submission
        normalized.idNumber = facts.number
        normalized.name = submission.name.trimmingCharacters(in: .whitespaces)
        // One person is one worker: a known number finds the existing record (G1); its name was
        // compared with the others checks.
        if let existing = try await verifiedWorker(number: facts.number), let code = existing.verificationCode {
            return try await alreadyVerified(
                existing, code: code, submission: normalized, submitter: submitter, serial: serial, division: division,
                label: label, warnings: warnings, now: now)
        }
        return try await askAuthority(
            normalized, facts: facts, submitter: submitter, serial: serial, division: division, label: label,
            warnings: warnings, now: now, existingRequest: nil)
    }

    /// Every check that needs no authority, all at once.
    func check(_ submission: WorkerSubmission, submitter: WorkerSubmitter, division: DivisionCode, today: LocalDate)
        async throws
        -> ([Finding], [Finding], IdentityNumberFacts?)
    {
        var faults: [Finding] = []
        var warnings: [Finding] = []
        let name = submission.name.trimmingCharacters(in: .whitespaces)
        if let problem = PersonName.problem(name) {
            faults.append(Finding(name.isEmpty ? "NAME_REQUIRED" : "NAME_INVALID", field: "name", problem))
        }
        if submission.idCardType != CodeTable.residentIdentityCardType {
            faults.append(Finding("ID_CARD_TYPE_UNSUPPORTED", field: "idCardType", "目前仅支持居民身份证实名核验"))
        }
        let declaredBirth = LocalDate(submission.birthDate)
        if declaredBirth == nil {
            faults.append(Finding("BIRTH_DATE_INVALID", field: "birthDate", "出生日期格式应为 年-月-日，例如 1985-03-12"))
        }
        let declaredGender = Gender(nationalCode: submission.gender)
        if declaredGender == nil { faults.append(Finding("GENDER_INVALID", field: "gender", "请选择性别")) }
        let validation = numbers.validate(
            submission.idNumber, today: today, declaredBirthDate: declaredBirth, declaredGender: declaredGender)
        faults += validation.faults.map {
            Finding($0, field: $0 == .birthMismatch ? "birthDate" : $0 == .genderMismatch ? "gender" : "idNumber")
        }
        if !CodeTable.nations.contains(submission.nation) {
            faults.append(Finding("NATION_INVALID", field: "nation", "请选择民族"))
        }
        if submission.address.trimmingCharacters(in: .whitespaces).count < 5 {
            faults.append(Finding("ADDRESS_REQUIRED", field: "address", "请填写身份证上的住址"))
        }
        if submission.issuingAuthority.trimmingCharacters(in: .whitespaces).count < 3 {
            faults.append(Finding("ISSUER_REQUIRED", field: "issuingAuthority", "请填写签发机关，例如 成都市公安局锦江分局"))
        }
        let validity = IdentityCardValidity.check(submission.validity, today: today)
        faults += validity.faults.map { Finding($0, field: "validity") }
        warnings += validity.warnings.map { Finding($0, field: "validity") }
        if let facts = validation.facts {
            // A number already verified: its name must agree, and on the phone it must not have
            // signed up already; reported with every other fault, not after them.
            if let existing = try await verifiedWorker(number: facts.number) {
                if existing.name != name {
                    faults.append(Finding("NAME_DIFFERS_FROM_RECORD", field: "name", "姓名与平台已登记的实名信息不一致，请核对"))
                }
                if case .selfRegistration = submitter, try await hasPhoneAccount(existing) {
                    faults.append(Self.alreadyRegistered)
                }
            }
            switch agePolicies.evaluate(birthDate: facts.birthDate, on: today, in: division) {
            case .refused(let refusal): faults.append(Finding(refusal, field: "idNumber"))
            case .accepted(let ageWarnings): warnings += ageWarnings.map { Finding($0, field: "idNumber") }
            }
            for restriction in try await restrictions.activeForWorker(idNumber: facts.number, today: today.description)
            {
                if restriction.kind == .blacklist {
                    faults.append(
                        Finding("WORKER_BLACKLISTED", field: "idNumber", "该人员在建筑市场黑名单中（\(restriction.reason)），不能完成实名登记")
                    )
                } else {
                    warnings.append(
                        Finding(
                            "WORKER_RESTRICTED", field: "idNumber",
                            "该人员有\(restriction.kind.chineseName)记录：\(restriction.reason)"))
                }
            }
        }
        for (data, field, label, limit) in [
            (submission.portrait, "portrait", "本人正面人像照片", ImageUpload.portraitLimit),
            (submission.idFront, "idFront", "身份证人像面照片", ImageUpload.cardImageLimit),
            (submission.idBack, "idBack", "身份证国徽面照片", ImageUpload.cardImageLimit),
        ] {
            if let problem = ImageUpload.problem(with: data, label: label, limit: limit) {
                faults.append(Finding("IMAGE_INVALID", field: field, problem))
            }
        }
        if case .selfRegistration = submitter {
            let mobile = submission.mobile ?? ""
            if let problem = PhoneNumber.mobileProblem(mobile) {
                faults.append(Finding("MOBILE_INVALID", field: "mobile", "手机号" + problem))
            } else if try await AccountModel.query(on: database.database()).filter(\.$username == mobile).count() > 0 {
                faults.append(Finding("MOBILE_TAKEN", field: "mobile", "该手机号已注册，请直接登录"))
            }
            faults += PasswordPolicy().violations(of: submission.password ?? "").map {
                Finding("PASSWORD_INVALID", field: "password", $0.chineseMessage)
            }
        }
        return (faults, warnings, validation.facts)
    }

    func submitterDivision(_ submitter: WorkerSubmitter) async throws -> DivisionCode {
        if let id = submitter.enterpriseID,
            let enterprise = try await EnterpriseModel.find(id, on: database.database()),
            let code = DivisionCode(enterprise.divisionCode)
        {
            return code
        }
        return platformDivision
    }
}
