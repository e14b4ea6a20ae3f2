import Foundation
import HTTPTypes
import Hummingbird
import SiteRollCore

/// Every console path, declared once: routes are registered with these and pages link with them.
enum Paths {
    enum Gov {
        static let home = "/gov"
        static let accounts = "/gov/accounts"
        static let enterprises = "/gov/enterprises"
        static let workers = "/gov/workers"
        static let projects = "/gov/projects"
        static let restrictions = "/gov/restrictions"
        static let audit = "/gov/audit"
        static let password = "/gov/password"
        static let warnings = "/gov/warnings"
        static let access = "/gov/access"
    }

    enum Corp {
        static let home = "/corp"
        static let accounts = "/corp/accounts"
        static let workers = "/corp/workers"
        static let projects = "/corp/projects"
        static let audit = "/corp/audit"
        static let password = "/corp/password"
        static let warnings = "/corp/warnings"
        static let access = "/corp/access"
    }

    enum Mobile {
        static let home = "/m"
        static let teams = "/m/teams"
        static let punch = "/m/punch"
        static let punches = "/m/punches"
        static let attendance = "/m/attendance"
        static let manual = "/m/attendance/manual"
        static let records = "/m/records"
        static let wages = "/m/wages"
        static let password = "/m/password"
        static let warnings = "/m/warnings"
        /// 我的: the pages the bottom bar has no room for.
        static let me = "/m/me"
    }

    static func relative(_ path: String, to audience: Audience) -> RouterPath {
        let trimmed = path.dropFirst(audience.basePath.count)
        return RouterPath(String(trimmed.hasPrefix("/") ? trimmed.dropFirst() : trimmed))
    }
}

/// The layout's navigation and header for each audience.
struct Navigation: Sendable {
    let divisions: DivisionCatalog

    func items(for audience: Audience, current: String) -> [NavItem] {
        if audience == .mobile { return mobileItems(current: current) }
        let entries: [(String, String)] =
            switch audience {
            case .gov:
                [
                    ("首页", Paths.Gov.home), ("项目监管", Paths.Gov.projects), ("工资预警", Paths.Gov.warnings),
                    ("实名工人", Paths.Gov.workers),
                    ("企业", Paths.Gov.enterprises),
                    ("限制名单", Paths.Gov.restrictions), ("系统接入", Paths.Gov.access), ("账号管理", Paths.Gov.accounts),
                    ("审计日志", Paths.Gov.audit), ("修改密码", Paths.Gov.password),
                ]
            case .corp:
                [
                    ("首页", Paths.Corp.home), ("项目管理", Paths.Corp.projects), ("工资预警", Paths.Corp.warnings),
                    ("工人实名", Paths.Corp.workers),
                    ("系统接入", Paths.Corp.access),
                    ("企业账号", Paths.Corp.accounts),
                    ("操作记录", Paths.Corp.audit),
                    ("修改密码", Paths.Corp.password),
                ]
            case .mobile: []
            }
        return entries.map { label, href in
            let active = href == current || (href != audience.basePath && current.hasPrefix(href + "/"))
            return NavItem(label: label, href: href, active: active)
        }
    }

    /// The phone's bottom bar (issue 14 item 3): five items that fit 360 px, each with an icon
    /// drawn as an SVG path (24 × 24, stroked); the rest (工资提醒, 我的档案, 我的班组, 修改密码, 退出)
    /// are on 我的, which stays marked on those pages.
    func mobileItems(current: String) -> [NavItem] {
        typealias M = Paths.Mobile
        let entries: [(label: String, href: String, icon: String, covers: [String])] = [
            ("首页", M.home, "M3 11.5 12 4l9 7.5M5.5 10v10h4.5v-6h4v6h4.5V10", []),
            (
                "打卡", M.punch,
                "M12 21s-6.5-6-6.5-11.5a6.5 6.5 0 0 1 13 0C18.5 15 12 21 12 21zM12 12a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z",
                [M.punches]
            ),
            ("考勤", M.attendance, "M4 6h16v14H4zM4 10.5h16M8.5 3.5v5M15.5 3.5v5M8 14h2M14 14h2M8 17h2", []),
            ("工资", M.wages, "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8.5 7 12 11.5 15.5 7M12 11.5V17M9 12h6M9 14.5h6", []),
            (
                "我的", M.me, "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4.5 20.5c0-4 3.4-6.5 7.5-6.5s7.5 2.5 7.5 6.5",
                [M.warnings, M.records, M.teams, M.password, M.home + "/workers"]
            ),
        ]
        return entries.map { entry in
            let paths = [entry.href] + entry.covers
            let active =
                entry.href == M.home
                ? current == M.home
                : paths.contains { current == $0 || current.hasPrefix($0 + "/") }
            return NavItem(label: entry.label, href: entry.href, active: active, icon: entry.icon)
        }
    }

    func reachName(of account: AccountSnapshot) -> String {
        switch account.role.kind {
        case .regulator: account.divisionCode.map { divisions.fullName(of: $0) } ?? ""
        case .enterprise: account.enterpriseName ?? ""
        case .worker: "本人"
        }
    }

    func layout(_ audience: Audience, title: String, identity: SessionIdentity?, current: String) -> Layout {
        let header = identity?.account.map {
            HeaderAccount(displayName: $0.displayName, roleName: $0.role.chineseName, reach: reachName(of: $0))
        }
        return Layout(
            audience: audience, title: title, account: header, csrfToken: identity?.csrfToken,
            nav: header == nil ? [] : items(for: audience, current: current),
            flash: identity?.account?.role.kind == audience.kind ? identity?.flash : nil)
    }

    func errorPage(_ error: AppError, audience: Audience, identity: SessionIdentity?, pages: PageRenderer) -> Response {
        struct ErrorModel {
            var code: String
            var message: String
            var back: String
        }
        let signedIn = identity?.account?.role.kind == audience.kind ? identity : nil
        let title = error.status == .notFound ? "页面不存在" : error.status == .forbidden ? "无权访问" : "出错了"
        return pages.html(
            "error", ErrorModel(code: error.code, message: error.message, back: audience.basePath),
            layout: layout(audience, title: title, identity: signedIn, current: ""), status: error.status)
    }
}
