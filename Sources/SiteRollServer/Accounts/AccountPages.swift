import Foundation
import Hummingbird
import SiteRollCore

/// Account management pages, one implementation for `/gov` and `/corp`: the context's scope
/// decides what is listed and what may be created (S1).
struct AccountPages: Sendable {
    let accounts: AccountService
    let audit: AuditSearch
    let pages: PageRenderer
    let navigation: Navigation

    typealias Option = SelectOption

    struct FormEcho {
        var username = ""
        var displayName = ""
    }

    struct DetailModel {
        var base: String
        var account: AccountRow
        var events: [AuditRow]
        var hasEvents: Bool
    }

    struct ListModel {
        var base: String
        var csrf: String
        var q: String
        var accounts: [AccountRow]
        var hasAccounts: Bool
        var canCreate: Bool
        var roles: [Option]
        /// Where a new account's reach lies: the own division or one below it (cascading).
        var divisions: DivisionPicker?
        var error: AppError?
        var form: FormEcho
    }

    func addRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// Lists the accounts within reach, with the creation form for administrators.
        group.get("accounts") { request, context in
            let q = RequestQuery(request).text("q", max: 60)
            return try await listPage(
                context: context, path: request.uri.path, q: q, error: nil, form: .init())
        }
        /// Creates an account within reach; on a refusal the form comes back with every reason.
        group.post("accounts") { request, context in
            let form = try await FormFields.read(request)
            let echo = FormEcho(username: form.text("username"), displayName: form.text("displayName"))
            guard let role = Role(rawValue: form.text("role")) else {
                return try await listPage(
                    context: context, path: request.uri.path, q: "",
                    error: AppError.badRequest("ROLE_INVALID", "请选择有效的角色"), form: echo)
            }
            return try await PageOutcome.respond(to: Context.audience.basePath + "/accounts") {
                let created = try await accounts.create(
                    NewAccountRequest(
                        username: echo.username, displayName: echo.displayName, role: role,
                        password: form["password"] ?? "", divisionCode: form.text("divisionCode")),
                    by: context.account)
                return "已创建账号 \(created.username)，首次登录时须修改初始密码。"
            } refused: { error in
                try await listPage(context: context, path: request.uri.path, q: "", error: error, form: echo)
            }
        }
        /// One account within reach; any other id reads as not found.
        group.get("accounts/:id") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self),
                let account = try await accounts.find(id, in: context.scope)
            else { throw AppError.notFound }
            let events = try await audit.search(in: context.scope, .init(entityID: id.uuidString, limit: 50))
                .map { AuditRow($0, divisions: navigation.divisions) }
            let base = Context.audience.basePath
            return pages.html(
                "account",
                DetailModel(
                    base: base, account: AccountRow(account, navigation: navigation, base: base), events: events,
                    hasEvents: !events.isEmpty),
                layout: navigation.layout(
                    Context.audience, title: "账号：\(account.username)", identity: context.identity,
                    current: request.uri.path))
        }
    }

    private func listPage<Context: ConsoleContext>(
        context: Context, path: String, q: String, error: AppError?, form: FormEcho
    ) async throws -> Response {
        let base = Context.audience.basePath
        let rows = try await accounts.list(in: context.scope, search: q).map {
            AccountRow($0, navigation: navigation, base: base)
        }
        let creatable = Role.allCases.filter { context.account.role.mayCreate($0) }
        var divisions: DivisionPicker?
        if case .division(let own) = context.scope, !creatable.isEmpty {
            divisions = DivisionPicker(
                name: "divisionCode", label: "所属区划", catalog: navigation.divisions, root: own,
                selected: own.rawValue,
                lead: [SelectOption(value: own.rawValue, label: "本级：\(navigation.divisions.fullName(of: own))")])
        }
        let model = ListModel(
            base: base, csrf: context.identity.csrfToken, q: q, accounts: rows, hasAccounts: !rows.isEmpty,
            canCreate: !creatable.isEmpty,
            roles: creatable.map { Option(value: $0.rawValue, label: $0.chineseName, selected: false) },
            divisions: divisions, error: error, form: form)
        return pages.html(
            "accounts", model,
            layout: navigation.layout(
                Context.audience, title: Context.audience == .gov ? "账号管理" : "企业账号", identity: context.identity,
                current: path),
            status: error?.status ?? .ok)
    }
}
