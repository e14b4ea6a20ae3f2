import FluentKit
import Foundation
import OpenAPIRuntime
import SiteRollAPI
import SiteRollCore
import SiteRollStore

/// `/api/v1` real-name verification operations (G1 items 2–4, G9).
extension APIService {
    func submitWorkerVerification(_ input: Operations.SubmitWorkerVerification.Input) async throws
        -> Operations.SubmitWorkerVerification.Output
    {
        let identity = try APIIdentity.requireAny()
        let submitter: WorkerSubmitter
        if let account = identity.account, account.role.kind == .enterprise {
            submitter = .enterprise(account)
        } else if let app = identity.app, app.enterpriseID != nil {
            submitter = .app(app)
        } else {
            throw AppError(.forbidden, code: "ENTERPRISE_ONLY", message: "工人实名核验须由用工企业账号或企业接入系统提交")
        }
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        // A missing image is reported with every other fault by the service; bytes that are not
        // Base64 become bytes that are no image, so that the service names that too.
        func image(_ text: String) -> Data? {
            guard !text.isEmpty else { return nil }
            return Data(base64Encoded: text, options: .ignoreUnknownCharacters) ?? Data([0])
        }
        let submission = WorkerSubmission(
            name: body.name, idCardType: body.idCardType ?? CodeTable.residentIdentityCardType, idNumber: body.idNumber,
            gender: body.gender, nation: body.nation, birthDate: body.birthDate, address: body.address,
            issuingAuthority: body.issuingAuthority, validity: body.validity, portrait: image(body.portrait),
            idFront: image(body.idFront), idBack: image(body.idBack))
        let outcome = try await workerVerification.submit(submission, by: submitter)
        return .ok(.init(body: .json(result(outcome))))
    }

    func submitEnterpriseVerification(_ input: Operations.SubmitEnterpriseVerification.Input) async throws
        -> Operations.SubmitEnterpriseVerification.Output
    {
        let identity = try APIIdentity.requireAny()
        let actor: AuditActor
        if let account = identity.account, account.role.kind == .regulator {
            actor = account.auditActor
        } else if let app = identity.app {
            actor = AuditActor(id: app.id.uuidString, name: app.appID, role: "app")
        } else {
            throw AppError(.forbidden, code: "REGISTRATION_CHANNEL", message: "企业实名核验请通过“企业实名登记”页面、接入系统或主管部门提交")
        }
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        let submission = EnterpriseSubmission(
            creditCode: body.creditCode, name: body.name, registrationType: body.registrationType,
            divisionCode: body.divisionCode, address: body.address, legalRepName: body.legalRepName,
            legalRepIDType: body.legalRepIdType ?? CodeTable.residentIdentityCardType,
            legalRepIDNumber: body.legalRepIdNumber,
            contactName: body.contactName, contactPhone: body.contactPhone,
            qualifications: body.qualifications.map {
                .init(
                    category: $0.category, grade: $0.grade, certificateNumber: $0.certificateNumber,
                    validUntil: $0.validUntil)
            }, adminUsername: body.adminUsername, adminDisplayName: body.adminDisplayName,
            adminPassword: body.adminPassword)
        let outcome = try await enterpriseVerification.submit(submission, channel: "api", actor: actor)
        return .ok(.init(body: .json(result(outcome))))
    }

    func getVerification(_ input: Operations.GetVerification.Input) async throws -> Operations.GetVerification.Output {
        let identity = try APIIdentity.requireAny()
        guard let request = try await workerRegistry.request(serial: input.path.serial, for: identity) else {
            throw AppError(.notFound, code: "VERIFICATION_NOT_FOUND", message: "核验请求不存在，或不在您的查看范围内")
        }
        var code: String?
        if let workerID = request.workerID {
            code = try await WorkerModel.find(workerID, on: accounts.database.database())?.verificationCode
        }
        let findings = Finding.decode(request.faults)
        return .ok(
            .init(
                body: .json(
                    .init(
                        serial: request.serial, status: .init(rawValue: request.status) ?? .waiting,
                        statusName: request.statusName, message: request.message, faults: findings.map(schema),
                        warnings: [],
                        verificationCode: request.status == "passed" ? code : nil, subjectLabel: request.subjectLabel,
                        simulated: request.simulated))))
    }

    func checkIdentity(_ input: Operations.CheckIdentity.Input) async throws -> Operations.CheckIdentity.Output {
        _ = try APIIdentity.requireAny()
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        let (consistent, worker) = try await workerRegistry.consistency(
            name: body.name, idNumber: body.idNumber, code: body.verificationCode)
        let message =
            worker == nil
            ? "平台没有该人员的实名记录" : consistent ? "姓名与平台实名记录一致" : "姓名与平台实名记录不一致"
        return .ok(
            .init(
                body: .json(
                    .init(
                        consistent: consistent, verified: worker?.verificationCode != nil,
                        verificationCode: consistent ? worker?.verificationCode : nil, message: message))))
    }

    func checkRestrictions(_ input: Operations.CheckRestrictions.Input) async throws
        -> Operations.CheckRestrictions.Output
    {
        _ = try APIIdentity.requireAny()
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        let today = LocalDate.today(in: ChineseFormat.timeZone).description
        let active: [RestrictionService.Active]
        switch body.subjectKind {
        case .worker:
            guard let number = body.idNumber, IdentityNumber.hasValidCheckCharacter(number) else {
                throw AppError.badRequest("ID_NUMBER_INVALID", "请提供正确的 18 位身份证号")
            }
            active = try await restrictions.activeForWorker(idNumber: number.uppercased(), today: today)
        case .enterprise:
            guard let code = body.creditCode, CreditCode.isValid(code) else {
                throw AppError.badRequest("CREDIT_CODE_INVALID", "请提供正确的统一社会信用代码")
            }
            active = try await restrictions.activeForEnterprise(creditCode: code, today: today)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        restricted: !active.isEmpty,
                        entries: active.map {
                            .init(
                                kind: $0.kind.rawValue, kindName: $0.kind.chineseName, reason: $0.reason,
                                endsOn: $0.endsOn)
                        }))))
    }

    func result(_ outcome: VerificationOutcome) -> Components.Schemas.VerificationResult {
        .init(
            serial: outcome.serial, status: .init(rawValue: outcome.status.rawValue) ?? .waiting,
            statusName: outcome.status == .passed ? "核验通过" : outcome.status == .refused ? "核验未通过" : "等待身份核验机构应答",
            message: outcome.message, faults: outcome.faults.map(schema), warnings: outcome.warnings.map(schema),
            verificationCode: outcome.verificationCode, subjectLabel: nil, simulated: outcome.simulated)
    }

    func schema(_ finding: Finding) -> Components.Schemas.Finding {
        .init(code: finding.code, field: finding.field, message: finding.message)
    }
}
