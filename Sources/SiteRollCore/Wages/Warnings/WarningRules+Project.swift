import Foundation

/// The rules about a project's money and set-up: the dedicated account (WW-01), the builder's
/// labour-cost transfers (WW-02, WW-03), the labour officer (WW-10), the rights board (WW-11)
/// and the wage guarantee (WW-12).
extension RuleContext {
    var subject: WarningSubject { .project(project.id, label: project.name) }

    /// WW-01 (W7): no dedicated account `accountDays` after the construction contract.
    func accountMissing() -> [WarningFinding] {
        guard facts.accounts[project.id] == nil else { return [] }
        let counted: (LocalDate, String)? =
            project.contractSignedOn.map { ($0, "施工合同签订日期") }
            ?? project.startDate.map { ($0, "开工日期（未登记施工合同签订日期）") }
        guard let counted else { return [] }
        let (from, label) = counted
        // A date beyond the calendar (a typing error stored earlier) is never due.
        guard let due = from.adding(days: policy.accountDays), today > due else { return [] }
        return [
            finding(
                .ww01, subject, enterprise: project.contractorEnterpriseID, addressee: contractorLabel,
                summary:
                    "\(project.name)的\(label)为 \(from)，应在 \(policy.accountDays) 天内即 \(due) 前开设农民工工资专用账户，至今未在平台登记专用账户。",
                evidence: [
                    WarningEvidence(label, from.description), WarningEvidence("开户期限", "\(policy.accountDays) 天"),
                    WarningEvidence("应开户日期", due.description), WarningEvidence("农民工工资专用账户", "未登记"),
                ], due: due)
        ]
    }

    var projectTransfers: [WarningFacts.Transfer] {
        (facts.transfers[project.id] ?? []).filter { $0.on <= today }.sorted { $0.on < $1.on }
    }

    /// WW-02 (W6, d.3): no labour-cost transfer within `transferMonths` of the previous one, or of
    /// the start when there has been none. The key carries the date counted from, so a new
    /// transfer resolves the warning and a later gap raises a new one.
    func transferOverdue() -> [WarningFinding] {
        guard project.isUnderConstruction, let account = facts.accounts[project.id] else { return [] }
        let transfers = projectTransfers
        let last = transfers.last
        let base = last?.on ?? project.startDate ?? account.openedOn ?? project.registeredOn
        guard let due = base.adding(months: policy.transferMonths), today > due else { return [] }
        let summary =
            if let last {
                "\(project.name)的专用账户最近一次收到人工费用是 \(last.on)（\(Self.yuan(last.amountFen))），按不超过 \(policy.transferMonths) 个月的拨付周期应在 \(due) 前再次拨付，至今未收到。"
            } else {
                "\(project.name)自 \(base) 开工以来，专用账户从未收到建设单位拨付的人工费用，按不超过 \(policy.transferMonths) 个月的拨付周期应在 \(due) 前拨付。"
            }
        var evidence = transfers.suffix(3).map {
            WarningEvidence("人工费用拨付 \($0.on)", Self.yuan($0.amountFen), ref: $0.counterparty)
        }
        if last == nil { evidence.append(WarningEvidence("开工日期", base.description)) }
        evidence += [
            WarningEvidence("专用账户", account.masked), WarningEvidence("拨付周期", "不超过 \(policy.transferMonths) 个月"),
            WarningEvidence("应拨付日期", due.description),
        ]
        return [
            finding(
                .ww02, .project(project.id, label: project.name, suffix: "since:\(base)"), enterprise: nil,
                addressee: "建设单位：\(project.builderName ?? "（未登记）")", summary: summary, evidence: evidence, due: due)
        ]
    }

    /// WW-03 (d.3) [I]: cumulative labour-cost transfers below `transferRatioPercent` of the wages
    /// due for every month whose pay day has passed. The platform has no progress-payment figures,
    /// so the wages actually due (submitted payrolls) are the base: the builder's transfers must
    /// at least carry the wages they exist for.
    func transferShort() -> [WarningFinding] {
        guard let account = facts.accounts[project.id] else { return [] }
        let rule = evaluator.payDayRule(for: project, policy: policy)
        let months = (facts.monthlyDue[project.id] ?? [:])
            .filter { month in
                guard let late = rule.dueDate(for: month.key)?.adding(days: policy.graceDays) else { return false }
                return today > late && month.value > 0
            }
            .sorted { $0.key < $1.key }
        guard let first = months.first, let last = months.last else { return [] }
        let due = Money.sum(months.map(\.value))
        let transfers = projectTransfers
        let transferred = Money.sum(transfers.map(\.amountFen))
        let required = Money.percent(due, policy.transferRatioPercent)
        guard transferred < required else { return [] }
        let percent = due > 0 ? Money.percent(transferred, 10_000) / due : 0
        let span = first.key == last.key ? first.key.chinese : "\(first.key.chinese)至\(last.key.chinese)"
        var evidence = months.map { WarningEvidence("\($0.key.chinese)应发工资", Self.yuan($0.value)) }
        evidence += transfers.map { WarningEvidence("人工费用拨付 \($0.on)", Self.yuan($0.amountFen), ref: $0.counterparty) }
        evidence += [
            WarningEvidence("累计应发工资", Self.yuan(due)), WarningEvidence("累计拨付人工费用", Self.yuan(transferred)),
            WarningEvidence("拨付比例", "\(percent)%（规定不低于 \(policy.transferRatioPercent)%）"),
            WarningEvidence("差额", Self.yuan(Money.difference(required, transferred))),
            WarningEvidence("专用账户", account.masked),
        ]
        return [
            finding(
                .ww03, subject, enterprise: nil, addressee: "建设单位：\(project.builderName ?? "（未登记）")",
                summary:
                    "\(project.name)累计拨付人工费用 \(Self.yuan(transferred))，为\(span)已到支付日的应发工资 \(Self.yuan(due)) 的 \(percent)%，低于规定的 \(policy.transferRatioPercent)%，差额 \(Self.yuan(Money.difference(required, transferred)))。",
                evidence: evidence, due: rule.dueDate(for: last.key))
        ]
    }

