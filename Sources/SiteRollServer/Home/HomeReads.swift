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
    let workerWages: WorkerWageService

    /// One figure on the home page; `link` opens the rows behind it (issue 14 item 7).
    struct Figure: Sendable {
        var label: String
        var value: String
        var hint: String
        var link: String? = nil
        /// Asks for the worker's action (a punch not yet made, a wage line to confirm).
        var attention: Bool = false
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
        /// The worker's phone shows no audit table: its figures are the worker's day and pay.
        var showsEvents: Bool
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
                Figure(label: "辖区企业", value: "\(companies) 家", hint: "含下级区划", link: Paths.Gov.enterprises),
                Figure(label: "辖区账号", value: "\(people) 个", hint: "监管与企业账号", link: Paths.Gov.accounts),
            ]
            figures += try await workforceFigures(scope, base: caller.base)
            figures += try await securityAlerts(scope)
        case .enterprise:
            reachLabel = "所属企业"
            if let id = account.enterpriseID, let company = try await enterprises.find(id, in: scope) {
                reachHint = "统一社会信用代码 \(company.creditCode)"
                let place = DivisionCode(company.divisionCode).map { navigation.divisions.fullName(of: $0) } ?? ""
                figures = [
                    Figure(label: "注册地", value: place, hint: company.divisionCode),
                    Figure(
                        label: "企业账号", value: "\(try await accounts.list(in: scope).count) 个", hint: "管理员与劳资专管员",
                        link: Paths.Corp.accounts),
                ]
                figures += try await workforceFigures(scope, base: caller.base)
            }
        case .worker(let workerID, _):
            reachLabel = "身份证号"
            if let worker = try await WorkerModel.find(workerID, on: database.database()) {
                reachOverride = worker.idNumberMasked
                reachHint = "\(worker.name) · 已在平台登记"
                if let code = worker.verificationCode {
                    figures = try await workerFigures(workerID, code: code, scope: scope)
                    detailLink = "\(Paths.Mobile.home)/workers/\(workerID)"
                }
            }
        }
        let showsEvents = caller.audience != .mobile
        let events =
            showsEvents
            ? try await audit.search(in: scope, .init(limit: 10)).map { AuditRow($0, divisions: navigation.divisions) }
            : []
        return HomeView(
            account: AccountRow(account, navigation: navigation, base: caller.base), base: caller.base,
            reachLabel: reachLabel, reachName: reachOverride ?? (reachName.isEmpty ? "—" : reachName),
            reachHint: reachHint, figures: figures, mustChangePassword: account.mustChangePassword, events: events,
            hasEvents: !events.isEmpty, detailLink: detailLink, title: "首页",
            showsEvents: showsEvents)
    }

    /// The worker's day and pay, each one tap from its page (M3, M4): today's punches that count
    /// and what to do next, this month's days, the latest wage and the lines to confirm, reminders.
    private func workerFigures(_ workerID: UUID, code: String, scope: AccessScope) async throws -> [Figure] {
        let today = LocalDate.today(in: ChineseFormat.timeZone, now: ServerClock.now())
        let days = try await attendance.history(worker: workerID, days: today.day - 1)
        let todays = days.first { $0.0.date == today }
        let counted = todays?.1.filter(\.counts) ?? []
        let waiting = (todays?.1.count ?? 0) - counted.count
        let punchValue: String
        var punchHint: String
        if let last = counted.last {
            let direction = PunchDirection(rawValue: last.direction)
            punchValue = "\(direction == .exit ? "已离场" : "已进场") \(AttendanceService.clock(last.punchedAt))"
            punchHint = direction == .exit ? "今天的考勤已记录" : "下班离场时记得再打一次卡"
        } else {
            punchValue = "今天未打卡"
            punchHint = "到工地后点此打卡"
        }
        if waiting > 0 { punchHint += "；另有 \(waiting) 次打卡等企业核实" }
        let monthDays = days.filter { $0.0.manDays > 0 }
        let manDays = monthDays.reduce(0) { $0 + $1.0.manDays }
        let lines = try await workerWages.entries(of: workerID)
        let unanswered = lines.filter { $0.line.workerResponse == nil && $0.line.paidFen > 0 }
        var figures = [
            Figure(
                label: "今日打卡", value: punchValue, hint: punchHint, link: Paths.Mobile.punch, attention: counted.isEmpty),
            Figure(
                label: "本月出勤", value: "\(monthDays.count) 天",
                hint: "合计 \(AttendanceReads.manDays(manDays)) 个工日，点此看每天的记录", link: Paths.Mobile.attendance),
        ]
        if let latest = lines.first {
            figures.append(
                Figure(
                    label: "\(latest.line.payMonth) 工资", value: "实发 \(Money.yuan(latest.line.paidFen)) 元",
                    hint: unanswered.isEmpty
                        ? "应发 \(Money.yuan(latest.line.dueFen)) 元，点此看明细和算法" : "有 \(unanswered.count) 个月的工资等您确认",
                    link: Paths.Mobile.wages, attention: !unanswered.isEmpty))
        } else {
            figures.append(Figure(label: "我的工资", value: "暂无工资记录", hint: "企业发放工资后在这里查看", link: Paths.Mobile.wages))
        }
        let reminders = try await warnings.activeCount(in: scope)
        figures.append(
            Figure(
                label: "工资提醒", value: "\(reminders) 条", hint: reminders == 0 ? "没有需要注意的事" : "点此查看工资方面的提醒",
                link: Paths.Mobile.warnings, attention: reminders > 0))
        figures.append(Figure(label: "实名核验码", value: code, hint: "凭此码关联用工企业和项目"))
        return figures
    }

    /// Projects, workers on site and today's attendance within reach (G8/E8 figures).
    private func workforceFigures(_ scope: AccessScope, base: String) async throws -> [Figure] {
        let reached = try await projects.projects.list(in: scope, limit: 5000)
        let ids = reached.compactMap(\.id)
        let onSite =
            ids.isEmpty
            ? 0
            : try await ProjectWorkerModel.query(on: database.database()).filter(\.$projectID ~~ ids)
                .filter(\.$status == "active").count()
        let present = try await attendance.presentToday(projects: ids).values.reduce(0, +)
        let officers = try await projects.projects.projectsWithLabourOfficer(ids)
        let projectsPage = "\(base)/projects"
        var figures = [
            Figure(
                label: "项目", value: "\(reached.count) 个", hint: "其中 \(ids.count - officers.count) 个未任命劳资专管员",
                link: projectsPage),
            Figure(label: "在场工人", value: "\(onSite) 人", hint: "有效进场记录", link: projectsPage),
            Figure(label: "今日到岗", value: "\(present) 人", hint: "今天有有效打卡", link: projectsPage),
        ]
        figures.append(
            Figure(
                label: "工资预警", value: "\(try await warnings.activeCount(in: scope)) 条",
                hint: "未解除的工资支付预警，点此查看", link: "\(base)/warnings"))
        if case .enterprise = scope {
            let pending = try await attendance.pendingReviewCount(projects: ids)
            figures.append(
                Figure(
                    label: "待核实打卡", value: "\(pending) 条", hint: "在项目“考勤核查”处理", link: projectsPage,
                    attention: pending > 0))
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
                hint: "近 24 小时有账号连续登录失败、已被限制登录频率，点此查看", link: "\(Paths.Gov.audit)?action=login.throttled",
                attention: true)
        ]
    }
}
