import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// `Project.*` and `Corp.Upload` writes (b.5, b.6). In the national model's "一项目一密钥" mode
/// the app is the project: it exists before any call, registered by its general contractor, so
/// `Project.Add` explains that and `Project.Update`/`PartUpdate` change its details
/// (`ProjectService.updateDetails`). Enterprises are known to SiteRoll by their real-name
/// registration, which `Corp.Upload` confirms rather than replaces.
extension NationalWrites {
    func projectAdd(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        .failed(
            "本平台实行一项目一密钥：项目由总承包单位在企业端登记后取得 appid（即项目编码 \(caller.project.code)），无需再调用 Project.Add；更新项目信息请调用 Project.PartUpdate"
        )
    }

    func projectUpdate(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var input = NationalInput(data, secret: caller.secret)
        if let name = input.text("name"), name != caller.project.name {
            input.add("name 与登记的项目名称不一致：项目名称、区划和总承包单位以登记为准，请联系主管部门变更")
        }
        if let code = input.text("contractorCorpCode"), code.uppercased() != caller.project.contractorCreditCode {
            input.add("contractorCorpCode 与登记的总承包单位不一致")
        }
        let start = input.date("startDate", required: false)
        let end = input.date("completeDate", required: false)
        let invest = input.decimal("invest", required: false)
        let area = input.decimal("buildingArea", required: false)
        try input.throwIfAny()
        let changed = try await projects.projects.updateDetails(
            .init(
                status: input.text("prjStatus"), description: input.text("description"),
                address: input.text("address"), linkMan: input.text("linkMan"), linkPhone: input.text("linkPhone"),
                startDate: start?.description, completionDate: end?.description,
                approvalNumber: input.text("approvalNum"), approvalLevel: input.text("approvalLevelNum"),
                size: input.text("prjSize"), nature: input.text("propertyNum"), function: input.text("functionNum"),
                investTenThousandYuan: invest, buildingArea: area),
            project: caller.project.uuid, scope: caller.scope, by: caller.account)
        return .succeeded(Self.json(["updated": .array(changed.map { .string($0) })]))
    }

    /// `Corp.Upload`: succeeds for an enterprise registered on the platform (its verified record
    /// stands) or already a unit of the project; otherwise says how the enterprise gets there.
    func corpUpload(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var input = NationalInput(data, secret: caller.secret)
        let code = input.required("corpCode", max: 18)?.uppercased()
        let name = input.required("corpName")
        _ = input.required("areaCode", max: 6)
        _ = input.date("registerDate", required: true)
        _ = input.decrypted("legalManIDCardNumber", required: false)
        if let site = input.text("webSite"), URL(string: site)?.scheme?.hasPrefix("http") != true {
            input.add("webSite 应为以 http:// 或 https:// 开头的网址")
        }
        try input.throwIfAny()
        guard let code, let name else { return .failed("缺少 corpCode 或 corpName") }
        guard CreditCode.isValid(code) || OrganisationCode.isValid(code) else {
            return .failed("corpCode 统一社会信用代码（或组织机构代码）校验不通过")
        }
        let db = database.database()
        if let enterprise = try await EnterpriseModel.query(on: db).filter(\.$creditCode == code).first() {
            guard enterprise.name == name else {
                return .failed("corpName 与该企业在平台实名登记的名称“\(enterprise.name)”不一致")
            }
            return .succeeded(nil)
        }
        if try await ProjectUnitModel.query(on: db).filter(\.$projectID == caller.project.uuid)
            .filter(\.$creditCode == code).count() > 0
        {
            return .succeeded(nil)
        }
        return .failed(
            "该企业尚未在平台完成企业实名登记：作为本项目参建单位请调用 ProjectSubContractor.Add；企业账号请该企业在平台“企业实名登记”页面办理")
    }
}
