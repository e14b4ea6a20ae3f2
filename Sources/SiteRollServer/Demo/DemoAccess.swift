import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// The demo's platform access (issue 15 items 4 and 8): every project's national app comes from
/// an approved application of its general contractor, decided by the regulator closest to the
/// project, and 成都锦城劳务 has one application waiting for 成都市住建局 (cd_admin) to review.
/// Run at every demo start; each part is made only once.
struct DemoAccess: Sendable {
    let access: NationalAccessService

    var database: DatabaseService { access.database }

    /// The project's app, from an approved application made now if there is none; its secret is
    /// printed by `serve --demo`, so it waits for no one-time reveal.
    func approvedApp(for project: ProjectModel) async throws -> (appID: String, secret: String) {
        let db = database.database()
        if let link = try await NationalAccessProjectModel.query(on: db).filter(\.$projectID == project.uuid)
            .filter(\.$appCredentialID != nil).first(),
            let id = link.appCredentialID, let app = try await AppCredentialModel.find(id, on: db),
            app.status == "active", let secret = access.apps.secret(of: app)
        {
            return (app.appID, secret)
        }
        let applicant = try await AccountModel.query(on: db).filter(\.$enterprise.$id == project.contractorEnterpriseID)
            .filter(\.$roleRaw == Role.enterpriseAdmin.rawValue).first()
        let regulator = try await Self.regulator(for: project, on: db)
        let application = NationalAccessApplicationModel()
        application.id = UUID()
        application.enterpriseID = project.contractorEnterpriseID
        application.applicantAccountID = applicant?.id ?? UUID()
        application.applicantName = applicant?.displayName ?? project.contractorName
        application.systemName = "\(project.contractorName.prefix(4))智慧工地实名制系统"
        application.vendor = "四川筑安信息技术有限公司"
        application.contactName = applicant?.displayName ?? "项目联系人"
        application.contactPhone = "028-85550101"
        // No address list: the README's call works from wherever the demo runs (a real
        // application must name at least one address).
        application.sourceIPs = ""
        application.methods = NationalMethodCatalog.groups.flatMap(\.methods).map(\.name).joined(separator: ",")
        application.notes = "演示数据：总承包单位的实名制系统，接入全部国家接口方法"
        application.divisionCode = project.divisionCode
        application.status = NationalAccessApplicationModel.approved
        application.submittedAt = ServerClock.now()
        application.decidedAt = application.submittedAt
        application.decidedByAccountID = regulator?.id
        application.decidedByName = regulator?.displayName ?? "系统"
        application.decisionReason = "演示数据：同意接入"
        let link = NationalAccessProjectModel(applicationID: application.uuid, projectID: project.uuid)
        let apps = access.apps
        let settings = NationalApps.Settings(
            name: application.systemName, holder: project.contractorEnterpriseID,
            methods: NationalAccessService.granted(application.methods), allowedIPs: nil)
        let app = try await AuditTrail().write(on: db, actor: .system) { tx in
            try await application.create(on: tx)
            let (app, _) = try await apps.configure(project, settings, revealPending: false, on: tx)
            link.appCredentialID = app.uuid
            try await link.create(on: tx)
            return (
                app,
                NationalAccessService.draft(
                    "national-access.approved", application, "演示数据：批准系统接入，应用 \(app.appID)")
            )
        }
        guard let secret = access.apps.secret(of: app) else { throw FieldProblems.incomplete("DEMO_ACCESS") }
        return (app.appID, secret)
    }

    /// The regulator whose division is the project's closest.
    static func regulator(for project: ProjectModel, on db: any Database) async throws -> AccountModel? {
        guard let division = DivisionCode(project.divisionCode) else { return nil }
        let regulators = try await AccountModel.query(on: db)
            .filter(\.$roleRaw ~~ [Role.regulatorAdmin.rawValue, Role.regulator.rawValue]).sort(\.$username).all()
        return
            regulators
            .filter { account in
                guard let code = account.divisionCode.flatMap({ DivisionCode($0) }) else { return false }
                return code.reaches(division)
            }
            .max { Self.depth($0) < Self.depth($1) }
    }

    private static func depth(_ account: AccountModel) -> Int {
        guard let code = account.divisionCode.flatMap({ DivisionCode($0) }) else { return 0 }
        return code.scopePrefix.count
    }

    /// One application of 成都锦城劳务 (jc_admin) waiting for review, for its Chengdu projects.
    func pendingApplication() async throws {
        let db = database.database()
        guard let account = try await AccountModel.query(on: db).filter(\.$username == "jc_admin").first(),
            let enterpriseID = account.$enterprise.id
        else { return }
        let existing = try await NationalAccessApplicationModel.query(on: db)
            .filter(\.$enterpriseID == enterpriseID).count()
        guard existing == 0 else { return }
        let scope = AccessScope.enterprise(enterpriseID, division: nil)
        let reachable = try await access.reach.projectIDs(for: scope) ?? []
        let projects = try await ProjectModel.query(on: db).filter(\.$id ~~ reachable)
            .filter(\.$divisionCode =~ "510104").all()
        guard !projects.isEmpty else { return }
        let submission = NationalAccessService.Submission(
            systemName: "锦城劳务班组管理系统", vendor: "成都蓉易通软件有限公司", contactName: "刘洋",
            contactPhone: "13880001234", sourceIPs: "203.0.113.25\n2001:db8:25::10",
            projects: projects.map(\.uuid.uuidString),
            methods: [
                "Team.Add", "Team.Query", "ProjectWorker.Add", "ProjectWorker.Query", "WorkerContract.Add",
                "WorkerAttendance.Add", "WorkerAttendance.Query", "Payroll.Add",
            ],
            notes: "劳务分包单位自用的班组管理系统，上传本单位班组、工人、合同、考勤和工资单")
        _ = try await access.apply(submission, scope: scope, by: AccountSnapshot(account))
    }
}
