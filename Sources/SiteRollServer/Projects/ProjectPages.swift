import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The project console (G2 for regulators, read-only; E2 for enterprises): list, registration,
/// and one page per part of a project — overview with geofence, units, managers, teams, workers,
/// contracts, training, ledgers, wage account and the rights board.
struct ProjectPages: Sendable {
    let services: ProjectServices
    let pages: PageRenderer
    let navigation: Navigation

    // MARK: View models

    struct Tab {
        var label: String
        var href: String
        var active: Bool
    }

    /// What every project page shows above its own content.
    struct Head {
        var id: String
        var name: String
        var code: String
        var status: String
        var division: String
        var contractor: String
        var tabs: [Tab]
        var canEdit: Bool
        var isContractor: Bool
        var csrf: String
        var base: String
        var error: AppError?
        var notice: String?
        var noLabourOfficer: Bool
    }

    struct Row {
        var id: String
        var href: String
        var name: String
        var code: String
        var category: String
        var status: String
        var division: String
        var contractor: String
        var workersOnSite: Int
        var noLabourOfficer: Bool
        var noFence: Bool
        var noWageAccount: Bool
    }

    struct ListModel {
        var q: String
        var rows: [Row]
        var hasRows: Bool
        var canRegister: Bool
        var base: String
    }

    static let tabs: [(String, String)] = [
        ("概况", ""), ("参建单位", "/units"), ("管理人员", "/managers"), ("班组", "/teams"), ("工人", "/workers"),
        ("劳动合同", "/contracts"), ("培训", "/trainings"), ("进退场台账", "/ledger"), ("考勤", "/attendance"), ("工资", "/payrolls"),
        ("工资专户", "/wages"), ("专户收支", "/wages/account"), ("维权告示牌", "/board"),
    ]

    func head<Context: ConsoleContext>(
        _ project: ProjectModel, standing: ProjectReach.Standing, context: Context, base: String, tab: String,
        error: AppError? = nil, notice: String? = nil
    ) async throws -> Head {
        let root = "\(base)/projects/\(project.uuid.uuidString)"
        let hasOfficer = try await services.projects.projectsWithLabourOfficer([project.uuid]).contains(project.uuid)
        return Head(
            id: project.uuid.uuidString, name: project.name, code: project.code,
            status: CodeTable.projectStatuses.name(of: project.status) ?? project.status,
            division: DivisionCode(project.divisionCode).map { navigation.divisions.fullName(of: $0) } ?? "",
            contractor: project.contractorName,
            tabs: Self.tabs.flatMap { entry -> [(String, String)] in
                if entry.1 == "/wages/account", !standing.seesProjectAccount { return [] }
                return entry.1 == "/attendance" && standing.canChange
                    ? [entry, ("考勤核查", "/attendance/review")] : [entry]
            }.map { Tab(label: $0.0, href: root + $0.1, active: $0.1 == tab) },
            canEdit: standing.canChange,
            isContractor: standing.isContractor, csrf: context.identity.csrfToken, base: root, error: error,
            notice: notice, noLabourOfficer: !hasOfficer)
    }

    func render<Context: ConsoleContext>(
        _ template: String, _ model: Any, title: String, context: Context, path: String,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.html(
            template, model,
            layout: navigation.layout(Context.audience, title: title, identity: context.identity, current: path),
            status: status)
    }

    func load<Context: ConsoleContext>(_ context: Context) async throws -> (ProjectModel, ProjectReach.Standing) {
        guard let id = context.parameters.get("id", as: UUID.self),
            let found = try await services.reach.project(id, in: context.scope)
        else { throw AppError.notFound }
        return found
    }

    // MARK: Routes

