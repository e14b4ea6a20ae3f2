import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The reconciliation of one month (issue 6 item 7) and the wage agency agreements (E4).
extension WageReads {
    // MARK: Reconciliation

    struct ReconciliationRow: Sendable {
        var name: String
        var masked: String
        var days: String
        var terms: String
        var contractual: String
        var due: String
        var paid: String
        var debited: String
        var explanations: [String]
        var balanced: Bool
    }

    struct ReconciliationView: ProjectView {
        var head: ProjectHead
        var month: String
        var monthName: String
        var rows: [ReconciliationRow]
        var hasRows: Bool
        var contractual: String
        var due: String
        var paid: String
        var debited: String
        var transferred: String
        var unbalanced: Int
        var hasAccount: Bool
        var wholeProject: Bool
        var unmatched: [String]
        var hasUnmatched: Bool
        var title: String
    }

    /// Attendance × contract, payroll, bank and statement for `month`; a participating unit's staff
    /// reconcile their own units' workers only (`Standing.unitLimit`).
    func reconciliation(_ id: UUID, _ caller: Caller, month: PayMonth) async throws -> ReconciliationView {
        let shell = try await projects.shell(id, caller, tab: .payrolls)
        let result = try await wages.reconciliation.reconcile(
            project: shell.project, month: month, units: shell.standing.unitLimit)
        let rows = result.rows.map { row in
            ReconciliationRow(
                name: row.name, masked: row.masked, days: PayrollValidation.days(row.manDays), terms: row.terms,
                contractual: row.contractualFen.map(Money.yuan) ?? "—", due: row.payrollDueFen.map(Money.yuan) ?? "—",
                paid: Money.yuan(row.paidFen), debited: Money.yuan(row.debitedFen), explanations: row.explanations,
                balanced: row.balanced)
        }
        return ReconciliationView(
            head: shell.head, month: month.description, monthName: month.chinese, rows: rows, hasRows: !rows.isEmpty,
            contractual: Money.yuan(result.contractualFen), due: Money.yuan(result.payrollDueFen),
            paid: Money.yuan(result.paidFen), debited: Money.yuan(result.debitedFen),
            transferred: Money.yuan(result.transferredInFen), unbalanced: rows.filter { !$0.balanced }.count,
            hasAccount: result.hasAccount, wholeProject: result.wholeProject,
            unmatched: result.debitsUnmatched.map {
                "\($0.occurredOn) 付出 \(Money.yuan($0.amountFen)) 元 \($0.counterpartyName ?? "") \($0.memo ?? "")"
            }, hasUnmatched: !result.debitsUnmatched.isEmpty,
            title: "\(shell.project.name)：\(month.chinese)工资对账")
    }

    // MARK: Agency agreements

    struct AgreementRow: Sendable {
        var id: String
        var principal: String
        var agent: String
        var bank: String
        var signedOn: String
        var validity: String
        var hasScan: Bool
        var scanHref: String
    }

    struct AgreementsView: ProjectView {
        var head: ProjectHead
        var rows: [AgreementRow]
        var hasRows: Bool
        var units: [SelectOption]
        var banks: [SelectOption]
        var contractor: String
        var today: String
        var title: String
    }

    /// The project's wage agency agreements and, for the units the caller manages, the form.
    func agreements(_ id: UUID, _ caller: Caller) async throws -> AgreementsView {
        let shell = try await projects.shell(id, caller, tab: .payrolls)
        let project = shell.project
        let rows = try await wages.agreements.agreements(of: project.uuid).map {
            AgreementRow(
                id: $0.uuid.uuidString, principal: $0.principalName, agent: $0.agentName,
                bank: "\($0.bankCode) \($0.bankName)", signedOn: $0.signedOn,
                validity: "\($0.validFrom) 至 \($0.validUntil ?? "长期")", hasScan: $0.scanCipher != nil,
                scanHref: shell.path.wage(.agreementScan, $0.uuid))
        }
        let units = try await ProjectUnitModel.query(on: database.database()).filter(\.$projectID == project.uuid).all()
            .filter { shell.standing.manages(unit: $0.uuid) }
        return AgreementsView(
            head: shell.head, rows: rows, hasRows: !rows.isEmpty,
            units: units.map { SelectOption(value: $0.uuid.uuidString, label: $0.name) },
            banks: CodeTable.banks.entries.map { SelectOption(value: $0.code, label: "\($0.code) \($0.name)") },
            contractor: project.contractorName, today: ProjectService.today().description,
            title: "\(project.name)：工资代发协议")
    }
}
