import Foundation

/// The rules about paying the workers: the month's payroll by the pay day (WW-04), a line for
/// everyone who worked (WW-05), paid in full (WW-06), to the worker's own card (WW-07).
extension RuleContext {
    var projectAttendance: [WarningFacts.AttendanceMonth] { index.attendanceByProject[project.id] ?? [] }
    var projectLines: [WarningFacts.Line] { index.linesByProject[project.id] ?? [] }

    /// WW-04 (W2, W3, d.3): for each unit with attendance or a payroll in a month whose pay day has
    /// passed: no submitted payroll, or a submitted one not paid in full.
    func payrollLate() -> [WarningFinding] {
        var findings: [WarningFinding] = []
        let attendanceByUnitMonth = Dictionary(grouping: projectAttendance) { "\($0.unitID)|\($0.month)" }
        let linesByPayroll = Dictionary(grouping: projectLines.filter { !$0.isBackPay }, by: \.payrollID)
        for (month, due) in evaluator.closedMonths(for: project, policy: policy, today: today) {
            for unit in units.sorted(by: { $0.name < $1.name }) {
                let attended = attendanceByUnitMonth["\(unit.id)|\(month)"] ?? []
                let payrolls = index.payrolls(unit: unit.id, month: month)
                guard !attended.isEmpty || !payrolls.isEmpty else { continue }
                let submitted = payrolls.filter(\.isSubmitted)
                let subject = WarningSubject.unitMonth(
                    unit.id, month: month, label: "\(project.name) · \(unit.name) · \(month.chinese)工资")
                let dueText = "应在 \(due) 前支付\(month.chinese)工资"
                var evidence = [
                    WarningEvidence("工资月份", month.chinese), WarningEvidence("应支付日期", due.description),
                    WarningEvidence(
                        "当月有考勤的工人",
                        "\(Set(attended.map(\.workerID)).count) 人，合计出勤 \(attended.reduce(0) { $0 + $1.days }) 天"),
                ]
                if submitted.isEmpty {
                    evidence.append(
                        WarningEvidence(
                            "工资表", payrolls.isEmpty ? "未编制" : "草稿未提交",
                            ref: payrolls.map(\.code).sorted().joined(separator: "、")))
                    findings.append(
                        finding(
                            .ww04, subject, unit: unit.id, enterprise: project.contractorEnterpriseID,
                            addressee: employerLabel(unit.id),
                            summary:
                                "\(unit.name)在\(project.name)\(dueText)，至今\(payrolls.isEmpty ? "未编制" : "未提交")\(month.chinese)的工资表（当月有 \(Set(attended.map(\.workerID)).count) 名工人出勤）。",
                            evidence: evidence, due: due))
                    continue
                }
                let lines = submitted.flatMap { linesByPayroll[$0.id] ?? [] }
                let short = lines.filter { $0.paidFen < $0.dueFen }
                guard !short.isEmpty else { continue }
                let owed = Money.sum(short.map { Money.difference($0.dueFen, $0.paidFen) })
                evidence.append(
                    WarningEvidence(
                        "工资表",
                        submitted.map { "\($0.code)（\(Self.payrollStatus($0.status))）" }.sorted().joined(separator: "、")
                    ))
                evidence.append(
                    WarningEvidence(
                        "应发合计", Self.yuan(Money.sum(lines.map(\.dueFen))) + "，\(lines.count) 人"))
                evidence += short.sorted { workerName($0.workerID) < workerName($1.workerID) }.map { line in
                    WarningEvidence(
                        "未足额：\(workerLabel(line.workerID))",
                        "应发 \(Self.yuan(line.dueFen))，实发 \(Self.yuan(line.paidFen))"
                            + (line.failureReason.map { "，银行退回：\($0)" } ?? ""))
                }
                findings.append(
                    finding(
                        .ww04, subject, unit: unit.id, enterprise: project.contractorEnterpriseID,
                        addressee: employerLabel(unit.id),
                        summary:
                            "\(unit.name)在\(project.name)\(dueText)，至今仍有 \(short.count) 名工人未足额发放，共欠 \(Self.yuan(owed))。",
                        evidence: evidence, due: due))
            }
        }
        return findings
    }

