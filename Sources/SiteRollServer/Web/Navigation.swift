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
    }

    enum Corp {
        static let home = "/corp"
        static let accounts = "/corp/accounts"
        static let workers = "/corp/workers"
        static let projects = "/corp/projects"
        static let audit = "/corp/audit"
        static let password = "/corp/password"
        static let warnings = "/corp/warnings"
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
        let entries: [(String, String)] =
            switch audience {
            case .gov:
                [
                    ("首页", Paths.Gov.home), ("项目监管", Paths.Gov.projects), ("工资预警", Paths.Gov.warnings),
                    ("实名工人", Paths.Gov.workers),
                    ("企业", Paths.Gov.enterprises),
                    ("限制名单", Paths.Gov.restrictions), ("账号管理", Paths.Gov.accounts),
                    ("审计日志", Paths.Gov.audit), ("修改密码", Paths.Gov.password),
                ]
            case .corp:
                [
                    ("首页", Paths.Corp.home), ("项目管理", Paths.Corp.projects), ("工资预警", Paths.Corp.warnings),
                    ("工人实名", Paths.Corp.workers),
                    ("企业账号", Paths.Corp.accounts),
                    ("操作记录", Paths.Corp.audit),
                    ("修改密码", Paths.Corp.password),
                ]
            case .mobile:
                [
                    ("我的", Paths.Mobile.home), ("考勤打卡", Paths.Mobile.punch), ("我的考勤", Paths.Mobile.attendance),
                    ("我的工资", Paths.Mobile.wages), ("工资提醒", Paths.Mobile.warnings),
                    ("我的档案", Paths.Mobile.records), ("我的班组", Paths.Mobile.teams),
                    ("修改密码", Paths.Mobile.password),
                ]
            }
        return entries.map { label, href in
            let active = href == current || (href != audience.basePath && current.hasPrefix(href + "/"))
            return NavItem(label: label, href: href, active: active)
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
