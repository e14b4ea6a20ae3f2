import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// What an enterprise submits to be verified (E1, G1; Corp.Upload fields, standards.md b.6).
struct EnterpriseSubmission: Codable, Sendable {
    struct Qualification: Codable, Sendable {
        var category: String
        var grade: String
        var certificateNumber: String
        /// yyyy-MM-dd.
        var validUntil: String
    }

    var creditCode: String
    var name: String
    /// Code table c.6.
    var registrationType: String
    var divisionCode: String
    var address: String
    var legalRepName: String
    var legalRepIDType: String = CodeTable.residentIdentityCardType
    var legalRepIDNumber: String
    var contactName: String
    var contactPhone: String
    var qualifications: [Qualification]
    /// The administrator account that becomes active when verification passes.
    var adminUsername: String
    var adminDisplayName: String
    var adminPassword: String
}

/// Enterprise verification: every check at once; a passing enterprise receives its verification
/// code and an active administrator at once; a failing one receives every reason in Chinese.
struct EnterpriseVerificationService: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher
    let credit: CreditCodeValidator
    let numbers: IdentityNumberValidator
    let nationalDivisions: NationalDivisionTable
    let restrictions: RestrictionService
    let hasher: PasswordHasher
    let codes = VerificationCodeIssuer()
    let audit = AuditTrail()

    func submit(_ submission: EnterpriseSubmission, channel: String, actor: AuditActor, now: Date = ServerClock.now())
        async throws
        -> VerificationOutcome
    {
        let today = LocalDate.today(in: ChineseFormat.timeZone, now: now)
        let serial = VerificationSerial.make(now: now)
        let (faults, warnings, code) = try await check(submission, today: today)
        let division = DivisionCode(submission.divisionCode) ?? .sichuan
        let label = "\(submission.name.trimmingCharacters(in: .whitespaces)) \(code)"
        guard faults.isEmpty else {
            try await audit.write(on: database.database(), actor: actor) { tx in
                try await request(
                    serial, status: "refused", channel: channel, actor: actor, division: division, label: label,
                    faults: faults, message: "核验未通过", enterpriseID: nil, now: now
                ).create(on: tx)
                return (
                    (),
                    AuditDraft(
                        action: "verification.refused", entityType: "verification", entityID: serial,
                        divisionCode: division.rawValue, summary: "企业实名核验未通过：\(label)",
                        change: ["faults": faults.map(\.code).joined(separator: ",")])
                )
            }
            return VerificationOutcome(
                serial: serial, status: .refused, message: "企业核验未通过，请按提示修改后重新提交", faults: faults, warnings: warnings,
                verificationCode: nil, subjectID: nil, simulated: false)
        }
        let legalRep = submission.legalRepIDNumber.trimmingCharacters(in: .whitespaces).uppercased()
        let enterprise = EnterpriseModel(
            id: UUID(), name: submission.name.trimmingCharacters(in: .whitespaces), creditCode: code,
            divisionCode: division.rawValue)
        enterprise.registrationType = submission.registrationType
        enterprise.address = submission.address
        enterprise.legalRepName = submission.legalRepName
        enterprise.legalRepIDType = submission.legalRepIDType
        enterprise.legalRepIDCipher = try cipher.seal(legalRep)
        enterprise.legalRepIDHMAC = cipher.lookupHash(legalRep)
        enterprise.legalRepIDMasked = IdentityNumber.masked(legalRep)
        enterprise.contactName = submission.contactName
        enterprise.contactPhone = submission.contactPhone
        enterprise.verifiedAt = now
        let passwordHash = try await hasher.hash(submission.adminPassword)
        let issued = try await audit.write(on: database.database(), actor: actor) { tx in
            try await enterprise.create(on: tx)
            let issued = try await codes.issue(for: .enterprise, id: enterprise.uuid, on: tx)
            enterprise.verificationCode = issued
            try await enterprise.update(on: tx)
            for item in submission.qualifications {
                let qualification = EnterpriseQualificationModel()
                qualification.id = UUID()
                qualification.$enterprise.id = enterprise.uuid
                qualification.category = item.category
                qualification.grade = item.grade
                qualification.certificateNumber = item.certificateNumber
                qualification.validUntil = item.validUntil
                qualification.createdAt = now
                try await qualification.create(on: tx)
            }
            let admin = AccountModel(
                username: submission.adminUsername.trimmingCharacters(in: .whitespaces),
                displayName: submission.adminDisplayName.trimmingCharacters(in: .whitespaces), role: .enterpriseAdmin,
                passwordHash: passwordHash, enterpriseID: enterprise.id, mustChangePassword: false, now: now)
            try await admin.create(on: tx)
            try await request(
                serial, status: "passed", channel: channel, actor: actor, division: division, label: label, faults: [],
                message: "企业实名核验通过", enterpriseID: enterprise.id, now: now
            ).create(on: tx)
            return (
                issued,
                AuditDraft(
                    action: "enterprise.verified", entityType: "enterprise", entityID: enterprise.uuid.uuidString,
                    divisionCode: division.rawValue, enterpriseID: enterprise.uuid.uuidString,
                    summary: "企业实名核验通过：\(enterprise.name)，管理员 \(admin.username)",
                    change: ["code": issued, "creditCode": code])
            )
        }
        return VerificationOutcome(
            serial: serial, status: .passed, message: "企业实名核验通过，管理员账号 \(submission.adminUsername) 已开通", faults: [],
            warnings: warnings, verificationCode: issued, subjectID: enterprise.id, simulated: false)
    }

    /// Every check, all at once.
    func check(_ s: EnterpriseSubmission, today: LocalDate) async throws -> ([Finding], [Finding], String) {
        var faults: [Finding] = []
        var warnings: [Finding] = []
        let validation = credit.validate(s.creditCode)
        faults += validation.faults.map { Finding($0, field: "creditCode") }
        warnings += validation.warnings.map { Finding($0, field: "creditCode") }
        let code = validation.normalized
        if s.name.trimmingCharacters(in: .whitespaces).count < 4 {
            faults.append(Finding("NAME_REQUIRED", field: "name", "请填写营业执照上的企业名称"))
        }
        if !CodeTable.enterpriseRegistrationTypes.contains(s.registrationType) {
            faults.append(Finding("REGISTRATION_TYPE_INVALID", field: "registrationType", "请选择企业登记注册类型"))
        }
        if DivisionCode(s.divisionCode) == nil
            || nationalDivisions.entries(for: s.divisionCode).allSatisfy({ $0.until != nil })
        {
            faults.append(Finding("DIVISION_INVALID", field: "divisionCode", "注册地行政区划代码不存在或已撤销"))
        }
        if s.address.trimmingCharacters(in: .whitespaces).count < 5 {
            faults.append(Finding("ADDRESS_REQUIRED", field: "address", "请填写注册地址"))
        }
        if s.legalRepName.trimmingCharacters(in: .whitespaces).isEmpty {
            faults.append(Finding("LEGAL_REP_REQUIRED", field: "legalRepName", "请填写法定代表人姓名"))
        }
        if s.legalRepIDType == CodeTable.residentIdentityCardType {
            faults += numbers.validate(s.legalRepIDNumber, today: today).faults.map {
                Finding($0, field: "legalRepIDNumber")
            }
        } else if !CodeTable.idCardTypes.contains(s.legalRepIDType) || s.legalRepIDNumber.count < 5 {
            faults.append(Finding("LEGAL_REP_ID_INVALID", field: "legalRepIDNumber", "请填写法定代表人的证件类型和号码"))
        }
        if s.contactName.trimmingCharacters(in: .whitespaces).isEmpty {
            faults.append(Finding("CONTACT_REQUIRED", field: "contactName", "请填写联系人"))
        }
        if let problem = PhoneNumber.contactProblem(s.contactPhone) {
            faults.append(Finding("CONTACT_PHONE_INVALID", field: "contactPhone", "联系电话" + problem))
        }
        if s.qualifications.isEmpty {
            faults.append(Finding("QUALIFICATION_REQUIRED", field: "qualification", "请填写至少一项企业资质"))
        }
        for item in s.qualifications {
            if item.category.isEmpty || item.grade.isEmpty || item.certificateNumber.isEmpty {
                faults.append(Finding("QUALIFICATION_INCOMPLETE", field: "qualification", "请完整填写资质类别、等级和证书编号"))
            }
            if let until = LocalDate(item.validUntil) {
                if until < today {
                    faults.append(Finding("QUALIFICATION_EXPIRED", field: "qualification", "资质证书已过有效期（\(until)）"))
                }
            } else {
                faults.append(Finding("QUALIFICATION_VALIDITY", field: "qualification", "资质有效期格式应为 年-月-日"))
            }
        }
        let db = database.database()
        if validation.isValid, try await EnterpriseModel.query(on: db).filter(\.$creditCode == code).count() > 0 {
            faults.append(Finding("CREDIT_CODE_TAKEN", field: "creditCode", "该统一社会信用代码已由其他企业登记；如有异议请联系主管部门"))
        }
        if validation.isValid {
            for restriction in try await restrictions.activeForEnterprise(creditCode: code, today: today.description) {
                if restriction.kind == .blacklist {
                    faults.append(
                        Finding("ENTERPRISE_BLACKLISTED", field: "creditCode", "该企业在建筑市场黑名单中（\(restriction.reason)）"))
                } else {
                    warnings.append(
                        Finding(
                            "ENTERPRISE_RESTRICTED", field: "creditCode",
                            "该企业有\(restriction.kind.chineseName)记录：\(restriction.reason)"))
                }
            }
        }
        let username = s.adminUsername.trimmingCharacters(in: .whitespaces)
        if username.count < 3 || username.count > 32
            || !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) })
        {
            faults.append(Finding("ADMIN_USERNAME_INVALID", field: "adminUsername", "管理员用户名须为 3～32 位字母、数字、下划线、点或横线"))
        } else if try await AccountModel.query(on: db).filter(\.$username == username).count() > 0 {
            faults.append(Finding("ADMIN_USERNAME_TAKEN", field: "adminUsername", "该用户名已被使用，请换一个"))
        }
        if s.adminDisplayName.trimmingCharacters(in: .whitespaces).isEmpty {
            faults.append(Finding("ADMIN_NAME_REQUIRED", field: "adminDisplayName", "请填写管理员姓名"))
        }
        faults += PasswordPolicy().violations(of: s.adminPassword).map {
            Finding("PASSWORD_INVALID", field: "adminPassword", $0.chineseMessage)
        }
        return (faults, warnings, code)
    }

    private func request(
        _ serial: String, status: String, channel: String, actor: AuditActor, division: DivisionCode, label: String,
        faults: [Finding], message: String, enterpriseID: UUID?, now: Date
    ) -> VerificationRequestModel {
        let request = VerificationRequestModel()
        request.id = UUID()
        request.serial = serial
        request.kind = "enterprise"
        request.status = status
        request.channel = channel
        request.submittedBy = actor.name
        request.enterpriseID = enterpriseID
        request.divisionCode = division.rawValue
        request.subjectLabel = label
        request.faults = Finding.encode(faults)
        request.message = message
        request.simulated = false
        request.attempts = 0
        request.createdAt = now
        request.decidedAt = now
        return request
    }
}
