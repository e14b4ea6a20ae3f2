import Foundation
import SiteRollCore
import SiteRollStore

/// 我的 on the phone (issue 14 item 3): the pages the bottom bar has no room for, each with what
/// waits there, and signing out.
extension HomeReads {
    struct MeEntry: Sendable {
        var label: String
        var href: String
        var hint: String
        var count: String
        var attention: Bool
        var hasCount: Bool

        init(label: String, href: String, hint: String, count: String = "", attention: Bool = false) {
            self.label = label
            self.href = href
            self.hint = hint
            self.count = count
            self.attention = attention
            hasCount = !count.isEmpty
        }
    }

    struct MeView: Sendable {
        var name: String
        var masked: String
        var code: String
        var entries: [MeEntry]
        var csrf: String
        var logoutPath: String
    }

    func me(_ caller: Caller) async throws -> MeView {
        guard case .worker(let workerID, _) = caller.scope,
            let worker = try await WorkerModel.find(workerID, on: database.database())
        else { throw AppError.notFound }
        let reminders = try await warnings.activeCount(in: caller.scope)
        let teams = try await projects.teams.teams(ofWorker: workerID)
        let teamCount = teams.led.count + teams.memberships.count
        var teamHint = teamCount == 0 ? "还没有加入班组" : "所在班组 \(teamCount) 个"
        if !teams.invitations.isEmpty { teamHint += "；有 \(teams.invitations.count) 个邀请等您答复" }
        return MeView(
            name: worker.name, masked: worker.idNumberMasked, code: worker.verificationCode ?? "",
            entries: [
                MeEntry(
                    label: "工资提醒", href: Paths.Mobile.warnings,
                    hint: reminders == 0 ? "没有需要注意的事" : "工资方面有需要注意的事", count: "\(reminders) 条",
                    attention: reminders > 0),
                MeEntry(
                    label: "我的档案", href: Paths.Mobile.records, hint: "参建项目、劳动合同、培训和进退场记录", count: "",
                    attention: false),
                MeEntry(
                    label: "我的班组", href: Paths.Mobile.teams, hint: teamHint,
                    count: teams.invitations.isEmpty ? "" : "\(teams.invitations.count) 个邀请",
                    attention: !teams.invitations.isEmpty),
                MeEntry(
                    label: "我的实名信息", href: "\(Paths.Mobile.home)/workers/\(workerID)", hint: "身份证、照片和实名核验码",
                    count: "", attention: false),
                MeEntry(
                    label: "修改密码", href: Paths.Mobile.password,
                    hint: caller.account.mustChangePassword ? "您正在使用初始密码，请尽快修改" : "定期修改更安全", count: "",
                    attention: caller.account.mustChangePassword),
            ], csrf: caller.csrf, logoutPath: Audience.mobile.basePath + "/logout")
    }
}
