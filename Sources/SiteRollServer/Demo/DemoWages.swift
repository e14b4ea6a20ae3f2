import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Issue 6's part of the demo, made through the real services so that it looks exactly like
/// what a labour officer would have produced: wage cards for every worker, an agency agreement on
/// the 锦江 project only, and for each of the last three months a payroll generated from the
/// attendance, signed, submitted and (where the project has a dedicated account) paid through the
/// bank. The latest month has a line the bank refused (a mistyped card) and stays partly unpaid;
/// 武侯 has no dedicated account, so its payrolls wait unpaid — the warnings follow from that.
struct DemoWages: Sendable {
    let wages: WageServices
    let database: DatabaseService
    /// Pays through the bank simulator; the demo books each month's transfer and payment on its
    /// own past days through the simulator's clock. nil: payrolls stay submitted and unpaid.
    let payouts: PayoutService?
    /// Runs once at the end, so that the boards show the warnings the history causes.
    let warnings: WarningService?

    static let reason = "演示数据：按实际出勤与班组长核对后确定"
    static let scan = Data("%PDF-1.4\n% SiteRoll demo: signed wage table\n%%EOF\n".utf8)

    func seed(today: LocalDate = ProjectService.today()) async throws {
        let db = database.database()
        let projects = try await ProjectModel.query(on: db).sort(\.$code).all()
        for (index, project) in projects.enumerated() {
            guard let officer = try await officer(of: project), let scope = officer.scope,
                let labour = try await ProjectUnitModel.query(on: db).filter(\.$projectID == project.uuid)
                    .filter(\.$participationType == "006").first()
            else { continue }
            try await registerCards(project: project, unit: labour, scope: scope, officer: officer, seed: index)
            if index == 0 {
                _ = try await wages.agreements.register(
                    .init(
                        unitID: labour.uuid.uuidString, principalName: labour.name, agentName: project.contractorName,
                        bankCode: "313", signedOn: project.startDate ?? today.description,
                        validFrom: project.startDate ?? today.description,
                        file: UploadedFile(fileName: "工资代发协议.pdf", contentType: "application/pdf", data: Self.scan)),
                    project: project.uuid, scope: scope, by: officer)
            }
            let account = try await WageAccountModel.query(on: db).filter(\.$projectID == project.uuid).first()
            let payer = PayoutService.Payer(officer)
            if let payouts, let account { try await payouts.openInSimulator(project, account: account, as: payer) }
            let current = PayMonth(containing: today)
            var funded = false
            for back in [3, 2, 1] {
                let month = current.nearAdding(months: -back)
                // No payroll for months before anyone of the unit could have worked.
                if let entered = labour.entryDate, month.lastDay.description < entered { continue }
                if back == 1, index == 0 {
                    try await mistypeCard(project: project, unit: labour, scope: scope, officer: officer)
                }
                let payroll = try await wages.payrolls.generate(
                    project: project.uuid, unitID: labour.uuid.uuidString, teamID: "", month: month.description,
                    scope: scope, by: officer)
                try await wages.payrolls.attachScan(
                    payroll: payroll.uuid, project: project.uuid,
                    file: UploadedFile(
                        fileName: "\(month)工资表（签字）.pdf", contentType: "application/pdf", data: Self.scan),
                    scope: scope, by: officer)
                let signed = try await wages.payrolls.payroll(
                    payroll.uuid, project: project.uuid, standing: .contractor)
                let review = try await wages.payrolls.review(signed, project: project)
                guard !review.lines.isEmpty, review.blocking.isEmpty else { continue }
                _ = try await wages.payrolls.submit(
                    payroll: payroll.uuid, project: project.uuid,
                    overrides: Dictionary(
                        uniqueKeysWithValues: review.overridable.map { ($0.overrideKey, Self.reason) }),
                    scope: scope, by: officer)
                if let payouts, let account {
                    try await pay(
                        payroll, month: month, project: project, account: account, payouts: payouts, as: payer,
                        transfer: index == 0 || !funded, rule: PayDayRule(day: project.payDay))
                    funded = true
                }
            }
        }
        try await answers()
        try await warnings?.run(trigger: .manual)
    }

