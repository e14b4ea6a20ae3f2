import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The wage pages' data (G4, E4, M4): one read function per page, each taking the `Caller` and
/// typed arguments, reaching the project through `ProjectReads.shell` (a participating unit's
/// staff see their own units' payrolls only: `Standing.sees(unit:)`) and reading each table once,
/// returning the page's view model. The pages parse the request, call one of these and render.
struct WageReads: Sendable {
    let projects: ProjectReads
    let wages: WageServices

    var database: DatabaseService { projects.services.database }

    static let statusNames = [
        "draft": "草稿", "submitted": "已提交待代发", "paying": "代发中", "paid": "已足额发放", "partly_paid": "部分未发放",
    ]
    static let lineStatus = ["unpaid": "未发放", "paying": "代发中", "paid": "已发放", "failed": "代发失败"]

    static func statusClass(_ status: String) -> String {
        status == "paid" ? "ok" : (status == "draft" ? "" : "warn")
    }

    // MARK: Payroll list

    struct PayrollRow: Sendable {
        var href: String
        var month: String
        var unit: String
        var team: String
        var people: Int
        var due: String
        var paid: String
        var unpaid: String
        var hasUnpaid: Bool
        var status: String
        var statusClass: String
        var source: String
    }

    struct ListView: ProjectView {
        var head: ProjectHead
        var rows: [PayrollRow]
        var hasRows: Bool
        var units: [SelectOption]
        var teams: [SelectOption]
        var month: String
        var noAgreement: Bool
        var noAccount: Bool
        var title: String
    }

    /// The payrolls the caller sees, with their totals, and the forms to generate or import one.
    func list(_ id: UUID, _ caller: Caller) async throws -> ListView {
        let shell = try await projects.shell(id, caller, tab: .payrolls)
        let project = shell.project
        let db = database.database()
        let payrolls = try await wages.payrolls.payrolls(of: project.uuid, standing: shell.standing)
        let lines =
            payrolls.isEmpty
            ? []
            : try await PayrollLineModel.query(on: db).filter(\.$payrollID ~~ payrolls.compactMap(\.id)).all()
        let byPayroll = Dictionary(grouping: lines, by: \.payrollID)
        let units = try await ProjectUnitModel.query(on: db).filter(\.$projectID == project.uuid).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let teams = try await TeamModel.query(on: db).filter(\.$projectID == project.uuid).all()
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        let rows = payrolls.map { payroll in
            let theirs = byPayroll[payroll.uuid] ?? []
            let due = theirs.map(\.dueFen).moneySum
            let paid = theirs.map(\.paidFen).moneySum
            return PayrollRow(
                href: shell.path.wage(.payroll, payroll.uuid), month: payroll.payMonth,
                unit: unitNames[payroll.unitID] ?? "", team: payroll.teamID.flatMap { teamNames[$0] } ?? "全部班组",
                people: theirs.count, due: Money.yuan(due), paid: Money.yuan(paid),
                unpaid: Money.yuan(max(due - paid, 0)), hasUnpaid: payroll.status != "draft" && paid < due,
                status: Self.statusNames[payroll.status] ?? payroll.status,
                statusClass: Self.statusClass(payroll.status),
                source: Self.sourceName(payroll.source))
        }
        let managed = units.filter { shell.standing.manages(unit: $0.uuid) }
        let agreements = try await wages.agreements.agreements(of: project.uuid)
        let account = try await WageAccountModel.query(on: db).filter(\.$projectID == project.uuid).first()
        return ListView(
            head: shell.head, rows: rows, hasRows: !rows.isEmpty,
            units: managed.map { SelectOption(value: $0.uuid.uuidString, label: $0.name) },
            teams: teams.compactMap { team in
                guard let unit = team.unitID, shell.standing.manages(unit: unit) else { return nil }
                return SelectOption(value: team.uuid.uuidString, label: "\(unitNames[unit] ?? "")：\(team.name)")
            },
            month: PayMonth(containing: ProjectService.today()).nearAdding(months: -1).description,
            noAgreement: agreements.isEmpty, noAccount: account == nil, title: "\(project.name)：工资")
    }
}

extension WageReads {
    /// How a payroll came to be, in words: generated, imported, or uploaded by a connected system.
    static func sourceName(_ source: String, detailed: Bool = false) -> String {
        switch source {
        case "imported": "导入"
        case "national": "接入系统上传"
        default: detailed ? "按考勤和劳动合同生成" : "按考勤生成"
        }
    }
}
