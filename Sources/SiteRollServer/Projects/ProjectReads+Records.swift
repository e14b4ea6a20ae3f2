import FluentKit
import Foundation
import SiteRollCore
import SiteRollSpreadsheets
import SiteRollStore

/// The entry/exit ledger, the dedicated account and the rights board of a project.
extension ProjectReads {
    // MARK: Ledger

    struct LedgerLine: Sendable {
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

    struct LedgerView: ProjectView {
        var head: ProjectHead
        var rows: [LedgerLine]
        var hasRows: Bool
        var workerLedger: Bool
        var from: String
        var to: String
        var q: String
        var teams: [SelectOption]
        var exportQuery: String
        var count: Int
        var title: String
        var export: ExportTable
    }

    func ledger(_ id: UUID, _ caller: Caller, filter: WorkforceRecords.LedgerFilter) async throws -> LedgerView {
        let shell = try await shell(id, caller, tab: .ledger)
        let rows = try await services.records.ledger(project: shell.project.uuid, filter: filter)
        let workers = filter.subject == "worker"
        let header =
            workers
            ? ["日期", "类型", "姓名", "身份证号（脱敏）", "班组", "参建单位", "原因", "登记人"]
            : ["日期", "类型", "对象", "班组", "参建单位", "原因", "登记人"]
        let cells: [[SheetCell]] = rows.map { row in
            workers
                ? [
                    .text(row.date), .text(row.isEntry ? "进场" : "退场"), .text(row.worker), .text(row.maskedNumber),
                    .text(row.team), .text(row.unit), .text(row.reason), .text(row.recordedBy),
                ]
                : [
                    .text(row.date), .text(row.isEntry ? "进场" : "退场"), .text(row.subject), .text(row.team),
                    .text(row.unit), .text(row.reason), .text(row.recordedBy),
                ]
        }
        let export = ExportTable(
            fileName: "\(shell.project.code)-\(workers ? "工人" : "班组")进退场台账",
            sheetName: workers ? "工人进退场台账" : "班组进退场台账", header: header, rows: cells)
        let teams = try await services.teams.teams(of: shell.project.uuid)
        var exportItems = ["subject=\(filter.subject)"]
        if let from = filter.from { exportItems.append("from=\(from)") }
        if let to = filter.to { exportItems.append("to=\(to)") }
        if let team = filter.teamID { exportItems.append("team=\(team.uuidString)") }
        if !filter.name.isEmpty {
            exportItems.append("q=\(filter.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        }
        return LedgerView(
            head: shell.head,
            rows: rows.prefix(1000).map {
                LedgerLine(
                    date: $0.date, direction: $0.isEntry ? "进场" : "退场", isEntry: $0.isEntry, subject: $0.subject,
                    unit: $0.unit, team: $0.team, worker: $0.worker, masked: $0.maskedNumber, reason: $0.reason,
                    recordedBy: $0.recordedBy)
            }, hasRows: !rows.isEmpty, workerLedger: workers, from: filter.from ?? "", to: filter.to ?? "",
            q: filter.name,
            teams: teams.map {
                SelectOption(value: $0.uuid.uuidString, label: $0.name, selected: $0.id == filter.teamID)
            },
            exportQuery: exportItems.joined(separator: "&"), count: rows.count,
            title: "\(shell.project.name)：进退场台账", export: export)
    }

    // MARK: Dedicated account

    struct GuaranteeRow: Sendable {
        var amount: String
        var form: String
        var institution: String
        var validity: String
        var valid: Bool
    }

    struct WagesView: ProjectView {
        var head: ProjectHead
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
        var title: String
    }

    func wages(_ id: UUID, _ caller: Caller) async throws -> WagesView {
        let shell = try await shell(id, caller, tab: .wages)
        let project = shell.project
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
        return WagesView(
            head: shell.head, hasAccount: account != nil,
            bank: account.flatMap { CodeTable.banks.name(of: $0.bankCode) } ?? "", bankName: account?.bankName ?? "",
            accountName: account?.accountName ?? "", masked: account?.numberMasked ?? "",
            openedOn: account?.openedOn ?? "",
            expectedName: WageAccountName.expected(contractor: project.contractorName, project: project.name),
            overdue: overdue, guarantees: guarantees, hasGuarantees: !guarantees.isEmpty,
            banks: CodeTable.banks.entries.map { SelectOption(value: $0.code, label: "\($0.code) \($0.name)") },
            forms: CodeTable.guaranteeForms.entries.map { SelectOption(value: $0.code, label: $0.name) },
            today: today.description, title: "\(project.name)：工资专户")
    }

    // MARK: Rights board

    struct BoardView: ProjectView {
        var head: ProjectHead
        var board: WageAccountService.Board
        var complete: Bool
        var missing: String
        var payDay: Int
        var authorityPhone: String
        var title: String
    }

    func board(_ id: UUID, _ caller: Caller) async throws -> BoardView {
        let shell = try await shell(id, caller, tab: .board)
        let board = try await services.wages.board(for: shell.project, divisions: divisions)
        return BoardView(
            head: shell.head, board: board, complete: board.missing.isEmpty,
            missing: board.missing.joined(separator: "、"), payDay: shell.project.payDay,
            authorityPhone: shell.project.authorityPhone ?? "", title: "\(shell.project.name)：维权信息告示牌")
    }
}
