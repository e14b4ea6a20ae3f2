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
    }

    func addRoutes(to group: RouterGroup<GovContext>) {
        /// Enterprises within the regulator's divisions.
        group.get("enterprises") { request, context in
            struct ListModel {
                var base: String
                var enterprises: [Row]
                var hasEnterprises: Bool
            }
            let rows = try await enterprises.list(in: context.scope).map(row)
            return pages.html(
                "enterprises", ListModel(base: Paths.Gov.home, enterprises: rows, hasEnterprises: !rows.isEmpty),
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
            }
            let staff = try await accounts.list(in: .enterprise(id, division: nil)).map {
                AccountRow($0, navigation: navigation, base: Paths.Gov.home)
            }
            return pages.html(
                "enterprise", DetailModel(enterprise: row(enterprise), accounts: staff),
                layout: navigation.layout(
                    .gov, title: enterprise.name, identity: context.identity, current: request.uri.path))
        }
    }

    private func row(_ enterprise: SiteRollStore.EnterpriseModel) -> Row {
        Row(
            id: enterprise.id?.uuidString ?? "", name: enterprise.name, creditCode: enterprise.creditCode,
            division: DivisionCode(enterprise.divisionCode).map { navigation.divisions.fullName(of: $0) }
                ?? enterprise.divisionCode,
            status: EnterpriseDirectory.statusName(enterprise.status))
    }
}
