import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The three home pages: who you are, what you reach, the figures of that reach, and the most
/// recent audit events within it (issue 2, item 6). One read (`HomeReads.home`), one template.
struct HomePages: Sendable {
    let reads: HomeReads
    let pages: PageRenderer
    let navigation: Navigation

    func addRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// The console's home page.
        group.get { request, context in
            let view = try await reads.home(context.caller)
            return pages.html(
                "home", view,
                layout: navigation.layout(
                    Context.audience, title: view.title, identity: context.identity, current: request.uri.path))
        }
    }
}

extension HomePages {
    /// 我的 on the phone: what the bottom bar has no room for.
    func addMobileRoutes(to group: RouterGroup<WorkerContext>) {
        group.get("me") { _, context in
            let view = try await reads.me(context.caller)
            return pages.html(
                "m-me", view,
                layout: navigation.layout(.mobile, title: "我的", identity: context.identity, current: Paths.Mobile.me))
        }
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
