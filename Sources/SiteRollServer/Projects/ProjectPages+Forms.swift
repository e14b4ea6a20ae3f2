import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The enterprise console's project forms (E2). Each form posts, the service decides, and the
/// page comes back with the outcome: a refusal shows its Chinese reasons above the form.
extension ProjectPages {
    struct RegistrationModel {
        var form: ProjectService.Registration
        var categories: [SelectOption]
        var statuses: [SelectOption]
        var divisions: DivisionPicker
        var levels: [SelectOption]
        var sizes: [SelectOption]
        var natures: [SelectOption]
        var functions: [SelectOption]
        var error: AppError?
        var csrf: String
        var today: String
    }

    func registrationPage(_ context: CorpContext, path: String, form: ProjectService.Registration, error: AppError?)
        -> Response
    {
        let options = { (table: CodeTable, selected: String) in
            table.entries.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == selected) }
        }
        let divisions = DivisionPicker(
            name: "divisionCode", label: "所在市、区县 *", catalog: navigation.divisions, root: .sichuan,
            selected: form.divisionCode, lead: [SelectOption(value: "", label: "请选择")], groupSuffix: "（市本级）",
            required: true)
        let model = RegistrationModel(
            form: form, categories: options(.projectCategories, form.category),
            statuses: options(.projectStatuses, form.status.isEmpty ? "003" : form.status), divisions: divisions,
            levels: options(.approvalLevels, form.approvalLevel), sizes: options(.projectSizes, form.size),
            natures: options(.constructionNatures, form.nature), functions: options(.projectFunctions, form.function),
            error: error, csrf: context.identity.csrfToken, today: ProjectService.today().description)
        return render("project-new", model, title: "登记项目", context: context, path: path, status: error?.status ?? .ok)
    }

    func addFormRoutes(to group: RouterGroup<CorpContext>) {
        group.get("projects/new") { request, context in
            registrationPage(context, path: request.uri.path, form: .init(), error: nil)
        }
        /// Registers a project with the general contractor as its first unit.
        group.post("projects") { request, context in
            let form = try await FormFields.read(request)
            var input = ProjectService.Registration()
            input.name = form.text("name")
            input.description = form.text("description")
            input.category = form.text("category")
            input.status = form.text("status")
            input.divisionCode = form.text("divisionCode")
            input.address = form.text("address")
            input.builderName = form.text("builderName")
            input.builderCreditCode = form.text("builderCreditCode")
            input.permitNumber = form.text("permitNumber")
            input.investWan = form.text("investWan")
            input.buildingArea = form.text("buildingArea")
            input.startDate = form.text("startDate")
            input.completionDate = form.text("completionDate")
            input.approvalNumber = form.text("approvalNumber")
            input.approvalLevel = form.text("approvalLevel")
            input.size = form.text("size")
            input.nature = form.text("nature")
            input.function = form.text("function")
            input.linkMan = form.text("linkMan")
            input.linkPhone = form.text("linkPhone")
            input.contractSignedOn = form.text("contractSignedOn")
            input.geofence = form.text("geofence")
            let enterprise = try await EnterpriseDirectory(database: services.database).own(context.enterpriseID)
            do {
                let project = try await services.projects.register(input, enterprise: enterprise, by: context.account)
                return PageOutcome.redirect(
                    to: ProjectPath(audience: .corp, project: project.uuid).root,
                    "项目已登记。请继续登记参建单位、管理人员和班组。")
            } catch let error as AppError where error.status != .notFound {
                return registrationPage(context, path: request.uri.path, form: input, error: error)
            }
        }
        group.post(ProjectPath.route("/geofence")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await PageOutcome.respond(to: ProjectPath(audience: .corp, project: id).tab(.overview)) {
                try await services.projects.setGeofence(
                    form.text("geofence"), project: id, scope: context.scope, by: context.account)
                return "考勤电子围栏已保存"
            } refused: { error in
                try await show(
                    .overview, context, path: request.uri.path, error: error, fenceInput: form.text("geofence"))
            }
        }
        group.post(ProjectPath.route("/units")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.units, context, path: request.uri.path) {
                _ = try await services.projects.addUnit(
                    .init(
                        creditCode: form.text("creditCode"), name: form.text("name"),
                        participationType: form.text("participationType"), entryDate: form.text("entryDate"),
                        pmName: form.text("pmName"), pmPhone: form.text("pmPhone")),
                    project: id, scope: context.scope, by: context.account)
                return "参建单位已进场"
            }
        }
        group.post(ProjectPath.route("/units/:unit/exit")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            guard let unitID = context.parameters.get("unit", as: UUID.self) else { throw AppError.notFound }
            return try await outcome(.units, context, path: request.uri.path) {
                try await services.projects.exitUnit(
                    unitID, date: form.text("exitDate"), project: id, scope: context.scope, by: context.account)
                return "参建单位已退场"
            }
        }
        group.post(ProjectPath.route("/managers")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.managers, context, path: request.uri.path) {
                try await services.projects.appoint(
                    .init(
                        unitID: form.text("unitID"), workerCode: form.text("workerCode"), role: form.text("role"),
                        phone: form.text("phone"), startsOn: form.text("startsOn"), endsOn: form.text("endsOn")),
                    project: id, scope: context.scope, by: context.account)
                return "任职已登记"
            }
        }
        group.post(ProjectPath.route("/teams")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.teams, context, path: request.uri.path) {
                let team = try await services.teams.createTeam(
                    .init(
                        unitID: form.text("unitID"), name: form.text("name"), leaderCode: form.text("leaderCode"),
                        leaderPhone: form.text("leaderPhone"), remark: form.text("remark"),
                        entryDate: form.text("entryDate")),
                    project: id, scope: context.scope, by: context.account)
                return "班组“\(team.name)”已建立，编号 \(team.sysNo)"
            }
        }
        group.post(ProjectPath.route("/teams/engage")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.teams, context, path: request.uri.path) {
                let team = try await services.teams.engage(
                    sysNo: form.text("sysNo"), unitID: form.text("unitID"), entryDate: form.text("entryDate"),
                    project: id,
                    scope: context.scope, by: context.account)
                return "已承接班组“\(team.name)”，项目班组编号 \(team.sysNo)"
            }
        }
        group.post(ProjectPath.route("/teams/:team/exit")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            guard let teamID = context.parameters.get("team", as: UUID.self) else { throw AppError.notFound }
            return try await outcome(.teams, context, path: request.uri.path) {
                try await services.teams.exitTeam(
                    teamID, date: form.text("exitDate"), project: id, scope: context.scope, by: context.account)
                return "班组已退场"
            }
        }
        group.post(ProjectPath.route("/workers")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.workers, context, path: request.uri.path) {
                let entry = try await services.workforce.enter(
                    .init(
                        teamID: form.text("teamID"), workerCode: form.text("workerCode"),
                        workType: form.text("workType"),
                        workRole: form.text("workRole"), isTeamLeader: form.text("isTeamLeader") == "1",
                        entryDate: form.text("entryDate"), cardNumber: form.text("cardNumber"),
                        hasInsurance: form.text("hasInsurance") == "1"),
                    project: id, scope: context.scope, by: context.account)
                return "工人已进场（\(entry.entryDate)）"
            }
        }
        group.post(ProjectPath.route("/workers/:entry/exit")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            guard let entryID = context.parameters.get("entry", as: UUID.self) else { throw AppError.notFound }
            return try await outcome(.workers, context, path: request.uri.path) {
                try await services.workforce.exit(
                    entryID, date: form.text("exitDate"), reason: form.text("reason"), project: id,
                    scope: context.scope,
                    by: context.account)
                return "工人已退场"
            }
        }
        /// Roster or team import from CSV or .xlsx; the page lists every row's outcome.
        group.post(ProjectPath.route("/import")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            guard let file = form.files["file"], !file.data.isEmpty else {
                return try await show(
                    .workers, context, path: request.uri.path,
                    error: .init(.unprocessableContent, code: "IMPORT_NO_FILE", message: "请选择要导入的 CSV 或 Excel（.xlsx）文件")
                )
            }
            return try await outcome(.workers, context, path: request.uri.path) {
                let report = try await services.roster.importFile(
                    file.data, fileName: file.fileName, unitID: UUID(uuidString: form.text("unitID")) ?? UUID(),
                    project: id,
                    scope: context.scope, by: context.account)
                return Flash(
                    "\(report.kind)导入完成：成功 \(report.accepted) 行，未导入 \(report.refused) 行", report: report)
            }
        }
        /// Import templates with the expected headers and one example row.
        group.get(ProjectPath.route("/import/template")) { request, _ in
            let query = RequestQuery(request)
            let kind = try query.choice("kind", in: ["roster", "teams"], label: "模板类型") ?? "roster"
            let format = try query.choice("format", in: ["xlsx", "csv"], label: "模板格式") ?? "xlsx"
            let header = kind == "teams" ? RosterImport.teamColumns : RosterImport.rosterColumns
            let example: [SheetCell] =
                kind == "teams"
                ? [
                    .text("钢筋一班"), .text("W…（班组长实名核验码，可不填）"), .text("13800000000"),
                    .text(ProjectService.today().description), .text(""),
                ]
                : [
                    .text("张三"), .text("510104198503121234"), .text("钢筋一班"), .text("钢筋工"), .text("建筑工人"), .text("否"),
                    .text(ProjectService.today().description), .text(""),
                ]
            let data =
                format == "csv"
                ? SpreadsheetWriter.csv(header: header, rows: [example])
                : SpreadsheetWriter.xlsx(sheetName: kind == "teams" ? "班组" : "花名册", header: header, rows: [example])
            return Download.response(
                data, fileName: (kind == "teams" ? "班组导入模板." : "花名册导入模板.") + format,
                type: format == "csv" ? Download.csvType : Download.xlsxType)
        }
        group.post(ProjectPath.route("/contracts")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.contracts, context, path: request.uri.path) {
                _ = try await services.workforce.signContract(
                    .init(
                        unitID: form.text("unitID"), workerCode: form.text("workerCode"),
                        periodType: form.text("periodType"),
                        startsOn: form.text("startsOn"), endsOn: form.text("endsOn"), wageBasis: form.text("wageBasis"),
                        rate: form.text("rate"), pieceUnit: form.text("pieceUnit"), signedOn: form.text("signedOn"),
                        file: form.files["file"]),
                    project: id, scope: context.scope, by: context.account)
                return "劳动合同已登记"
            }
        }
        group.post(ProjectPath.route("/trainings")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.trainings, context, path: request.uri.path) {
                let codes = form.text("workerCodes").split(whereSeparator: {
                    $0.isNewline || $0 == "," || $0 == "，" || $0 == " "
                })
                .map(String.init)
                let training = try await services.workforce.registerTraining(
                    .init(
                        name: form.text("name"), typeCode: form.text("typeCode"), heldOn: form.text("heldOn"),
                        hours: form.text("hours"), trainer: form.text("trainer"), description: form.text("description"),
                        workerIDs: (form.all["workerID"] ?? []).compactMap(UUID.init(uuidString:)), workerCodes: codes),
                    project: id, scope: context.scope, by: context.account)
                return "培训“\(training.name)”已登记"
            }
        }
        group.post(ProjectPath.route("/wages/account")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.wages, context, path: request.uri.path) {
                try await services.wages.saveAccount(
                    .init(
                        bankCode: form.text("bankCode"), bankName: form.text("bankName"),
                        accountName: form.text("accountName"),
                        number: form.text("number"), openedOn: form.text("openedOn")),
                    project: id, scope: context.scope, by: context.account)
                return "工资专用账户已登记"
            }
        }
        group.post(ProjectPath.route("/wages/guarantee")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.wages, context, path: request.uri.path) {
                try await services.wages.addGuarantee(
                    .init(
                        amount: form.text("amount"), form: form.text("form"), institution: form.text("institution"),
                        validFrom: form.text("validFrom"), validUntil: form.text("validUntil")),
                    project: id, scope: context.scope, by: context.account)
                return "工资保证金已登记"
            }
        }
        group.post(ProjectPath.route("/board")) { request, context in
            let form = try await FormFields.read(request)
            let id = try projectID(context)
            return try await outcome(.board, context, path: request.uri.path) {
                try await services.projects.setBoard(
                    payDay: form.text("payDay"), authorityPhone: form.text("authorityPhone"), project: id,
                    scope: context.scope, by: context.account)
                return "告示牌信息已保存"
            }
        }
    }
}