    /// The builder's labour-cost transfer on the 5th of the following month (涪城's builder pays only
    /// once, a large sum, so its account runs without a monthly transfer), then the payment on the
    /// pay day, both dated in the past by the simulator's clock.
    private func pay(
        _ payroll: PayrollModel, month: PayMonth, project: ProjectModel, account: WageAccountModel,
        payouts: PayoutService, as payer: PayoutService.Payer, transfer: Bool, rule: PayDayRule
    ) async throws {
        let due = rule.dueDate(for: month)
        let today = ProjectService.today()
        if transfer {
            let lines = try await wages.payrolls.lines(of: payroll.uuid)
            let total = lines.map(\.dueFen).moneySum
            try await payouts.setSimulatorDate(min(month.nearAdding(months: 1).firstDay.nearAdding(days: 4), today))
            try await payouts.simulateLabourCost(
                project, account: account,
                amountFen: (total * (project.code.hasPrefix("5107") ? 4 : 11) / 10 / 100) * 100,
                on: nil, payerName: project.builderName ?? "建设单位", as: payer)
        }
        try await payouts.setSimulatorDate(min(due ?? today, today))
        do {
            if let submitted = try await PayrollModel.find(payroll.uuid, on: database.database()) {
                _ = try await payouts.pay(submitted, project: project, as: payer)
            }
        } catch {
            try await payouts.setSimulatorDate(nil)
            throw error
        }
        try await payouts.setSimulatorDate(nil)
    }

    /// The general contractor's labour officer, or its first account.
    private func officer(of project: ProjectModel) async throws -> AccountSnapshot? {
        let accounts = try await AccountModel.query(on: database.database())
            .filter(\.$enterprise.$id == project.contractorEnterpriseID).with(\.$enterprise).all()
        let chosen = accounts.first { $0.role == .labourOfficer } ?? accounts.first
        return chosen.map(AccountSnapshot.init)
    }

    /// A Luhn-valid 19-digit card per worker of the unit (6217 prefixes like a 借记卡).
    private func registerCards(
        project: ProjectModel, unit: ProjectUnitModel, scope: AccessScope, officer: AccountSnapshot, seed: Int
    ) async throws {
        let db = database.database()
        let entries = try await ProjectWorkerModel.query(on: db).filter(\.$unitID == unit.uuid).all()
        let workers = try await WorkerModel.query(on: db).filter(\.$id ~~ entries.map(\.workerID)).sort(\.$createdAt)
            .sort(\.$idNumberMasked).sort(\.$name).all()  // the same order on every run
        let existing = try await wages.cards.activeCards(of: workers.compactMap(\.id))
        for (offset, worker) in workers.enumerated() where existing[worker.uuid] == nil {
            let body = "621700\(String(format: "%02d", seed))\(String(format: "%010d", 3_000_000 + offset * 7919))"
            _ = try await wages.cards.register(
                .init(
                    bankCode: offset % 3 == 0 ? "105" : "402", bankName: offset % 3 == 0 ? "中国建设银行" : "四川省农村信用社",
                    holderName: worker.name, number: body + String(Self.luhnDigit(body))),
                worker: worker.uuid, project: project.uuid, scope: scope, by: officer)
        }
    }

    /// One worker on 锦江 changed cards last month and the number was mistyped (the check digit is
    /// wrong): the bank refuses the line and it stays unpaid until the card is fixed.
    private func mistypeCard(
        project: ProjectModel, unit: ProjectUnitModel, scope: AccessScope, officer: AccountSnapshot
    )
        async throws
    {
        let db = database.database()
        guard
            let entry = try await ProjectWorkerModel.query(on: db).filter(\.$unitID == unit.uuid)
                .filter(\.$status == "active").filter(\.$isTeamLeader == false).sort(\.$entryDate)
                .sort(\.$createdAt).first(),
            let worker = try await WorkerModel.find(entry.workerID, on: db), worker.name != "张建国"
        else { return }
        let body = "621700990000123456"
        _ = try await wages.cards.register(
            .init(
                bankCode: "402", bankName: "四川省农村信用社", holderName: worker.name,
                number: body + String((Self.luhnDigit(body) + 1) % 10)),
            worker: worker.uuid, project: project.uuid, scope: scope, by: officer)
    }

    /// 张建国 confirms his paid months on the phone.
    private func answers() async throws {
        let db = database.database()
        guard let zhang = try await WorkerModel.query(on: db).filter(\.$name == "张建国").first(),
            let account = try await AccountModel.query(on: db).filter(\.$worker.$id == zhang.uuid).first()
        else { return }
        // The newest month is left for him to answer.
        for entry in try await wages.workerWages.entries(of: zhang.uuid).dropFirst() where entry.line.status == "paid" {
            _ = try await wages.workerWages.respond(
                line: entry.line.uuid, confirm: true, text: "", worker: zhang.uuid, by: AccountSnapshot(account))
        }
    }

    static func luhnDigit(_ body: String) -> Int {
        var sum = 0
        for (index, character) in body.reversed().enumerated() {
            var digit = Int(String(character))!
            if index % 2 == 0 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return (10 - sum % 10) % 10
    }
}
