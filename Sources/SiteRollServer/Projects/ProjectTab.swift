import Foundation
import Hummingbird

/// A project page, declared once: its path below `/{gov,corp}/projects/:id`, its tab label, and
/// who sees the tab. Route registration, the tab bar and links all take the path from here.
enum ProjectTab: String, CaseIterable, Sendable {
    case overview, units, managers, teams, workers, contracts, trainings, ledger, attendance, review
    case payrolls, wages, account, board

    /// Below the project's own path ("" for the overview).
    var path: String {
        switch self {
        case .overview: ""
        case .review: "/attendance/review"
        case .account: "/wages/account"
        default: "/" + rawValue
        }
    }

    var label: String {
        switch self {
        case .overview: "概况"
        case .units: "参建单位"
        case .managers: "管理人员"
        case .teams: "班组"
        case .workers: "工人"
        case .contracts: "劳动合同"
        case .trainings: "培训"
        case .ledger: "进退场台账"
        case .attendance: "考勤"
        case .review: "考勤核查"
        case .payrolls: "工资"
        case .wages: "工资专户"
        case .account: "专户收支"
        case .board: "维权告示牌"
        }
    }

    /// Whether the tab bar shows this tab to `standing` (the page itself checks reach again).
    func isShown(to standing: ProjectReach.Standing) -> Bool {
        switch self {
        case .review: standing.canChange
        case .account: standing.seesProjectAccount
        default: true
        }
    }

    /// The route pattern below the audience, for `group.get(…)`: `projects/:id/units`.
    var route: RouterPath { ProjectPath.route(path) }
}

/// Paths of one project, for one console: `/corp/projects/<id>` and what lies below it.
struct ProjectPath: Sendable {
    let audience: Audience
    let project: UUID

    var root: String { "\(audience.basePath)/projects/\(project.uuidString)" }

    func tab(_ tab: ProjectTab) -> String { root + tab.path }

    /// A path below the project that is not a tab (`/payrolls/<id>`, `/contracts/<id>/file`).
    func below(_ rest: String) -> String { root + rest }

    /// The route pattern below the audience for a path below a project: `projects/:id` + `rest`.
    static func route(_ rest: String) -> RouterPath { RouterPath("projects/:id" + rest) }
}
