import Foundation
import HTTPTypes
import Hummingbird
import SiteRollCore
import SiteRollStore

/// `/corp/register`: an enterprise reports its data and receives its verification code and an
/// active administrator at once (E1, G1).
struct EnterpriseRegistrationPages: Sendable {
    let verification: EnterpriseVerificationService
    let pages: PageRenderer
    let navigation: Navigation
    let secureCookies: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        /// The registration form.
        router.get("corp/register") { request, _ in
            let (csrf, cookie) = ConsoleSessionMiddleware.formToken(for: request, secure: secureCookies)
            var response = page(csrf: csrf, form: nil, outcome: nil)
            response.headers[.setCookie] = cookie
            return response
        }
        /// Verifies the enterprise.
        router.post("corp/register") { request, _ in
            let form = try await FormFields.read(request)
            let outcome = try await verification.submit(
                Self.submission(form), channel: "corp",
                actor: AuditActor(id: "enterprise-registration", name: "企业自助登记", role: "enterprise"))
            guard outcome.status == .passed else {
                return page(csrf: form.text("_csrf"), form: form, outcome: outcome, status: .unprocessableContent)
            }
            let links = [WorkerRegistrationPages.ResultModel.Link(label: "登录企业实名制管理系统", href: Audience.corp.loginPath)]
            return pages.html(
                "verification-result",
                WorkerRegistrationPages.ResultModel(
                    outcome, links: links, followUp: WorkerRegistrationPages.ResultModel.enterpriseFollowUp),
                layout: navigation.layout(.corp, title: "企业实名核验结果", identity: nil, current: ""))
        }
    }

    static func submission(_ form: FormFields) -> EnterpriseSubmission {
        EnterpriseSubmission(
            creditCode: form.text("creditCode"), name: form.text("name"),
            registrationType: form.text("registrationType"),
            divisionCode: form.text("divisionCode"), address: form.text("address"),
            legalRepName: form.text("legalRepName"),
            legalRepIDNumber: form.text("legalRepIDNumber"), contactName: form.text("contactName"),
            contactPhone: form.text("contactPhone"),
            qualifications: [
                .init(
                    category: form.text("qualificationCategory"), grade: form.text("qualificationGrade"),
                    certificateNumber: form.text("qualificationNumber"),
                    validUntil: form.text("qualificationValidUntil"))
            ], adminUsername: form.text("adminUsername"), adminDisplayName: form.text("adminDisplayName"),
            adminPassword: form["adminPassword"] ?? "")
    }

    private func page(csrf: String, form: FormFields?, outcome: VerificationOutcome?, status: HTTPResponse.Status = .ok)
        -> Response
    {
        func value(_ name: String) -> String { form?.text(name) ?? "" }
        typealias Field = WorkerForm.Field
        func text(_ name: String, _ label: String, _ placeholder: String = "", type: String = "text") -> Field {
            Field(
                index: 0, name: name, label: label, type: type, value: type == "password" ? "" : value(name),
                placeholder: placeholder)
        }
        let divisions = navigation.divisions.divisions.map {
            WorkerForm.Option(
                value: $0.code.rawValue, label: "\($0.code.rawValue) \(navigation.divisions.fullName(of: $0.code))",
                selected: value("divisionCode") == $0.code.rawValue)
        }
        let types = CodeTable.enterpriseRegistrationTypes.entries.map {
            WorkerForm.Option(
                value: $0.code, label: "\($0.code) \($0.name)", selected: value("registrationType") == $0.code)
        }
        let fields: [Field] = [
            text("creditCode", "统一社会信用代码", "18 位"), text("name", "企业名称", "与营业执照一致"),
            Field(index: 0, name: "registrationType", label: "登记注册类型", options: types, isSelect: true, isInput: false),
            Field(index: 0, name: "divisionCode", label: "注册地", options: divisions, isSelect: true, isInput: false),
            text("address", "注册地址"), text("legalRepName", "法定代表人"), text("legalRepIDNumber", "法定代表人身份证号"),
            text("contactName", "联系人"), text("contactPhone", "联系电话", "手机号码或带区号的固定电话", type: "tel"),
            text("qualificationCategory", "资质类别", "例如 建筑工程施工总承包"), text("qualificationGrade", "资质等级", "例如 二级"),
            Field(index: 0, name: "qualificationNumber", label: "资质证书编号", value: value("qualificationNumber")),
            text("qualificationValidUntil", "资质有效期至", type: "date"),
            text("adminUsername", "管理员用户名", "3～32 位字母或数字"), text("adminDisplayName", "管理员姓名"),
            text("adminPassword", "管理员密码", "至少 8 位，含字母和数字", type: "password"),
        ]
        let model = WorkerForm(
            action: "/corp/register", csrf: csrf, submitLabel: "提交企业实名核验", fields: fields, outcome: outcome)
        return pages.html(
            "worker-form", model, layout: navigation.layout(.corp, title: "企业实名登记", identity: nil, current: ""),
            status: status)
    }
}
