import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The worker's phone pages for teams (M6) and own records (M5, G10), and the regulator's view of
/// a worker's employment history in its division.
struct WorkerProjectPages: Sendable {
    let services: ProjectServices
    let pages: PageRenderer
    let navigation: Navigation

    struct TeamCard {
        var id: String
        var sysNo: Int
        var name: String
        var leader: String
        var members: [Member]
        var isLeader: Bool
        var csrf: String
    }

    struct Member {
        var name: String
        var status: String
        var pending: Bool
    }

    struct TeamsModel {
        var led: [TeamCard]
        var memberships: [TeamCard]
        var invitations: [TeamCard]
        var hasLed: Bool
        var hasMemberships: Bool
        var hasInvitations: Bool
        var csrf: String
        var error: AppError?
        var verified: Bool
    }

    static let statusNames = ["invited": "待回复", "accepted": "已加入", "declined": "已拒绝", "left": "已退出"]

    func addRoutes(to group: RouterGroup<WorkerContext>) {
        group.get("teams") { request, context in try await teamsPage(context, path: request.uri.path) }
        /// Founds a team led by the signed-in worker.
        group.post("teams") { request, context in
            let form = try await FormFields.read(request)
            return try await change(context, path: request.uri.path) { worker in
                let team = try await services.teams.found(name: form.text("name"), by: worker, account: context.account)
                return "班组“\(team.name)”已创建，班组编号 \(team.sysNo)。把编号告诉用工企业，即可承接项目"
            }
        }
        group.post("teams/:team/invite") { request, context in
            let form = try await FormFields.read(request)
            guard let teamID = context.parameters.get("team", as: UUID.self) else { throw AppError.notFound }
            return try await change(context, path: request.uri.path) { worker in
                let invitee = try await services.teams.invite(
                    code: form.text("code"), to: teamID, by: worker, account: context.account)
                return "已邀请 \(invitee.name)，等待对方确认"
            }
        }
        group.post("teams/:team/accept") { request, context in
            guard let teamID = context.parameters.get("team", as: UUID.self) else { throw AppError.notFound }
            return try await change(context, path: request.uri.path) { worker in
                try await services.teams.respond(to: teamID, accept: true, by: worker, account: context.account)
                return "已加入班组"
            }
        }
        group.post("teams/:team/decline") { request, context in
            guard let teamID = context.parameters.get("team", as: UUID.self) else { throw AppError.notFound }
            return try await change(context, path: request.uri.path) { worker in
                try await services.teams.respond(to: teamID, accept: false, by: worker, account: context.account)
                return "已拒绝邀请"
            }
        }
        /// The worker's own records: projects, employers, teams, contracts, training, entries/exits.
        group.get("records") { request, context in
            let worker = try await services.directory.own(context.workerID)
            return try await recordsPage(
                worker, context: context, path: request.uri.path, division: nil)
        }
    }

