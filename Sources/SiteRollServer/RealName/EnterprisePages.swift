import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// Regulators' list and fact sheet of the enterprises registered in their divisions.
struct EnterprisePages: Sendable {
    let enterprises: EnterpriseDirectory
    let accounts: AccountService
    let pages: PageRenderer
    let navigation: Navigation

    struct Row {
        var id: String
        var name: String
        var creditCode: String
        var division: String
        var status: String
        var code: String
        var suspended: Bool
        var suspendedReason: String
        var legalRep: String
        var registrationType: String
    }

    func addRoutes(to group: RouterGroup<GovContext>) {
        /// Suspends an enterprise within reach, with a reason.
        group.post("enterprises/:id/suspend") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
            let form = try await FormFields.read(request)
            try await enterprises.setSuspended(
                true, id: id, reason: form.text("reason"), by: context.account, division: context.division)
            return PageOutcome.redirect(
                to: "\(Paths.Gov.enterprises)/\(id)", "已暂停该企业，其账号暂时不能登录，理由已记入审计日志")
        }
        /// Lifts a suspension.
        group.post("enterprises/:id/reinstate") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
            try await enterprises.setSuspended(
                false, id: id, reason: "", by: context.account, division: context.division)
            return PageOutcome.redirect(to: "\(Paths.Gov.enterprises)/\(id)", "已恢复该企业，其账号可以正常登录")
        }
        /// Enterprises within the regulator's divisions.
        group.get("enterprises") { request, context in
            struct ListModel {
                var base: String
                var q: String
                var enterprises: [Row]
                var hasEnterprises: Bool
            }
            let q = RequestQuery(request).text("q", max: 60)
            let rows = try await enterprises.list(in: context.scope, search: q).map(row)
            return pages.html(
                "enterprises", ListModel(base: Paths.Gov.home, q: q, enterprises: rows, hasEnterprises: !rows.isEmpty),
                layout: navigation.layout(.gov, title: "企业", identity: context.identity, current: request.uri.path))
        }
        /// One enterprise within reach, with its accounts.
        group.get("enterprises/:id") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self),
                let enterprise = try await enterprises.find(id, in: context.scope)
            else { throw AppError.notFound }
            struct DetailModel {
                var enterprise: Row
                var accounts: [AccountRow]
                var csrf: String
                var qualifications: [String]
            }
            let staff = try await accounts.list(in: .enterprise(id, division: nil)).map {
                AccountRow($0, navigation: navigation, base: Paths.Gov.home)
            }
            return pages.html(
                "enterprise",
                DetailModel(
                    enterprise: row(enterprise), accounts: staff, csrf: context.identity.csrfToken,
                    qualifications: try await qualifications(of: id)),
                layout: navigation.layout(
                    .gov, title: enterprise.name, identity: context.identity, current: request.uri.path))
        }
    }

    private func qualifications(of id: UUID) async throws -> [String] {
        try await enterprises.qualifications(of: id)
            .map { "\($0.category) \($0.grade)（证书 \($0.certificateNumber)，有效期至 \($0.validUntil)）" }
    }

    private func row(_ enterprise: SiteRollStore.EnterpriseModel) -> Row {
        Row(
            id: enterprise.id?.uuidString ?? "", name: enterprise.name, creditCode: enterprise.creditCode,
            division: DivisionCode(enterprise.divisionCode).map { navigation.divisions.fullName(of: $0) }
                ?? enterprise.divisionCode,
            status: EnterpriseDirectory.statusName(enterprise.status), code: enterprise.verificationCode ?? "未核验",
            suspended: enterprise.status == "suspended", suspendedReason: enterprise.suspendedReason ?? "",
            legalRep: [enterprise.legalRepName, enterprise.legalRepIDMasked].compactMap { $0 }.joined(separator: " "),
            registrationType: enterprise.registrationType.flatMap { CodeTable.enterpriseRegistrationTypes.name(of: $0) }
                ?? "")
    }
}
