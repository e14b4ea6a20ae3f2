import FluentKit
import Foundation
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// Imports a worker roster (花名册) or a team list from CSV or .xlsx into one project (E2). Every
/// row is checked by the same rules as the console forms; a row is written completely (its new
/// team, the entry, the ledger line, the audit event) in one transaction or not at all; valid rows
/// are kept when others fail, and each failure names its row and reason in Chinese.
struct RosterImport: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let workforce: WorkforceService
    let teams: TeamService
    let cipher: FieldCipher
    let audit = AuditTrail()

    static let maxRows = 2000

    struct RowResult: Sendable, Codable, Equatable {
        var line: Int
        var label: String
        var ok: Bool
        var message: String
    }

    struct Report: Sendable, Codable, Equatable {
        var kind: String
        var results: [RowResult]
        /// The counts, when `results` keeps only some rows (a large import's refusals; `Flash`).
        var acceptedCount: Int?
        var refusedCount: Int?
        var accepted: Int { acceptedCount ?? results.filter(\.ok).count }
        var refused: Int { refusedCount ?? results.count - results.filter(\.ok).count }
    }

    /// Column headers, as the downloadable templates spell them.
    static let rosterColumns = ["姓名", "身份证号", "班组名称", "工种", "工人类型", "是否班组长", "进场日期", "考勤卡号"]
    static let teamColumns = ["班组名称", "班组长实名核验码", "班组长电话", "进场日期", "备注"]

    func importFile(
        _ data: Data, fileName: String, unitID: UUID, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws -> Report {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireUnit(unitID)
        let db = database.database()
        guard let unit = try await ProjectUnitModel.find(unitID, on: db), unit.projectID == projectID else {
            throw AppError.notFound
        }
        if unit.exitDate != nil { throw AppError(.conflict, code: "UNIT_EXITED", message: "该单位已退场，不能再导入") }
        let rows: [[String]]
        do {
            rows = try SpreadsheetReader.rows(from: data, fileName: fileName)
        } catch {
            throw AppError(.unprocessableContent, code: error.code, message: error.message)
        }
        guard let header = rows.first else {
            throw AppError(.unprocessableContent, code: "IMPORT_EMPTY", message: "文件中没有数据")
        }
        let body = rows.dropFirst().enumerated().filter { !$0.element.allSatisfy(\.isEmpty) }
        if body.count > Self.maxRows {
            throw AppError(
                .unprocessableContent, code: "IMPORT_TOO_MANY_ROWS", message: "一次最多导入 \(Self.maxRows) 行，请分批导入")
        }
        let columns = Dictionary(
            header.enumerated().map {
                ($0.element.replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces), $0.offset)
            },
            uniquingKeysWith: { first, _ in first })
        if columns["身份证号"] != nil {
            let missing = ["姓名", "身份证号", "班组名称", "工种", "进场日期"].filter { columns[$0] == nil }
            if !missing.isEmpty { throw missingColumns(missing) }
            var results: [RowResult] = []
            for (offset, row) in body {
                results.append(
                    await rosterRow(
                        Cells(row: row, columns: columns), line: offset + 2, unit: unit, project: project,
                        account: account))
            }
            return Report(kind: "花名册", results: results)
        } else if columns["班组名称"] != nil {
            let missing = ["班组名称", "进场日期"].filter { columns[$0] == nil }
            if !missing.isEmpty { throw missingColumns(missing) }
            var results: [RowResult] = []
            for (offset, row) in body {
                results.append(
                    await teamRow(
                        Cells(row: row, columns: columns), line: offset + 2, unit: unit, project: project,
                        scope: scope, account: account))
            }
            return Report(kind: "班组", results: results)
        }
        throw AppError(
            .unprocessableContent, code: "IMPORT_UNKNOWN_COLUMNS",
            message: "无法识别表头：花名册须含“姓名、身份证号、班组名称、工种、进场日期”列，班组表须含“班组名称、进场日期”列。请下载模板填写")
    }

    private func missingColumns(_ names: [String]) -> AppError {
        AppError(
            .unprocessableContent, code: "IMPORT_MISSING_COLUMNS",
            message: "表头缺少以下列：\(names.joined(separator: "、"))。请下载模板填写")
    }

    struct Cells {
        var row: [String]
        var columns: [String: Int]

        subscript(_ name: String) -> String {
            guard let index = columns[name], index < row.count else { return "" }
            return row[index].trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private func teamRow(
        _ cells: Cells, line: Int, unit: ProjectUnitModel, project: ProjectModel, scope: AccessScope,
        account: AccountSnapshot
    ) async -> RowResult {
        let name = cells["班组名称"]
        do {
            let team = try await teams.createTeam(
                .init(
                    unitID: unit.uuid.uuidString, name: name, leaderCode: cells["班组长实名核验码"],
                    leaderPhone: cells["班组长电话"], remark: cells["备注"], entryDate: cells["进场日期"]),
                project: project.uuid, scope: scope, by: account)
            return RowResult(line: line, label: name, ok: true, message: "已新建班组，编号 \(team.sysNo)")
        } catch let error as AppError {
            return RowResult(line: line, label: name, ok: false, message: error.message)
        } catch {
            return RowResult(line: line, label: name, ok: false, message: "保存失败，请稍后重试")
        }
    }

    private func rosterRow(
        _ cells: Cells, line: Int, unit: ProjectUnitModel, project: ProjectModel,
        account: AccountSnapshot
    ) async -> RowResult {
        let name = cells["姓名"]
        let label = name.isEmpty ? "（未填姓名）" : name
        do {
            let draft = try await rosterEntry(cells, unit: unit, project: project, account: account)
            return RowResult(line: line, label: label, ok: true, message: draft)
        } catch let error as AppError {
            return RowResult(line: line, label: label, ok: false, message: error.message)
        } catch {
            return RowResult(line: line, label: label, ok: false, message: "保存失败，请稍后重试")
        }
    }

    /// Validates one roster row completely, then writes it in one transaction.
    private func rosterEntry(_ cells: Cells, unit: ProjectUnitModel, project: ProjectModel, account: AccountSnapshot)
        async throws -> String
    {
        let db = database.database()
        var problems = FieldProblems()
        let name = problems.required(cells["姓名"], "姓名", max: 50)
        let number = cells["身份证号"].uppercased()
        if !IdentityNumber.hasValidCheckCharacter(number) {
            problems.add(number.contains("E+") ? "身份证号被表格软件转成了科学计数法，请把该列设为文本后重新填写" : "身份证号不正确")
        }
        let teamName = problems.required(cells["班组名称"], "班组名称", max: 100)
        let typeText = cells["工种"]
        let workType = CodeTable.workTypes.code(named: typeText) ?? typeText
        if !CodeTable.isAcceptableWorkType(workType) { problems.add("工种“\(typeText)”不在国家工种代码表中") }
        let roleText = cells["工人类型"]
        let role =
            roleText.isEmpty
            ? "20"
            : (CodeTable.workRoles.code(named: roleText) ?? (CodeTable.workRoles.contains(roleText) ? roleText : ""))
        if role.isEmpty { problems.add("工人类型应为“建筑工人”或“管理人员”") }
        let leaderText = cells["是否班组长"]
        let isLeader = ["是", "1", "Y", "y"].contains(leaderText)
        if !leaderText.isEmpty, !isLeader, !["否", "0", "N", "n"].contains(leaderText) {
            problems.add("是否班组长应填“是”或“否”")
        }
        let date = problems.date(cells["进场日期"], "进场日期", required: true)
        let card = problems.optional(cells["考勤卡号"], "考勤卡号", max: 30)
        try problems.throwIfAny("ROSTER_ROW_INVALID")
        guard let date else { throw FieldProblems.incomplete("ROSTER_ROW_INVALID") }
        guard
            let worker = try await WorkerModel.query(on: db).filter(\.$idNumberHMAC == cipher.lookupHash(number))
                .first(),
            worker.verificationCode != nil
        else {
            throw AppError(.unprocessableContent, code: "ROSTER_NOT_VERIFIED", message: "该身份证号的工人尚未在平台完成实名核验，请先办理实名登记")
        }
        guard worker.name == name else {
            throw AppError(.unprocessableContent, code: "ROSTER_NAME_MISMATCH", message: "姓名与该身份证号的实名信息不一致")
        }
        let existing = try await TeamModel.query(on: db).filter(\.$projectID == project.uuid).filter(
            \.$name == teamName
        )
        .first()
        if let existing, existing.unitID != unit.id {
            throw AppError(.unprocessableContent, code: "ROSTER_TEAM_OTHER_UNIT", message: "班组“\(teamName)”属于其他参建单位")
        }
        let team = existing ?? TeamModel()
        if existing == nil {
            team.id = UUID()
            team.name = teamName
            team.origin = "unit"
            team.projectID = project.id
            team.unitID = unit.id
            team.entryDate = date.description
            team.createdAt = ServerClock.now()
        }
        let facts = try await workforce.entryFacts(
            worker: worker, projectID: project.uuid, unitID: unit.uuid, team: team, date: date, on: db)
        let refusals = SiteEntryRules.refusals(facts, date: date, today: ProjectService.today())
        if let first = refusals.first {
            throw AppError(
                .unprocessableContent, code: first.code, message: refusals.map(\.message).joined(separator: "；"))
        }
        let entry = WorkforceService.newEntry(
            .init(isTeamLeader: isLeader), project: project.uuid, unitID: unit.uuid, teamID: team.uuid, worker: worker,
            workType: workType, role: role, card: card, date: date)
        let createdTeam = existing == nil
        do {
            try await audit.write(on: db, actor: account.auditActor) { tx in
                if createdTeam {
                    team.sysNo = try await TeamService.nextSysNo(on: tx)
                    try await team.create(on: tx)
                    try await EntryExitRecordModel(
                        projectID: project.uuid, subject: "team", unitID: unit.uuid, teamID: team.id, workerID: nil,
                        entry: true, date: date.description, reason: "花名册导入", recordedBy: account.displayName
                    ).create(on: tx)
                }
                var draft = try await WorkforceService.insert(
                    entry, worker: worker, team: team, project: project, account: account, on: tx)
                draft.action = "worker.imported"
                draft.summary = "花名册导入：" + draft.summary
                return ((), draft)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError(
                .conflict, code: SiteEntryRefusal.alreadyOnSite.code, message: SiteEntryRefusal.alreadyOnSite.message)
        }
        return createdTeam ? "已进场，并新建班组“\(teamName)”" : "已进场"
    }
}