    /// `/gov/workers/:id/history`: the employment history of a worker within the regulator's reach.
    func addRegulatorRoutes(to group: RouterGroup<GovContext>) {
        group.get("workers/:id/history") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self),
                let worker = try await services.directory.find(id, in: context.scope)
            else { throw AppError.notFound }
            return try await recordsPage(
                worker, context: context, path: request.uri.path, division: context.division)
        }
    }

    private func change(
        _ context: WorkerContext, path: String, _ action: (WorkerModel) async throws -> Flash
    ) async throws -> Response {
        let worker = try await services.directory.own(context.workerID)
        return try await PageOutcome.respond(to: Paths.Mobile.teams) {
            try await action(worker)
        } refused: { error in
            try await teamsPage(context, path: path, error: error)
        }
    }

    private func card(_ team: TeamModel, isLeader: Bool, csrf: String) async throws -> TeamCard {
        let members = try await services.teams.members(of: team.uuid).map { row, worker in
            Member(
                name: worker.name, status: Self.statusNames[row.status] ?? row.status, pending: row.status == "invited")
        }
        return TeamCard(
            id: team.uuid.uuidString, sysNo: team.sysNo, name: team.name, leader: team.leaderName ?? "",
            members: members,
            isLeader: isLeader, csrf: csrf)
    }

    func teamsPage(_ context: WorkerContext, path: String, error: AppError? = nil) async throws
        -> Response
    {
        let worker = try await services.directory.own(context.workerID)
        let teams = try await services.teams.teams(ofWorker: context.workerID)
        let csrf = context.identity.csrfToken
        var led: [TeamCard] = []
        for team in teams.led { led.append(try await card(team, isLeader: true, csrf: csrf)) }
        var memberships: [TeamCard] = []
        for (team, _) in teams.memberships { memberships.append(try await card(team, isLeader: false, csrf: csrf)) }
        var invitations: [TeamCard] = []
        for (team, _) in teams.invitations { invitations.append(try await card(team, isLeader: false, csrf: csrf)) }
        let model = TeamsModel(
            led: led, memberships: memberships, invitations: invitations, hasLed: !led.isEmpty,
            hasMemberships: !memberships.isEmpty, hasInvitations: !invitations.isEmpty, csrf: csrf, error: error,
            verified: worker.verificationCode != nil)
        return pages.html(
            "m-teams", model,
            layout: navigation.layout(.mobile, title: "我的班组", identity: context.identity, current: Paths.Mobile.teams),
            status: error?.status ?? .ok)
    }

    struct RecordsModel {
        var name: String
        var masked: String
        var code: String
        var gender: String
        var birthDate: String
        var nation: String
        var healthCertificate: Bool
        var current: [WorkforceRecords.Employment]
        var past: [WorkforceRecords.Employment]
        var hasCurrent: Bool
        var hasPast: Bool
        var employers: String
        var teams: String
        var contracts: [ContractView]
        var hasContracts: Bool
        var trainings: [WorkforceRecords.TrainingLine]
        var hasTrainings: Bool
        var movements: [Movement]
        var hasMovements: Bool
        var isMobile: Bool
        var scopeNote: String
    }

    struct ContractView {
        var projectName: String
        var unit: String
        var period: String
        var term: String
        var wage: String
        var signedOn: String
        var file: String
        var hasFile: Bool
    }

    struct Movement {
        var date: String
        var direction: String
        var isEntry: Bool
        var project: String
        var team: String
        var reason: String?
    }

    func recordsPage<Context: ConsoleContext>(
        _ worker: WorkerModel, context: Context, path: String, division: DivisionCode?
    ) async throws -> Response {
        let history = try await services.records.history(of: worker, within: division)
        let mobile = Context.audience == .mobile
        let model = RecordsModel(
            name: worker.name, masked: worker.idNumberMasked, code: worker.verificationCode ?? "",
            gender: worker.gender.flatMap { Gender(nationalCode: $0)?.chineseName } ?? "",
            birthDate: worker.birthDate ?? "",
            nation: worker.nation.flatMap { CodeTable.nations.name(of: $0) } ?? "",
            healthCertificate: worker.healthCertificateRequired ?? false,
            current: history.employments.filter(\.active), past: history.employments.filter { !$0.active },
            hasCurrent: history.employments.contains(where: \.active),
            hasPast: history.employments.contains { !$0.active },
            employers: history.employers.joined(separator: "、"), teams: history.teams.joined(separator: "、"),
            contracts: history.contracts.map {
                ContractView(
                    projectName: $0.projectName, unit: $0.unit, period: $0.period, term: $0.term, wage: $0.wage,
                    signedOn: $0.signedOn,
                    file: mobile
                        ? ""
                        : "\(context.caller.base)/projects/\($0.projectID.uuidString)/contracts/\($0.id.uuidString)/file",
                    hasFile: $0.hasFile && !mobile)
            }, hasContracts: !history.contracts.isEmpty, trainings: history.trainings,
            hasTrainings: !history.trainings.isEmpty,
            movements: history.movements.map {
                Movement(
                    date: $0.date, direction: $0.isEntry ? "进场" : "退场", isEntry: $0.isEntry, project: $0.subject,
                    team: $0.team, reason: $0.reason.isEmpty ? nil : $0.reason)
            }, hasMovements: !history.movements.isEmpty, isMobile: mobile,
            scopeNote: division.map { "仅显示 \(navigation.divisions.fullName(of: $0)) 范围内的项目记录。" } ?? "")
        return pages.html(
            "worker-records", model,
            layout: navigation.layout(
                Context.audience, title: mobile ? "我的档案" : "从业记录：\(worker.name)", identity: context.identity,
                current: mobile ? Paths.Mobile.records : path))
    }
}