    static func payrollStatus(_ status: String) -> String {
        ["draft": "草稿", "submitted": "已提交", "paying": "代发中", "paid": "已发放", "partly_paid": "部分发放"][status] ?? status
    }

    /// WW-05 (W2, W12): a worker with counted attendance in a closed month and no line on any
    /// submitted payroll of the project for that month.
    func attendanceWithoutLine() -> [WarningFinding] {
        let closed = evaluator.closedMonths(for: project, policy: policy, today: today)
        let dueByMonth = Dictionary(uniqueKeysWithValues: closed)
        let paidKeys = Set(projectLines.map { "\($0.workerID)|\($0.settlesMonth)" })
        let grouped = Dictionary(grouping: projectAttendance.filter { dueByMonth[$0.month] != nil }) {
            "\($0.workerID)|\($0.month)"
        }
        return grouped.compactMap { key, rows -> WarningFinding? in
            guard !paidKeys.contains(key), let first = rows.first, let due = dueByMonth[first.month] else { return nil }
            let days = rows.reduce(0) { $0 + $1.days }
            let name = workerName(first.workerID)
            let unitNames = rows.compactMap { facts.units[$0.unitID]?.name }.sorted().joined(separator: "、")
            return finding(
                .ww05,
                .worker(
                    first.workerID, project: project.id, month: first.month, label: "\(name) · \(first.month.chinese)"),
                unit: first.unitID, enterprise: facts.units[first.unitID]?.enterpriseID, worker: first.workerID,
                addressee: employerLabel(first.unitID),
                summary:
                    "\(name)在\(project.name)\(first.month.chinese)出勤 \(days) 天，但到应支付日 \(due) 仍没有该月的工资记录。",
                evidence: [
                    WarningEvidence("工人", workerLabel(first.workerID)), WarningEvidence("工资月份", first.month.chinese),
                    WarningEvidence("出勤天数", "\(days) 天", ref: unitNames), WarningEvidence("应支付日期", due.description),
                    WarningEvidence("工资记录", "无（已提交的工资表中没有该工人）"),
                ], due: due)
        }
    }

    /// WW-06 (W2): what the bank paid for a worker's month (including later back pay for it) is
    /// less than the amount due on the submitted payroll.
    func paidShort() -> [WarningFinding] {
        let closed = Dictionary(
            uniqueKeysWithValues: evaluator.closedMonths(for: project, policy: policy, today: today))
        let grouped = Dictionary(grouping: projectLines) { "\($0.workerID)|\($0.settlesMonth)" }
        return grouped.compactMap { _, lines -> WarningFinding? in
            let regular = lines.filter { !$0.isBackPay }
            guard let first = regular.first, let due = closed[first.month] else { return nil }
            let dueFen = Money.sum(regular.map(\.dueFen))
            let paidFen = Money.sum(lines.map(\.paidFen))
            guard paidFen < dueFen else { return nil }
            let name = workerName(first.workerID)
            var evidence = [
                WarningEvidence("工人", workerLabel(first.workerID)), WarningEvidence("工资月份", first.month.chinese),
            ]
            evidence += lines.sorted { ($0.isBackPay ? 1 : 0, $0.month) < ($1.isBackPay ? 1 : 0, $1.month) }.map {
                line in
                WarningEvidence(
                    line.isBackPay ? "补发（\(line.month.chinese)工资表）" : "工资明细",
                    "应发 \(Self.yuan(line.dueFen))，实发 \(Self.yuan(line.paidFen))"
                        + (line.paidOn.map { "，\($0) 到账" } ?? "")
                        + (line.status == "failed" ? "，银行退回：\(line.failureReason ?? "原因未说明")" : ""),
                    ref: index.payrollCodes[line.payrollID])
            }
            evidence += [
                WarningEvidence("尚欠", Self.yuan(Money.difference(dueFen, paidFen))),
                WarningEvidence("应支付日期", due.description),
            ]
            return finding(
                .ww06,
                .worker(
                    first.workerID, project: project.id, month: first.month, label: "\(name) · \(first.month.chinese)"),
                unit: first.unitID, enterprise: facts.units[first.unitID]?.enterpriseID, worker: first.workerID,
                addressee: employerLabel(first.unitID),
                summary:
                    "\(name)在\(project.name)\(first.month.chinese)应发工资 \(Self.yuan(dueFen))，到应支付日 \(due) 后实发 \(Self.yuan(paidFen))，尚欠 \(Self.yuan(Money.difference(dueFen, paidFen)))。",
                evidence: evidence, due: due)
        }
    }

