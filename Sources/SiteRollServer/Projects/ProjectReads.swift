import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The project pages' data (G2, E2): one read function per page, each taking the `Caller` and
/// typed arguments, deciding reach through `shell` and reading each table once, returning the
/// page's view model. Pages do no database work; they parse the request, call one of these and
/// render the result.
///
/// A new page follows the same shape:
/// `let view = try await reads.units(id, context.caller)` → `render("project-units", view)`.
struct ProjectReads: Sendable {
    let services: ProjectServices
    let divisions: DivisionCatalog

    // MARK: List

    struct ListRow: Sendable {
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

    struct ListView: Sendable {
        var q: String
        var rows: [ListRow]
        var hasRows: Bool
        var canRegister: Bool
        var base: String
    }

    /// Projects within the caller's reach, with their set-up gaps.
    func list(_ caller: Caller, search: String) async throws -> ListView {
        let projects = try await services.projects.list(in: caller.scope, search: search)
        let ids = projects.compactMap(\.id)
        let officers = try await services.projects.projectsWithLabourOfficer(ids)
        let db = services.database.database()
        let onSite =
            ids.isEmpty
            ? []
            : try await ProjectWorkerModel.query(on: db).filter(\.$projectID ~~ ids).filter(\.$status == "active")
                .all(\.$projectID)
        let counts = Dictionary(grouping: onSite, by: { $0 }).mapValues(\.count)
        let accounts =
            ids.isEmpty
            ? [] : Set(try await WageAccountModel.query(on: db).filter(\.$projectID ~~ ids).all(\.$projectID))
        let rows = projects.map { project in
            ListRow(
                id: project.uuid.uuidString,
                href: ProjectPath(audience: caller.audience, project: project.uuid).root, name: project.name,
                code: project.code, category: CodeTable.projectCategories.name(of: project.category) ?? "",
                status: CodeTable.projectStatuses.name(of: project.status) ?? "",
                division: DivisionCode(project.divisionCode).map { divisions.fullName(of: $0) } ?? "",
                contractor: project.contractorName, workersOnSite: counts[project.uuid] ?? 0,
                noLabourOfficer: !officers.contains(project.uuid), noFence: project.geofence == nil,
                noWageAccount: !accounts.contains(project.uuid))
        }
        return ListView(
            q: search, rows: rows, hasRows: !rows.isEmpty, canRegister: caller.audience == .corp, base: caller.base)
    }

    // MARK: Overview

    struct Fact: Sendable {
        var label: String
        var value: String
    }

    struct OverviewView: ProjectView {
        var head: ProjectHead
        var facts: [Fact]
        var fenceSVG: String
        var fenceText: String
        var hasFence: Bool
        var onSite: Int
        var teams: Int
        var units: Int
        var title: String
    }

    func overview(_ id: UUID, _ caller: Caller) async throws -> OverviewView {
        let shell = try await shell(id, caller, tab: .overview)
        let project = shell.project
        let fence = project.geofence.flatMap { try? Geofence.parse($0) }
        let name = { (table: CodeTable, code: String?) in code.flatMap { table.name(of: $0) } ?? "" }
        let facts: [Fact] = [
            Fact(label: "项目编码", value: project.code), Fact(label: "项目名称", value: project.name),
            Fact(label: "项目分类", value: name(.projectCategories, project.category)),
            Fact(label: "项目状态", value: name(.projectStatuses, project.status)),
            Fact(label: "所在区划", value: shell.head.division),
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
        return OverviewView(
            head: shell.head, facts: facts, fenceSVG: fence?.svg(width: 480, height: 320) ?? "",
            fenceText: fence?.text ?? "", hasFence: fence != nil, onSite: onSite, teams: teams, units: units,
            title: project.name)
    }
}
