import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// Platform access (issue 15 item 4, A1): an enterprise applies to connect a system to the
/// national gateway, a regulator of the projects' division approves or rejects it, and the
/// credentials follow the national model — one app per project, appid = project code. Secrets
/// are rotated with an overlap and revoked at once, by either side. Every step is audited, filed
/// under the application's division and the applicant enterprise, so both sides read it.
struct NationalAccessService: Sendable {
    let database: DatabaseService
    let apps: NationalApps
    let reach: ProjectReach
    /// How long a rotated-out secret keeps verifying.
    let overlap: TimeInterval
    let audit = AuditTrail()

    typealias Application = NationalAccessApplicationModel

    /// What the form sends, as typed.
    struct Submission: Sendable {
        var systemName = ""
        var vendor = ""
        var contactName = ""
        var contactPhone = ""
        var sourceIPs = ""
        var projects: [String] = []
        var methods: [String] = []
        var notes = ""
    }

    // MARK: Enterprise

    /// Files an application (enterprise administrators only); returns its id.
    func apply(_ submission: Submission, scope: AccessScope, by account: AccountSnapshot) async throws -> UUID {
        let enterpriseID = try Self.enterpriseAdmin(scope, account)
        var problems = FieldProblems()
        let systemName = problems.required(submission.systemName, "系统名称", max: 100)
        let vendor = problems.required(submission.vendor, "开发厂商", max: 100)
        let contactName = problems.required(submission.contactName, "联系人", max: 50)
        let contactPhone = problems.phone(submission.contactPhone, "联系电话", required: true) ?? ""
        let notes = problems.optional(submission.notes, "申请说明", max: 1000)
        let addresses = SourceAddressList(parsing: submission.sourceIPs)
        for problem in addresses.problems { problems.add("来源 IP：" + problem) }
        if addresses.addresses.isEmpty && addresses.problems.isEmpty {
            problems.add("请填写来源 IP：至少一个调用系统的出口地址，每行一个")
        }
        let methods = try Self.methods(submission.methods, problems: &problems)
        let projects = try await chosenProjects(submission.projects, scope: scope, problems: &problems)
        let division = Self.coveringDivision(projects.map(\.divisionCode))
        if !projects.isEmpty, division == nil {
            problems.add("所选项目分属不同省份，请按省份分别申请")
        }
        try problems.throwIfAny("ACCESS_APPLICATION_INVALID")
        guard let division else { throw FieldProblems.incomplete("ACCESS_APPLICATION_INVALID") }
        let application = Application()
        application.id = UUID()
        application.enterpriseID = enterpriseID
        application.applicantAccountID = account.id
        application.applicantName = account.displayName
        application.systemName = systemName
        application.vendor = vendor
        application.contactName = contactName
        application.contactPhone = contactPhone
        application.sourceIPs = addresses.stored
        application.methods = methods.joined(separator: ",")
        application.notes = notes
        application.divisionCode = division.rawValue
        application.status = Application.pending
        application.submittedAt = ServerClock.now()
        let rows = projects.map { NationalAccessProjectModel(applicationID: application.uuid, projectID: $0.uuid) }
        let names = projects.map(\.name).joined(separator: "、")
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await application.create(on: tx)
            for row in rows { try await row.create(on: tx) }
            return (
                (), Self.draft("national-access.applied", application, "申请系统接入：\(systemName)（\(vendor)），项目：\(names)")
            )
        }
        return application.uuid
    }

    /// Withdraws a pending application of the caller's enterprise.
    func withdraw(_ id: UUID, reason: String, scope: AccessScope, by account: AccountSnapshot) async throws {
        let enterpriseID = try Self.enterpriseAdmin(scope, account)
        var problems = FieldProblems()
        let reason = problems.optional(reason, "撤回原因", max: 500)
        try problems.throwIfAny("ACCESS_WITHDRAW_INVALID")
        let application = try await own(id, enterpriseID: enterpriseID)
        try await decide(application, to: Application.withdrawn, reason: reason, by: account) { _ in
            "撤回系统接入申请：\(application.systemName)"
        }
    }

    // MARK: Regulator

    /// Approves a pending application within the regulator's division: each project's app is
    /// made or updated from it (`NationalApps.configure`); a new secret waits to be shown once to
    /// the applicant.
    func approve(_ id: UUID, note: String, scope: AccessScope, by account: AccountSnapshot) async throws {
        var problems = FieldProblems()
        let note = problems.optional(note, "审核意见", max: 500)
        try problems.throwIfAny("ACCESS_APPROVE_INVALID")
        let application = try await reviewable(id, scope: scope)
        let rows = try await NationalAccessProjectModel.query(on: database.database())
            .filter(\.$applicationID == application.uuid).all()
        let projects = try await ProjectModel.query(on: database.database()).filter(\.$id ~~ rows.map(\.projectID))
            .all()
        guard !projects.isEmpty else {
            throw AppError(.conflict, code: "ACCESS_NO_PROJECT", message: "该申请没有可接入的项目，请驳回")
        }
        let apps = self.apps
        let methods = Self.granted(application.methods)
        let settings = NationalApps.Settings(
            name: application.systemName, holder: application.enterpriseID,
            methods: methods, allowedIPs: application.sourceIPs.isEmpty ? nil : application.sourceIPs)
        try await decide(application, to: Application.approved, reason: note, by: account) { tx in
            var made: [String] = []
            for project in projects {
                let (app, outcome) = try await apps.configure(project, settings, revealPending: true, on: tx)
                try await NationalAccessProjectModel.query(on: tx).filter(\.$applicationID == application.uuid)
                    .filter(\.$projectID == project.uuid).set(\.$appCredentialID, to: app.uuid).update()
                made.append("\(app.appID)（\(Self.outcomeName(outcome))）")
            }
            return "批准系统接入申请：\(application.systemName)；应用：\(made.joined(separator: "、"))"
        }
    }

    /// Rejects a pending application within the regulator's division; the reason is required.
    func reject(_ id: UUID, reason: String, scope: AccessScope, by account: AccountSnapshot) async throws {
        var problems = FieldProblems()
        let reason = problems.required(reason, "驳回理由", max: 500)
        try problems.throwIfAny("ACCESS_REJECT_REASON")
        let application = try await reviewable(id, scope: scope)
        try await decide(application, to: Application.rejected, reason: reason, by: account) { _ in
            "驳回系统接入申请：\(application.systemName)；理由：\(reason)"
        }
    }

    // MARK: Either side

    /// Shows a secret issued by someone else exactly once to its holder's administrator.
    func reveal(_ credentialID: UUID, scope: AccessScope, by account: AccountSnapshot) async throws -> (
        appID: String, secret: String
    ) {
        let enterpriseID = try Self.enterpriseAdmin(scope, account)
        let app = try await credential(credentialID, scope: scope)
        guard app.$enterprise.id == enterpriseID, let secret = apps.secret(of: app) else { throw AppError.notFound }
        let claimed = try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            let claimed = try await NationalAccessQueries(tx).claimReveal(app.uuid)
            guard claimed else { throw Self.alreadyShown }
            return (claimed, Self.draft("national-access.secret-shown", app, "查看应用 \(app.appID) 的密钥（仅显示一次）"))
        }
        guard claimed else { throw Self.alreadyShown }
        return (app.appID, secret)
    }

    /// A new secret; the old one verifies for the overlap. The holder's administrator sees the new
    /// one at once (returned); a regulator's rotation leaves it to be shown once to the holder (nil).
    func rotate(_ credentialID: UUID, scope: AccessScope, by account: AccountSnapshot) async throws -> (
        appID: String, secret: String?
    ) {
        let isHolder: Bool
        switch scope {
        case .division: isHolder = false
        case .enterprise:
            _ = try Self.enterpriseAdmin(scope, account)
            isHolder = true
        case .worker: throw AppError.forbidden
        }
        let app = try await active(credentialID, scope: scope)
        let apps = self.apps
        let overlap = self.overlap
        let now = ServerClock.now()
        let hours = Int(overlap / 3600)
        let secret = try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            let secret = try await apps.rotate(app, overlap: overlap, revealPending: !isHolder, now: now, on: tx)
            return (
                secret,
                Self.draft("national-access.rotated", app, "重置应用 \(app.appID) 的密钥；原密钥 \(hours) 小时内仍可使用")
            )
        }
        return (app.appID, isHolder ? secret : nil)
    }

    /// Revokes an app at once; the reason is required.
    func revoke(_ credentialID: UUID, reason: String, scope: AccessScope, by account: AccountSnapshot) async throws
        -> String
    {
        if case .enterprise = scope { _ = try Self.enterpriseAdmin(scope, account) }
        var problems = FieldProblems()
        let reason = problems.required(reason, "注销原因", max: 500)
        try problems.throwIfAny("ACCESS_REVOKE_REASON")
        let app = try await active(credentialID, scope: scope)
        let apps = self.apps
        let now = ServerClock.now()
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await apps.revoke(app, reason: reason, now: now, on: tx)
            return ((), Self.draft("national-access.revoked", app, "注销应用 \(app.appID)；原因：\(reason)"))
        }
        return app.appID
    }
}
