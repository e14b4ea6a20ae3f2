import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// The application form and one application's page (the regulator's review page).
extension NationalAccessReads {
    struct Option: Sendable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct MethodGroup: Sendable {
        var label: String
        var methods: [Option]
    }

    struct FormView: Sendable {
        var base: String
        var csrf: String
        var action: String
        var projects: [Option]
        var hasProjects: Bool
        var groups: [MethodGroup]
        var always: String
        var submission: NationalAccessService.Submission
        var error: AppError?
    }

    /// 申请接入: the enterprise's projects (as contractor or unit) and every b.5 method by object.
    func form(_ caller: Caller, submission: NationalAccessService.Submission = .init(), error: AppError? = nil)
        async throws -> FormView
    {
        guard caller.audience == .corp else { throw AppError.forbidden }
        let ids = try await service.reach.projectIDs(for: caller.scope) ?? []
        let projects =
            ids.isEmpty
            ? [] : try await ProjectModel.query(on: database.database()).filter(\.$id ~~ ids).sort(\.$code).all()
        let chosenProjects = Set(submission.projects)
        let chosenMethods = Set(submission.methods)
        return FormView(
            base: NationalAccessPath.base(caller.audience), csrf: caller.csrf,
            action: NationalAccessPath.base(caller.audience) + "/applications",
            projects: projects.map {
                Option(
                    value: $0.uuid.uuidString, label: "\($0.name)（\($0.code)）",
                    checked: chosenProjects.contains($0.uuid.uuidString))
            },
            hasProjects: !projects.isEmpty,
            groups: NationalMethodCatalog.groups.map { group in
                MethodGroup(
                    label: group.label,
                    methods: group.methods.map {
                        Option(value: $0.name, label: $0.label, checked: chosenMethods.contains($0.name))
                    })
            },
            always: NationalMethodCatalog.always.map { "“\($0.label)”" }.joined(separator: "、"),
            submission: submission, error: error)
    }

    struct ProjectLine: Sendable {
        var name: String
        var code: String
        var division: String
        var note: String
        var warn: Bool
    }

    struct ApplicationView: Sendable {
        var base: String
        var csrf: String
        var action: String
        var systemName: String
        var vendor: String
        var enterprise: String
        var applicant: String
        var contact: String
        var phone: String
        var sourceIPs: [String]
        var methodGroups: [MethodGroup]
        var notes: String?
        var status: String
        var statusName: String
        var submitted: String
        var decided: String?
        var decidedBy: String?
        var reason: String?
        var division: String
        var projects: [ProjectLine]
        var canReview: Bool
        var canWithdraw: Bool
        var apps: [AppRow]
        var hasApps: Bool
        var errorCodes: [String]
        var windowDays: Int
        var error: AppError?
    }

    /// One application: what was asked, for which projects (and what approval will do to each
    /// project's app), its decision, and the apps it configured.
    func application(_ id: UUID, _ caller: Caller, error: AppError? = nil) async throws -> ApplicationView {
        let db = database.database()
        guard let application = try await Application.find(id, on: db) else { throw AppError.notFound }
        switch caller.scope {
        case .division(let division):
            guard DivisionCode(application.divisionCode).map(division.reaches) == true else { throw AppError.notFound }
        case .enterprise(let enterpriseID, _):
            guard application.enterpriseID == enterpriseID else { throw AppError.notFound }
        case .worker:
            throw AppError.notFound
        }
        let links = try await NationalAccessProjectModel.query(on: db).filter(\.$applicationID == id).all()
        let projects = try await ProjectModel.query(on: db).filter(\.$id ~~ links.map(\.projectID)).sort(\.$code).all()
        let existing = try await AppCredentialModel.query(on: db).filter(\.$appID ~~ projects.map(\.code)).all()
        let configured = try await AppCredentialModel.query(on: db)
            .filter(\.$id ~~ links.compactMap(\.appCredentialID)).sort(\.$appID).all()
        let enterprises = try await names(
            ofEnterprises: Array(Set([application.enterpriseID] + existing.compactMap { $0.$enterprise.id })))
        let isPending = application.status == Application.pending
        let lines = projects.map { project in
            let app = existing.first { $0.appID == project.code }
            let (note, warn) =
                isPending
                ? Self.approvalNote(app, applicant: application.enterpriseID, code: project.code, holders: enterprises)
                : ("", false)
            return ProjectLine(
                name: project.name, code: project.code,
                division: DivisionCode(project.divisionCode).map { divisions.fullName(of: $0) } ?? "", note: note,
                warn: warn)
        }
        let asked = Set(application.methods.split(separator: ",").map(String.init))
        let groups = NationalMethodCatalog.groups.compactMap { group -> MethodGroup? in
            let methods = group.methods.filter { asked.contains($0.name) }
            guard !methods.isEmpty else { return nil }
            return MethodGroup(
                label: group.label,
                methods: methods.map { Option(value: $0.name, label: $0.label, checked: true) })
        }
        let appRows = try await self.appRows(configured, caller: caller)
        return ApplicationView(
            base: NationalAccessPath.base(caller.audience), csrf: caller.csrf,
            action: NationalAccessPath.application(id, caller.audience), systemName: application.systemName,
            vendor: application.vendor, enterprise: enterprises[application.enterpriseID] ?? "",
            applicant: application.applicantName, contact: application.contactName, phone: application.contactPhone,
            sourceIPs: application.sourceIPs.isEmpty
                ? ["不限（演示数据）"] : application.sourceIPs.split(separator: ",").map(String.init),
            methodGroups: groups, notes: application.notes, status: application.status,
            statusName: NationalAccessService.statusName(application.status),
            submitted: ChineseFormat.dateTime(application.submittedAt),
            decided: application.decidedAt.map(ChineseFormat.dateTime), decidedBy: application.decidedByName,
            reason: application.decisionReason,
            division: DivisionCode(application.divisionCode).map { divisions.fullName(of: $0) } ?? "",
            projects: lines, canReview: caller.audience == .gov && isPending,
            canWithdraw: caller.audience == .corp && isPending && caller.account.role == .enterpriseAdmin,
            apps: appRows, hasApps: !appRows.isEmpty, errorCodes: Self.errorCodes.map(String.init),
            windowDays: Self.windowDays, error: error)
    }

    /// What approving will do to a project's app (the decision documented in
    /// docs/national-interface.md, "Platform access").
    static func approvalNote(_ app: AppCredentialModel?, applicant: UUID, code: String, holders: [UUID: String])
        -> (String, Bool)
    {
        guard let app, app.kind == NationalApps.kind else {
            return ("尚无国家接口应用：批准后新建 appid \(code)，密钥向申请单位显示一次", false)
        }
        guard app.status == "active", app.revokedAt == nil else {
            return ("该项目的应用已注销：批准后重新启用 appid \(code) 并签发新密钥", false)
        }
        guard app.$enterprise.id == applicant else {
            let holder = app.$enterprise.id.flatMap { holders[$0] } ?? "其他单位"
            return ("appid \(code) 现由\(holder)持有：批准后改由申请单位持有并重新签发密钥，\(holder)的系统将无法再调用", true)
        }
        return ("已有应用 appid \(code)：批准后按本申请更新名称、接口方法和来源地址，密钥不变", false)
    }
}