    /// Read routes for every console that reaches projects (regulators and enterprises).
    func addReadRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>, base: String) {
        /// Projects within reach.
        group.get("projects") { request, context in
            let q = RequestQuery(request).text("q", max: 40)
            let projects = try await services.projects.list(in: context.scope, search: q)
            let ids = projects.compactMap(\.id)
            let officers = try await services.projects.projectsWithLabourOfficer(ids)
            let onSite =
                ids.isEmpty
                ? []
                : try await ProjectWorkerModel.query(on: services.database.database()).filter(\.$projectID ~~ ids)
                    .filter(\.$status == "active").all(\.$projectID)
            let counts = Dictionary(grouping: onSite, by: { $0 }).mapValues(\.count)
            let accounts =
                ids.isEmpty
                ? []
                : Set(
                    try await WageAccountModel.query(on: services.database.database()).filter(\.$projectID ~~ ids)
                        .all(\.$projectID))
            let rows = projects.map { project in
                Row(
                    id: project.uuid.uuidString, href: "\(base)/projects/\(project.uuid.uuidString)",
                    name: project.name,
                    code: project.code, category: CodeTable.projectCategories.name(of: project.category) ?? "",
                    status: CodeTable.projectStatuses.name(of: project.status) ?? "",
                    division: DivisionCode(project.divisionCode).map { navigation.divisions.fullName(of: $0) } ?? "",
                    contractor: project.contractorName, workersOnSite: counts[project.uuid] ?? 0,
                    noLabourOfficer: !officers.contains(project.uuid), noFence: project.geofence == nil,
                    noWageAccount: !accounts.contains(project.uuid))
            }
            return render(
                "projects",
                ListModel(q: q, rows: rows, hasRows: !rows.isEmpty, canRegister: Context.audience == .corp, base: base),
                title: "项目", context: context, path: request.uri.path)
        }
        group.get("projects/:id") { request, context in
            let registered = RequestQuery(request).has("registered")
            return try await overview(
                context, path: request.uri.path, base: base,
                notice: registered ? "项目已登记。请继续登记参建单位、管理人员和班组。" : nil)
        }
        group.get("projects/:id/units") { request, context in
            try await units(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/managers") { request, context in
            try await managers(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/teams") { request, context in
            try await teams(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/workers") { request, context in
            try await workers(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/contracts") { request, context in
            try await contracts(context, path: request.uri.path, base: base)
        }
        /// The contract scan, opened within reach and audited.
        group.get("projects/:id/contracts/:contract/file") { request, context in
            guard let projectID = context.parameters.get("id", as: UUID.self),
                let contractID = context.parameters.get("contract", as: UUID.self)
            else { throw AppError.notFound }
            let file = try await services.workforce.contractFile(
                contractID, project: projectID, scope: context.scope, by: context.account)
            return Response(
                status: .ok,
                headers: [
                    .contentType: file.type, .cacheControl: "no-store",
                    .contentDisposition:
                        "inline; filename=\"contract\(file.type == "application/pdf" ? ".pdf" : file.type == "image/png" ? ".png" : ".jpg")\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        group.get("projects/:id/trainings") { request, context in
            try await trainings(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/ledger") { request, context in
            try await ledger(request, context, base: base)
        }
        group.get("projects/:id/wages") { request, context in
            try await wages(context, path: request.uri.path, base: base)
        }
        group.get("projects/:id/board") { request, context in
            try await board(context, path: request.uri.path, base: base)
        }
    }

    // MARK: Overview

    struct Fact {
        var label: String
        var value: String
    }

    struct OverviewModel {
        var head: Head
        var facts: [Fact]
        var fenceSVG: String
        var fenceText: String
        var hasFence: Bool
        var onSite: Int
        var teams: Int
        var units: Int
    }

    func overview<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil,
        fenceInput: String? = nil
    ) async throws -> Response {
        let (project, standing) = try await load(context)
        let fence = project.geofence.flatMap { try? Geofence.parse($0) }
        let name = { (table: CodeTable, code: String?) in code.flatMap { table.name(of: $0) } ?? "" }
        let facts: [Fact] = [
            Fact(label: "项目编码", value: project.code), Fact(label: "项目名称", value: project.name),
            Fact(label: "项目分类", value: name(.projectCategories, project.category)),
            Fact(label: "项目状态", value: name(.projectStatuses, project.status)),
            Fact(
                label: "所在区划",
                value: DivisionCode(project.divisionCode).map { navigation.divisions.fullName(of: $0) } ?? ""),
            Fact(label: "项目地址", value: project.address ?? ""),
            Fact(
                label: "建设单位",
                value: [project.builderName, project.builderCreditCode].compactMap { $0 }.joined(separator: " ")),
            Fact(label: "施工总承包单位", value: "\(project.contractorName) \(project.contractorCreditCode)"),
            Fact(label: "施工许可证号", value: project.permitNumber ?? ""),
            Fact(label: "总投资", value: project.investFen.map { "\(Money.yuan($0 / 10_000)) 万元" } ?? ""),
            Fact(label: "建筑面积", value: project.buildingArea.map { String(format: "%.2f 平方米", $0) } ?? ""),
            Fact(label: "开工 / 竣工日期", value: "\(project.startDate ?? "—") / \(project.completionDate ?? "—")"),
            Fact(label: "施工合同签订日期", value: project.contractSignedOn ?? ""),
            Fact(
                label: "立项文号 / 级别",
                value: "\(project.approvalNumber ?? "—") / \(name(.approvalLevels, project.approvalLevel))"),
            Fact(
                label: "建设规模 / 性质 / 用途",
                value: [
                    name(.projectSizes, project.size), name(.constructionNatures, project.nature),
                    name(.projectFunctions, project.function),
                ].filter { !$0.isEmpty }.joined(separator: " / ")),
            Fact(label: "联系人", value: "\(project.linkMan ?? "") \(project.linkPhone ?? "")"),
            Fact(label: "项目简介", value: project.description ?? ""),
        ].filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        let db = services.database.database()
        let onSite = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == project.uuid)
            .filter(\.$status == "active").count()
        let teams = try await TeamModel.query(on: db).filter(\.$projectID == project.uuid).filter(\.$exitDate == nil)
            .count()
        let units = try await ProjectUnitModel.query(on: db).filter(\.$projectID == project.uuid)
            .filter(\.$exitDate == nil).count()
        let model = OverviewModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "", error: error, notice: notice),
            facts: facts, fenceSVG: fence?.svg(width: 480, height: 320) ?? "",
            fenceText: fenceInput ?? fence?.text ?? "",
            hasFence: fence != nil, onSite: onSite, teams: teams, units: units)
        return render("project", model, title: project.name, context: context, path: path, status: error?.status ?? .ok)
    }

    // MARK: Units

    struct UnitRow {
        var id: String
        var name: String
        var creditCode: String
        var type: String
        var entryDate: String
        var exitDate: String
        var pm: String
        var active: Bool
        var canExit: Bool
        var registered: Bool
    }

    struct UnitsModel {
        var head: Head
        var rows: [UnitRow]
        var types: [SelectOption]
        var today: String
        var policyNote: String
    }

    func units<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    )
        async throws -> Response
    {
        let (project, standing) = try await load(context)
        let rows = try await services.projects.units(of: project.uuid).map { unit in
            UnitRow(
                id: unit.uuid.uuidString, name: unit.name, creditCode: unit.creditCode,
                type: CodeTable.participationTypes.name(of: unit.participationType) ?? unit.participationType,
                entryDate: unit.entryDate ?? "", exitDate: unit.exitDate ?? "",
                pm: [unit.pmName, unit.pmPhone].compactMap { $0 }.joined(separator: " "), active: unit.exitDate == nil,
                canExit: standing.isContractor && unit.exitDate == nil && unit.participationType != "009",
                registered: unit.enterpriseID != nil)
        }
        let policy =
            services.unitExitPolicy == .closeEntries
            ? "单位退场时，其在场班组和工人将同日一并退场。" : "单位还有在场工人时不能退场，须先办理工人退场。"
        let model = UnitsModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "/units", error: error, notice: notice),
            rows: rows,
            types: CodeTable.participationTypes.entries.filter { $0.code != "009" }.map {
                SelectOption(value: $0.code, label: $0.name)
            }, today: ProjectService.today().description, policyNote: policy)
        return render(
            "project-units", model, title: "\(project.name)：参建单位", context: context, path: path,
            status: error?.status ?? .ok)
    }

    // MARK: Managers

    struct ManagerRow {
        var name: String
        var code: String
        var role: String
        var unit: String
        var phone: String
        var period: String
        var current: Bool
    }

    struct ManagersModel {
        var head: Head
        var rows: [ManagerRow]
        var hasRows: Bool
        var roles: [SelectOption]
        var units: [SelectOption]
        var today: String
    }

    func managers<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    )
        async throws -> Response
    {
        let (project, standing) = try await load(context)
        let db = services.database.database()
        let appointments = try await services.projects.managers(of: project.uuid)
        let people = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(\.$id ~~ appointments.map(\.workerID))
                .all()
                .map { ($0.uuid, $0) })
        let units = try await services.projects.units(of: project.uuid)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let today = ProjectService.today().description
        let rows = appointments.map { appointment in
            ManagerRow(
                name: people[appointment.workerID]?.name ?? "",
                code: people[appointment.workerID]?.verificationCode ?? "",
                role: CodeTable.managerRoles.name(of: appointment.role) ?? appointment.role,
                unit: unitNames[appointment.unitID] ?? "", phone: appointment.phone ?? "",
                period: "\(appointment.startsOn) 至 \(appointment.endsOn ?? "今")",
                current: appointment.startsOn <= today && (appointment.endsOn ?? "9999") >= today)
        }
        let model = ManagersModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "/managers", error: error,
                notice: notice),
            rows: rows, hasRows: !rows.isEmpty,
            roles: CodeTable.managerRoles.entries.map { SelectOption(value: $0.code, label: $0.name) },
            units: units.filter { $0.exitDate == nil && standing.manages(unit: $0.uuid) }.map {
                SelectOption(value: $0.uuid.uuidString, label: $0.name)
            }, today: today)
        return render(
            "project-managers", model, title: "\(project.name)：管理人员", context: context, path: path,
            status: error?.status ?? .ok)
    }

    // MARK: Teams

    struct TeamRow {
        var id: String
        var sysNo: Int
        var name: String
        var unit: String
        var leader: String
        var origin: String
        var entryDate: String
        var exitDate: String
        var onSite: Int
        var canExit: Bool
        var members: String
    }

    struct TeamsModel {
        var head: Head
        var rows: [TeamRow]
        var hasRows: Bool
        var units: [SelectOption]
        var hasUnits: Bool
        var today: String
    }

    func teams<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    )
        async throws -> Response
    {
        let (project, standing) = try await load(context)
        let db = services.database.database()
        let teams = try await services.teams.teams(of: project.uuid)
        let units = try await services.projects.units(of: project.uuid)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let active = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == project.uuid)
            .filter(\.$status == "active").all(\.$teamID)
        let counts = Dictionary(grouping: active, by: { $0 }).mapValues(\.count)
        var rows: [TeamRow] = []
        for team in teams {
            var members = ""
            if let source = team.sourceTeamID {
                let accepted = try await services.teams.members(of: source).filter { $0.0.status == "accepted" }
                members = accepted.map(\.1.name).joined(separator: "、")
            }
            rows.append(
                TeamRow(
                    id: team.uuid.uuidString, sysNo: team.sysNo, name: team.name,
                    unit: team.unitID.flatMap { unitNames[$0] } ?? "",
                    leader: [team.leaderName, team.leaderPhone].compactMap { $0 }.joined(separator: " "),
                    origin: team.origin == "engaged" ? "工人自建班组" : "单位组建", entryDate: team.entryDate ?? "",
                    exitDate: team.exitDate ?? "", onSite: counts[team.uuid] ?? 0,
                    canExit: team.exitDate == nil && team.unitID.map { standing.manages(unit: $0) } == true,
                    members: members))
        }
        let managed = units.filter { $0.exitDate == nil && standing.manages(unit: $0.uuid) }
        let model = TeamsModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "/teams", error: error, notice: notice),
            rows: rows, hasRows: !rows.isEmpty,
            units: managed.map { SelectOption(value: $0.uuid.uuidString, label: $0.name) },
            hasUnits: !managed.isEmpty, today: ProjectService.today().description)
        return render(
            "project-teams", model, title: "\(project.name)：班组", context: context, path: path,
            status: error?.status ?? .ok)
    }

    // MARK: Workers

    struct WorkerRow {
        var id: String
        var workerID: String
        var name: String
        var masked: String
        var team: String
        var unit: String
        var workType: String
        var role: String
        var leader: Bool
        var entryDate: String
        var exitDate: String
        var active: Bool
        var canExit: Bool
        var detail: String
    }

    struct WorkersModel {
        var head: Head
        var active: [WorkerRow]
        var exited: [WorkerRow]
        var hasActive: Bool
        var hasExited: Bool
        var teams: [SelectOption]
        var hasTeams: Bool
        var units: [SelectOption]
        var workTypes: [SelectOption]
        var roles: [SelectOption]
        var today: String
        var report: ImportReportModel?
    }

    struct ImportReportModel {
        var kind: String
        var accepted: Int
        var refused: Int
        var rows: [RosterImport.RowResult]
    }

    func workers<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil,
        report: RosterImport.Report? = nil
    ) async throws -> Response {
        let (project, standing) = try await load(context)
        let db = services.database.database()
        let entries = try await services.workforce.workers(of: project.uuid)
        let people = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(
                \.$id ~~ Array(Set(entries.map(\.workerID)))
            )
            .all().map { ($0.uuid, $0) })
        let teams = try await services.teams.teams(of: project.uuid)
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        let units = try await services.projects.units(of: project.uuid)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let rows = entries.map { entry in
            WorkerRow(
                id: entry.uuid.uuidString, workerID: entry.workerID.uuidString,
                name: people[entry.workerID]?.name ?? "",
                masked: people[entry.workerID]?.idNumberMasked ?? "", team: teamNames[entry.teamID] ?? "",
                unit: unitNames[entry.unitID] ?? "",
                workType: CodeTable.workTypes.name(of: entry.workType) ?? entry.workType,
                role: CodeTable.workRoles.name(of: entry.workRole) ?? "", leader: entry.isTeamLeader,
                entryDate: entry.entryDate, exitDate: entry.exitDate ?? "", active: entry.isActive,
                canExit: entry.isActive && standing.manages(unit: entry.unitID),
                detail: "\(Context.audience.basePath)/workers/\(entry.workerID.uuidString)")
        }
        let openTeams = teams.filter { $0.exitDate == nil && $0.unitID.map { standing.manages(unit: $0) } == true }
        let model = WorkersModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "/workers", error: error, notice: notice
            ),
            active: rows.filter(\.active), exited: rows.filter { !$0.active },
            hasActive: rows.contains(where: \.active),
            hasExited: rows.contains { !$0.active },
            teams: openTeams.map {
                SelectOption(
                    value: $0.uuid.uuidString, label: "\($0.name)（\($0.unitID.flatMap { unitNames[$0] } ?? "")）")
            },
            hasTeams: !openTeams.isEmpty,
            units: units.filter { $0.exitDate == nil && standing.manages(unit: $0.uuid) }.map {
                SelectOption(value: $0.uuid.uuidString, label: $0.name)
            },
            workTypes: CodeTable.workTypes.entries.map { SelectOption(value: $0.code, label: "\($0.code) \($0.name)") },
            roles: CodeTable.workRoles.entries.map {
                SelectOption(value: $0.code, label: $0.name, selected: $0.code == "20")
            },
            today: ProjectService.today().description,
            report: report.map {
                ImportReportModel(kind: $0.kind, accepted: $0.accepted, refused: $0.refused, rows: $0.results)
            })
        return render(
            "project-workers", model, title: "\(project.name)：工人", context: context, path: path,
            status: error?.status ?? .ok)
    }

    // MARK: Contracts

    struct ContractRow {
        var id: String
        var worker: String
        var masked: String
        var unit: String
        var period: String
        var term: String
        var wage: String
        var signedOn: String
        var file: String
        var hasFile: Bool
    }

    struct ContractsModel {
        var head: Head
        var rows: [ContractRow]
        var units: [SelectOption]
        var hasUnits: Bool
        var periods: [SelectOption]
        var bases: [SelectOption]
        var pieceUnits: [SelectOption]
        var today: String
        var maxKB: Int
    }

    func contracts<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    )
        async throws -> Response
    {
        let (project, standing) = try await load(context)
        let db = services.database.database()
        let contracts = try await services.workforce.contracts(of: project.uuid)
        let people = Dictionary(
            uniqueKeysWithValues: try await WorkerModel.query(on: db).filter(
                \.$id ~~ Array(Set(contracts.map(\.workerID)))
            )
            .all().map { ($0.uuid, $0) })
        let units = try await services.projects.units(of: project.uuid)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let root = "\(base)/projects/\(project.uuid.uuidString)"
        let rows = contracts.map { contract in
            ContractRow(
                id: contract.uuid.uuidString, worker: people[contract.workerID]?.name ?? "",
                masked: people[contract.workerID]?.idNumberMasked ?? "", unit: unitNames[contract.unitID] ?? "",
                period: CodeTable.contractPeriodTypes.name(of: contract.periodType) ?? "",
                term: "\(contract.startsOn) 至 \(contract.endsOn ?? "工作任务完成")",
                wage: WorkforceRecords.wageText(contract),
                signedOn: contract.signedOn, file: "\(root)/contracts/\(contract.uuid.uuidString)/file",
                hasFile: contract.fileCipher != nil)
        }
        let managed = units.filter { $0.exitDate == nil && standing.manages(unit: $0.uuid) }
        let model = ContractsModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "/contracts", error: error,
                notice: notice),
            rows: rows, units: managed.map { SelectOption(value: $0.uuid.uuidString, label: $0.name) },
            hasUnits: !managed.isEmpty,
            periods: CodeTable.contractPeriodTypes.entries.map { SelectOption(value: $0.code, label: $0.name) },
            bases: CodeTable.wageBases.entries.map { SelectOption(value: $0.code, label: $0.name) },
            pieceUnits: CodeTable.pieceUnits.entries.map { SelectOption(value: $0.code, label: $0.name) },
            today: ProjectService.today().description, maxKB: services.workforce.contractFileMaxBytes / 1024)
        return render(
            "project-contracts", model, title: "\(project.name)：劳动合同", context: context, path: path,
            status: error?.status ?? .ok)
    }

    // MARK: Trainings

    struct TrainingRow {
        var date: String
        var name: String
        var type: String
        var hours: String
        var trainer: String
        var attendees: Int
    }

    struct Candidate {
        var id: String
        var label: String
    }

    struct TrainingsModel {
        var head: Head
        var rows: [TrainingRow]
        var types: [SelectOption]
        var candidates: [Candidate]
        var hasCandidates: Bool
        var today: String
    }

    func trainings<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    )
        async throws -> Response
    {
        let (project, standing) = try await load(context)
        let rows = try await services.workforce.trainings(of: project.uuid).map { training, count in
            TrainingRow(
                date: training.heldOn, name: training.name,
                type: CodeTable.trainingTypes.name(of: training.typeCode) ?? "",
                hours: String(format: "%.1f", training.durationHours), trainer: training.trainer, attendees: count)
        }
        var candidates: [Candidate] = []
        if case .enterprise = context.scope {
            candidates = try await services.directory.list(in: context.scope, limit: 300).map {
                Candidate(id: $0.uuid.uuidString, label: "\($0.name) \($0.idNumberMasked)")
            }
        }
        let model = TrainingsModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "/trainings", error: error,
                notice: notice),
            rows: rows, types: CodeTable.trainingTypes.entries.map { SelectOption(value: $0.code, label: $0.name) },
            candidates: candidates, hasCandidates: !candidates.isEmpty, today: ProjectService.today().description)
        return render(
            "project-trainings", model, title: "\(project.name)：培训", context: context, path: path,
            status: error?.status ?? .ok)
    }

    // MARK: Ledger

    struct LedgerModel {
        var head: Head
        var rows: [LedgerLine]
        var hasRows: Bool
        var workerLedger: Bool
        var from: String
        var to: String
        var q: String
        var teams: [SelectOption]
        var exportQuery: String
        var count: Int
    }

    struct LedgerLine {
        var date: String
        var direction: String
        var isEntry: Bool
        var subject: String
        var unit: String
        var team: String
        var worker: String
        var masked: String
        var reason: String
        var recordedBy: String
    }

    func ledger<Context: ConsoleContext>(_ request: Request, _ context: Context, base: String) async throws -> Response
    {
        let (project, standing) = try await load(context)
        let query = RequestQuery(request)
        var filter = WorkforceRecords.LedgerFilter()
        filter.subject = query.text("subject") == "team" ? "team" : "worker"
        filter.teamID = try query.uuid("team")
        filter.from = try query.date("from", label: "起始日期")?.description
        filter.to = try query.date("to", label: "截止日期")?.description
        filter.name = query.text("q", max: 40)
        let rows = try await services.records.ledger(project: project.uuid, filter: filter)
        if let format = try query.choice("format", in: ["xlsx", "csv"], label: "导出格式") {
            let header =
                filter.subject == "worker"
                ? ["日期", "类型", "姓名", "身份证号（脱敏）", "班组", "参建单位", "原因", "登记人"]
                : ["日期", "类型", "对象", "班组", "参建单位", "原因", "登记人"]
            let cells: [[SheetCell]] = rows.map { row in
                filter.subject == "worker"
                    ? [
                        .text(row.date), .text(row.isEntry ? "进场" : "退场"), .text(row.worker), .text(row.maskedNumber),
                        .text(row.team), .text(row.unit), .text(row.reason), .text(row.recordedBy),
                    ]
                    : [
                        .text(row.date), .text(row.isEntry ? "进场" : "退场"), .text(row.subject), .text(row.team),
                        .text(row.unit), .text(row.reason), .text(row.recordedBy),
                    ]
            }
            let title = "\(project.code)-\(filter.subject == "worker" ? "工人" : "班组")进退场台账"
            let data =
                format == "xlsx"
                ? SpreadsheetWriter.xlsx(
                    sheetName: filter.subject == "worker" ? "工人进退场台账" : "班组进退场台账", header: header, rows: cells)
                : SpreadsheetWriter.csv(header: header, rows: cells)
            return Download.response(
                data, fileName: "\(title).\(format)", type: format == "xlsx" ? Download.xlsxType : Download.csvType)
        }
        let teams = try await services.teams.teams(of: project.uuid)
        var exportItems = ["subject=\(filter.subject)"]
        if let from = filter.from { exportItems.append("from=\(from)") }
        if let to = filter.to { exportItems.append("to=\(to)") }
        if let team = filter.teamID { exportItems.append("team=\(team.uuidString)") }
        if !filter.name.isEmpty {
            exportItems.append("q=\(filter.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        }
        let model = LedgerModel(
            head: try await head(project, standing: standing, context: context, base: base, tab: "/ledger"),
            rows: rows.prefix(1000).map {
                LedgerLine(
                    date: $0.date, direction: $0.isEntry ? "进场" : "退场", isEntry: $0.isEntry, subject: $0.subject,
                    unit: $0.unit,
                    team: $0.team, worker: $0.worker, masked: $0.maskedNumber, reason: $0.reason,
                    recordedBy: $0.recordedBy)
            }, hasRows: !rows.isEmpty, workerLedger: filter.subject == "worker", from: filter.from ?? "",
            to: filter.to ?? "",
            q: filter.name,
            teams: teams.map {
                SelectOption(value: $0.uuid.uuidString, label: $0.name, selected: $0.id == filter.teamID)
            },
            exportQuery: exportItems.joined(separator: "&"), count: rows.count)
        return render("project-ledger", model, title: "\(project.name)：进退场台账", context: context, path: request.uri.path)
    }

    // MARK: Wages

    struct GuaranteeRow {
        var amount: String
        var form: String
        var institution: String
        var validity: String
        var valid: Bool
    }

    struct WagesModel {
        var head: Head
        var hasAccount: Bool
        var bank: String
        var bankName: String
        var accountName: String
        var masked: String
        var openedOn: String
        var expectedName: String
        var overdue: String?
        var guarantees: [GuaranteeRow]
        var hasGuarantees: Bool
        var banks: [SelectOption]
        var forms: [SelectOption]
        var today: String
    }

    func wages<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    )
        async throws -> Response
    {
        let (project, standing) = try await load(context)
        let account = try await services.wages.account(of: project.uuid)
        let today = ProjectService.today()
        var overdue: String?
        if account == nil, let signed = project.contractSignedOn.flatMap(LocalDate.init),
            let due = signed.adding(days: 30)
        {
            overdue =
                due < today
                ? "施工合同签订于 \(signed)，应在 \(due) 前开设农民工工资专用账户，已逾期 \(due.days(until: today)) 天"
                : "施工合同签订于 \(signed)，请在 \(due) 前开设农民工工资专用账户"
        } else if account == nil {
            overdue = "尚未登记农民工工资专用账户"
        }
        let guarantees = try await services.wages.guarantees(of: project.uuid).map {
            GuaranteeRow(
                amount: Money.yuan($0.amountFen), form: CodeTable.guaranteeForms.name(of: $0.form) ?? "",
                institution: $0.institution ?? "", validity: "\($0.validFrom) 至 \($0.validUntil)",
                valid: $0.validFrom <= today.description && $0.validUntil >= today.description)
        }
        let model = WagesModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "/wages", error: error, notice: notice),
            hasAccount: account != nil,
            bank: account.flatMap { CodeTable.banks.name(of: $0.bankCode) } ?? "", bankName: account?.bankName ?? "",
            accountName: account?.accountName ?? "", masked: account?.numberMasked ?? "",
            openedOn: account?.openedOn ?? "",
            expectedName: WageAccountName.expected(contractor: project.contractorName, project: project.name),
            overdue: overdue, guarantees: guarantees, hasGuarantees: !guarantees.isEmpty,
            banks: CodeTable.banks.entries.map { SelectOption(value: $0.code, label: "\($0.code) \($0.name)") },
            forms: CodeTable.guaranteeForms.entries.map { SelectOption(value: $0.code, label: $0.name) },
            today: today.description)
        return render(
            "project-wages", model, title: "\(project.name)：工资专户", context: context, path: path,
            status: error?.status ?? .ok)
    }

    // MARK: Board

    struct BoardModel {
        var head: Head
        var board: WageAccountService.Board
        var complete: Bool
        var missing: String
        var payDay: Int
        var authorityPhone: String
    }

    func board<Context: ConsoleContext>(
        _ context: Context, path: String, base: String, error: AppError? = nil, notice: String? = nil
    )
        async throws -> Response
    {
        let (project, standing) = try await load(context)
        let board = try await services.wages.board(for: project, divisions: navigation.divisions)
        let model = BoardModel(
            head: try await head(
                project, standing: standing, context: context, base: base, tab: "/board", error: error, notice: notice),
            board: board, complete: board.missing.isEmpty, missing: board.missing.joined(separator: "、"),
            payDay: project.payDay, authorityPhone: project.authorityPhone ?? "")
        return render(
            "project-board", model, title: "\(project.name)：维权信息告示牌", context: context, path: path,
            status: error?.status ?? .ok)
    }
}

/// File downloads (exports, templates).
enum Download {
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let csvType = "text/csv; charset=utf-8"

    static func response(_ data: Data, fileName: String, type: String) -> Response {
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "export"
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-store",
                .contentDisposition:
                    "attachment; filename=\"export\(fileName.hasSuffix(".csv") ? ".csv" : ".xlsx")\"; filename*=UTF-8''\(encoded)",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