    var appointmentsToday: [WarningFacts.Appointment] { facts.appointments[project.id] ?? [] }

    /// The set-up deadline of WW-10 to WW-12; nil while it has not passed.
    var setupDue: LocalDate? {
        guard let due = project.start.adding(days: policy.setupDays) else { return nil }
        return project.isUnderConstruction && today > due ? due : nil
    }

    /// WW-10 (W9): no 劳资专管员 appointed `setupDays` after the start.
    func labourOfficerMissing() -> [WarningFinding] {
        guard let due = setupDue, !appointmentsToday.contains(where: { $0.role == "labour" }) else { return [] }
        let roles = Set(appointmentsToday.map(\.role)).sorted().compactMap { CodeTable.managerRoles.name(of: $0) }
        return [
            finding(
                .ww10, subject, enterprise: project.contractorEnterpriseID, addressee: contractorLabel,
                summary: "\(project.name)自 \(project.start) 开工已超过 \(policy.setupDays) 天，项目部仍未任命劳资专管员。",
                evidence: [
                    WarningEvidence("开工日期", project.start.description),
                    WarningEvidence("已任命的管理岗位", roles.isEmpty ? "无" : roles.joined(separator: "、")),
                    WarningEvidence("劳资专管员", "未任命"),
                ], due: due)
        ]
    }

    /// WW-11 (W15): the rights board lacks items (the same list the board page shows).
    func boardIncomplete() -> [WarningFinding] {
        guard let due = setupDue else { return [] }
        let contractorUnits = Set(units.filter(\.isGeneralContractor).map(\.id))
        let missing = RightsBoardCheck.missing(
            builderName: project.builderName,
            hasContractorManager: appointmentsToday.contains { $0.role == "pm" && contractorUnits.contains($0.unitID) },
            hasLabourOfficer: appointmentsToday.contains { $0.role == "labour" },
            authorityPhone: project.authorityPhone, hasAccount: facts.accounts[project.id] != nil,
            minimumWageKnown: facts.minimumWageKnown[project.divisionCode] ?? false)
        guard !missing.isEmpty else { return [] }
        return [
            finding(
                .ww11, subject, enterprise: project.contractorEnterpriseID, addressee: contractorLabel,
                summary: "\(project.name)的维权信息告示牌缺少 \(missing.count) 项信息：\(missing.joined(separator: "、"))。",
                evidence: missing.map { WarningEvidence("缺少", $0) }, due: due)
        ]
    }

    /// WW-12 (W13): no wage guarantee in force today.
    func guaranteeMissing() -> [WarningFinding] {
        guard policy.guaranteeRequired, let due = setupDue else { return [] }
        let guarantees = (facts.guarantees[project.id] ?? []).sorted { $0.validUntil < $1.validUntil }
        guard !guarantees.contains(where: { $0.validFrom <= today && today <= $0.validUntil }) else { return [] }
        let latest = guarantees.last(where: { $0.validUntil < today })
        let summary =
            if let latest {
                "\(project.name)的工资保证金已于 \(latest.validUntil) 到期，目前没有在有效期内的工资保证金或保函。"
            } else {
                "\(project.name)自 \(project.start) 开工已超过 \(policy.setupDays) 天，仍未登记工资保证金或保函。"
            }
        let evidence =
            guarantees.isEmpty
            ? [WarningEvidence("工资保证金", "未登记")]
            : guarantees.map {
                WarningEvidence("工资保证金 \(Self.yuan($0.amountFen))", "\($0.validFrom) 至 \($0.validUntil)")
            }
        return [
            finding(
                .ww12, subject, enterprise: project.contractorEnterpriseID, addressee: contractorLabel,
                summary: summary, evidence: evidence, due: latest?.validUntil ?? due)
        ]
    }
}

/// What the rights notice board (W15) needs and a project may lack. The board page and WW-11 list
/// the same items in the same words.
public enum RightsBoardCheck {
    public static func missing(
        builderName: String?, hasContractorManager: Bool, hasLabourOfficer: Bool, authorityPhone: String?,
        hasAccount: Bool, minimumWageKnown: Bool
    ) -> [String] {
        var missing: [String] = []
        if builderName == nil { missing.append("建设单位名称") }
        if !hasContractorManager { missing.append("总承包单位项目负责人") }
        if !hasLabourOfficer { missing.append("劳资专管员") }
        if authorityPhone == nil { missing.append("主管部门投诉电话") }
        if !hasAccount { missing.append("农民工工资专用账户") }
        if !minimumWageKnown { missing.append("当地最低工资标准（平台配置）") }
        return missing
    }
}