    /// WW-07 (W1, W12): the worker's card is held in another name, or the same card is registered
    /// for several workers, or a line of this project was paid to a card that is not the worker's.
    func cardNotOwn() -> [WarningFinding] {
        let entries = index.entriesByProject[project.id] ?? []
        let linesByWorker = Dictionary(grouping: projectLines, by: \.workerID)
        var workers = Set(entries.map(\.workerID))
        workers.formUnion(linesByWorker.keys)
        let unitOf = Dictionary(entries.map { ($0.workerID, $0.unitID) }, uniquingKeysWith: { a, _ in a })
        // In id order (stable words run to run); each id spelled once, not once per comparison.
        let ordered = workers.map { ($0, $0.uuidString) }.sorted { $0.1 < $1.1 }.map(\.0)
        return ordered.compactMap { workerID -> WarningFinding? in
            guard let worker = facts.workers[workerID] else { return nil }
            var problems: [String] = []
            var evidence = [WarningEvidence("工人", worker.label)]
            for card in (index.activeCardsByWorker[workerID] ?? []).sorted(by: { $0.masked < $1.masked }) {
                if card.holderName.trimmingCharacters(in: .whitespaces) != worker.name {
                    problems.append("工资卡 \(card.masked) 的户名为“\(card.holderName)”，不是本人")
                    evidence.append(WarningEvidence("户名不符", "\(card.masked) 户名“\(card.holderName)”"))
                }
                if let holders = facts.sharedCards[card.numberHash] {
                    let others = holders.filter { $0.id != workerID }.map(\.label)
                    if !others.isEmpty {
                        problems.append("工资卡 \(card.masked) 同时登记给了 \(others.joined(separator: "、"))")
                        evidence.append(WarningEvidence("多人共用", "\(card.masked) 另有：\(others.joined(separator: "、"))"))
                    }
                }
            }
            for line in (linesByWorker[workerID] ?? []).sorted(by: { $0.month < $1.month }) {
                guard let cardID = line.cardID, let card = facts.cards[cardID], card.workerID != workerID else {
                    continue
                }
                let owner = facts.workers[card.workerID]?.label ?? card.holderName
                problems.append("\(line.month.chinese)工资发到了\(owner)的卡 \(card.masked)")
                evidence.append(WarningEvidence("\(line.month.chinese)工资收款卡", "\(card.masked)，属于\(owner)"))
            }
            guard !problems.isEmpty else { return nil }
            let unit = unitOf[workerID] ?? linesByWorker[workerID]?.first?.unitID
            return finding(
                .ww07, .worker(workerID, project: project.id, label: worker.name), unit: unit,
                enterprise: unit.flatMap { facts.units[$0]?.enterpriseID }, worker: workerID,
                addressee: employerLabel(unit),
                summary: "\(worker.name)在\(project.name)的工资收款卡不合规：\(problems.joined(separator: "；"))。工资须发到本人名下、本人持有的卡。",
                evidence: evidence, due: nil)
        }
    }
}
