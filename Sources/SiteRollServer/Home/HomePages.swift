import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The three home pages: who you are, what you reach, the figures of that reach, and the most
/// recent audit events within it (issue 2, item 6).
struct HomePages: Sendable {
    let database: DatabaseService
    let pages: PageRenderer
    let navigation: Navigation
    let audit: AuditSearch
    let enterprises: EnterpriseDirectory
    let accounts: AccountService

    struct Figure {
        var label: String
        var value: String
        var hint: String
    }

    struct HomeModel {
        var account: AccountRow
        var base: String
        var reachLabel: String
        var reachName: String
        var reachHint: String
        var figures: [Figure]
        var mustChangePassword: Bool
        var events: [AuditRow]
        var hasEvents: Bool
        var detailLink: String?
    }

    func addRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// The console's home page.
        group.get { request, context in
            try await home(context: context, path: request.uri.path)
        }
    }

    private func home<Context: ConsoleContext>(context: Context, path: String) async throws -> Response {
        let account = context.account
        let scope = context.scope
        var figures: [Figure] = []
        let reachLabel: String
        let reachName = navigation.reachName(of: account)
        var reachHint = ""
        var reachOverride: String?
        var detailLink: String?
        switch scope {
        case .division(let division):
            reachLabel = "监管区划"
            let below = navigation.divisions.descendants(of: division).count - 1
            reachHint = "代码 \(division.rawValue) · 下辖 \(below) 个区划"
            let companies = try await enterprises.list(in: scope).count
            let people = try await accounts.list(in: scope).count
            figures = [
                Figure(label: "辖区企业", value: "\(companies) 家", hint: "含下级区划"),
                Figure(label: "辖区账号", value: "\(people) 个", hint: "监管与企业账号"),
            ]
        case .enterprise:
            reachLabel = "所属企业"
            if let id = account.enterpriseID, let company = try await enterprises.find(id, in: scope) {
                reachHint = "统一社会信用代码 \(company.creditCode)"
                let place = DivisionCode(company.divisionCode).map { navigation.divisions.fullName(of: $0) } ?? ""
                figures = [
                    Figure(label: "注册地", value: place, hint: company.divisionCode),
                    Figure(label: "企业账号", value: "\(try await accounts.list(in: scope).count) 个", hint: "管理员与劳资专管员"),
                ]
            }
        case .worker(let workerID, _):
            reachLabel = "身份证号"
            if let worker = try await WorkerModel.find(workerID, on: database.database()) {
                reachOverride = worker.idNumberMasked
                reachHint = "\(worker.name) · 已在平台登记"
                if let code = worker.verificationCode {
                    figures = [Figure(label: "实名核验码", value: code, hint: "凭此码关联用工企业和项目")]
                    detailLink = "\(Paths.Mobile.home)/workers/\(workerID)"
                }
            }
        }
        let events = try await audit.search(in: scope, .init(limit: 10)).map {
            AuditRow($0, divisions: navigation.divisions)
        }
        let model = HomeModel(
            account: AccountRow(account, navigation: navigation, base: Context.audience.basePath),
            base: Context.audience.basePath, reachLabel: reachLabel,
            reachName: reachOverride ?? (reachName.isEmpty ? "—" : reachName), reachHint: reachHint, figures: figures,
            mustChangePassword: account.mustChangePassword, events: events, hasEvents: !events.isEmpty,
            detailLink: detailLink)
        let title = Context.audience == .mobile ? "我的" : "首页"
        return pages.html(
            "home", model,
            layout: navigation.layout(Context.audience, title: title, identity: context.identity, current: path))
    }
}

/// An account as a table row or a fact sheet shows it.
struct AccountRow: Sendable {
    var id: String
    var username: String
    var displayName: String
    var roleName: String
    var belongsTo: String
    var status: String

    init(_ account: AccountSnapshot, navigation: Navigation, base: String) {
        id = account.id.uuidString
        username = account.username
        displayName = account.displayName
        roleName = account.role.chineseName
        belongsTo = navigation.reachName(of: account)
        status = account.mustChangePassword ? "正常（待修改初始密码）" : "正常"
    }
}
