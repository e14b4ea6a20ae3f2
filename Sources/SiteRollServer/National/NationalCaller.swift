import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// A national app acting through the consoles' services. The national model gives one appid per
/// project ("一项目一密钥"), held by the project's general contractor, so the app acts with the
/// contractor's standing on that project and on no other; the audit trail names the app.
struct NationalCaller: Sendable {
    /// The national app; nil when the same write arrives through `/api/v1`.
    var app: NationalApp?
    var project: ProjectModel
    var account: AccountSnapshot
    var scope: AccessScope
    /// The AES secret of the request's encrypted fields; nil: the fields are plain (`/api/v1`,
    /// where TLS protects them).
    var secret: String?
    /// Who answers for a worker verified through this write.
    var submitter: WorkerSubmitter

    typealias Refusal = NationalGateway.Refusal

    static func make(_ app: NationalApp, on db: any Database) async throws -> NationalCaller {
        guard let projectID = app.projectID, let project = try await ProjectModel.find(projectID, on: db) else {
            throw Refusal(code: .invalidParameters, message: "该 appid 没有对应的项目，请联系平台核对接入申请")
        }
        let enterpriseID = app.enterpriseID ?? project.contractorEnterpriseID
        let enterprise = try await EnterpriseModel.find(enterpriseID, on: db)
        let division = enterprise.flatMap { DivisionCode($0.divisionCode) }
        let account = AccountSnapshot(
            app: app, enterpriseID: enterpriseID, enterpriseName: enterprise?.name, enterpriseDivision: division)
        return NationalCaller(
            app: app, project: project, account: account, scope: .enterprise(enterpriseID, division: division),
            secret: app.secret, submitter: .app(app.snapshot))
    }

    /// The request's `projectCode`, which must be the app's project.
    func requireProject(_ data: [String: NationalJSON]) throws {
        let code = data.string("projectCode") ?? ""
        guard code == project.code else {
            throw Refusal(
                code: .invalidParameters,
                message: code.isEmpty
                    ? "缺少 projectCode" : "projectCode“\(code.prefix(40))”不是该 appid 对应的项目（应为 \(project.code)）")
        }
    }
}

extension AccountSnapshot {
    /// The identity a connected system acts under: the enterprise's, named by its appid.
    init(app: NationalApp, enterpriseID: UUID, enterpriseName: String?, enterpriseDivision: DivisionCode?) {
        id = app.credentialID
        username = "app:\(app.appID)"
        displayName = "接入系统 \(app.name)"
        role = .labourOfficer
        divisionCode = nil
        self.enterpriseID = enterpriseID
        self.enterpriseName = enterpriseName
        self.enterpriseDivision = enterpriseDivision
        workerID = nil
        mustChangePassword = false
        appID = app.appID
    }
}

extension NationalApp {
    /// The app as a connected system (the real-name verification's submitter).
    var snapshot: AppSnapshot {
        AppSnapshot(id: credentialID, appID: appID, name: name, enterpriseID: enterpriseID, divisionCode: nil)
    }
}
