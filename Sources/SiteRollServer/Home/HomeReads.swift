import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The home page's data for every console: the caller's reach and its figures (G8, E8), and the
/// latest audit events within it.
struct HomeReads: Sendable {
    let database: DatabaseService
    let navigation: Navigation
    let audit: AuditSearch
    let enterprises: EnterpriseDirectory
    let accounts: AccountService
    let projects: ProjectServices
    let attendance: AttendanceService
    let warnings: WarningService

    struct Figure: Sendable {
        var label: String
        var value: String
        var hint: String
    }

    struct HomeView: Sendable {
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
        var title: String
    }

    func home(_ caller: Caller) async throws -> HomeView {
        let account = caller.account
        let scope = caller.scope
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
            figures += try await workforceFigures(scope)
            figures += try await securityAlerts(scope)
        case .enterprise:
            reachLabel = "所属企业"
            if let id = account.enterpriseID, let company = try await enterprises.find(id, in: scope) {
                reachHint = "统一社会信用代码 \(company.creditCode)"
                let place = DivisionCode(company.divisionCode).map { navigation.divisions.fullName(of: $0) } ?? ""
                figures = [
                    Figure(label: "注册地", value: place, hint: company.divisionCode),
                    Figure(label: "企业账号", value: "\(try await accounts.list(in: scope).count) 个", hint: "管理员与劳资专管员"),
                ]
                figures += try await workforceFigures(scope)
            }
        case .worker(let workerID, _):
            reachLabel = "身份证号"
            if let worker = try await WorkerModel.find(workerID, on: database.database()) {
                reachOverride = worker.idNumberMasked
                reachHint = "\(worker.name) · 已在平台登记"
                if let code = worker.verificationCode {
                    figures = [Figure(label: "实名核验码", value: code, hint: "凭此码关联用工企业和项目")]
                    let today = AttendanceService.localDate(ServerClock.now())
                    let punches = try await attendance.punches(worker: workerID, from: today, to: today)
                    figures.append(
                        Figure(
                            label: "今日打卡", value: "\(punches.count) 次",
                            hint: punches.first.map { "最近一次 \(AttendanceService.clock($0.punchedAt))" } ?? "在“考勤打卡”打卡"))
                    detailLink = "\(Paths.Mobile.home)/workers/\(workerID)"
                }
            }
        }
        let events = try await audit.search(in: scope, .init(limit: 10)).map {
            AuditRow($0, divisions: navigation.divisions)
        }
        return HomeView(
            account: AccountRow(account, navigation: navigation, base: caller.base), base: caller.base,
            reachLabel: reachLabel, reachName: reachOverride ?? (reachName.isEmpty ? "—" : reachName),
            reachHint: reachHint, figures: figures, mustChangePassword: account.mustChangePassword, events: events,
            hasEvents: !events.isEmpty, detailLink: detailLink, title: caller.audience == .mobile ? "我的" : "首页")
    }

    /// Projects, workers on site and today's attendance within reach (G8/E8 figures).
    private func workforceFigures(_ scope: AccessScope) async throws -> [Figure] {
        let reached = try await projects.projects.list(in: scope, limit: 5000)
        let ids = reached.compactMap(\.id)
        let onSite =
            ids.isEmpty
            ? 0
            : try await ProjectWorkerModel.query(on: database.database()).filter(\.$projectID ~~ ids)
                .filter(\.$status == "active").count()
        let present = try await attendance.presentToday(projects: ids).values.reduce(0, +)
        let officers = try await projects.projects.projectsWithLabourOfficer(ids)
        var figures = [
            Figure(label: "项目", value: "\(reached.count) 个", hint: "其中 \(ids.count - officers.count) 个未任命劳资专管员"),
            Figure(label: "在场工人", value: "\(onSite) 人", hint: "有效进场记录"),
            Figure(label: "今日到岗", value: "\(present) 人", hint: "今天有有效打卡"),
        ]
        figures.append(
            Figure(
                label: "工资预警", value: "\(try await warnings.activeCount(in: scope)) 条",
                hint: "未解除的工资支付预警，在“工资预警”查看"))
        if case .enterprise = scope {
            let pending = try await attendance.pendingReviewCount(projects: ids)
            figures.append(Figure(label: "待核实打卡", value: "\(pending) 条", hint: "在项目“考勤核查”处理"))
        }
        return figures
    }

    /// Accounts whose passwords someone kept trying in the last day (`login.throttled`, S1): the
    /// alert for the regulators who reach them. Shown only when there is one.
    private func securityAlerts(_ scope: AccessScope) async throws -> [Figure] {
        let since = ServerClock.now().addingTimeInterval(-24 * 3600)
        let alerts = try await audit.search(in: scope, .init(action: "login.throttled", from: since, limit: 500))
        guard !alerts.isEmpty else { return [] }
        return [
            Figure(
                label: "安全提醒", value: "\(alerts.count) 次",
                hint: "近 24 小时有账号连续登录失败、已被限制登录频率，在“审计日志”按“登录频率受限”查看")
        ]
    }
}
