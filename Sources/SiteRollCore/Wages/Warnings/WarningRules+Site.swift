import Foundation

/// The rules about who is on site: real-name, contract and training before work (WW-08), retraining
/// after a long absence (WW-09), the regional age policy (WW-13) and managers' attendance (WW-14).
extension RuleContext {
    var activeEntries: [WarningFacts.Entry] {
        (index.entriesByProject[project.id] ?? []).filter { $0.entryDate <= today }
    }

    func trainings(of worker: UUID) -> [LocalDate] { (facts.safetyTrainings[worker] ?? []).sorted() }

    /// WW-08 (R2, W9): on site without real-name verification, without a contract with the
    /// employing unit covering today, or without basic safety training valid at entry.
    func onSiteUnqualified() -> [WarningFinding] {
        guard project.isUnderConstruction else { return [] }
        return activeEntries.compactMap { entry -> WarningFinding? in
            guard let worker = facts.workers[entry.workerID] else { return nil }
            let contracts = (facts.contracts[project.id]?[entry.workerID] ?? []).filter { $0.unitID == entry.unitID }
            let hasContract = contracts.contains {
                SiteEntryRules.contract(from: $0.startsOn, to: $0.endsOn, covers: today)
            }
            let earliest = entry.entryDate.adding(days: -policy.safetyTrainingValidityDays)
            let trained = trainings(of: entry.workerID)
            // An entry date so early that the window starts before the calendar: any training counts.
            let hasTraining = trained.contains { day in earliest.map { day >= $0 } ?? true && day <= today }
            let refusals = SiteEntryRules.refusals(
                SiteEntryFacts(
                    isVerified: worker.isVerified, isRestricted: false, hasValidContract: hasContract,
                    hasSafetyTraining: hasTraining, hasActiveEntry: false),
                date: today, today: today)
            guard !refusals.isEmpty else { return nil }
            var lacks: [String] = []
            var evidence = [
                WarningEvidence("工人", worker.label), WarningEvidence("进场日期", entry.entryDate.description),
                WarningEvidence("用工单位", facts.units[entry.unitID]?.name ?? ""),
            ]
            for refusal in refusals {
                switch refusal {
                case .notVerified:
                    lacks.append("未通过实名核验")
                    evidence.append(WarningEvidence("实名核验", "未通过", ref: refusal.code))
                case .noContract:
                    lacks.append("没有与用工单位签订、覆盖今天的劳动合同")
                    let text =
                        contracts.isEmpty
                        ? "无"
                        : contracts.map { "\($0.startsOn) 至 \($0.endsOn?.description ?? "完成一定工作为止")" }.joined(
                            separator: "；")
                    evidence.append(WarningEvidence("劳动合同", text, ref: refusal.code))
                case .noSafetyTraining:
                    lacks.append("没有进场前 \(policy.safetyTrainingValidityDays) 天内的基本安全培训记录")
                    let text = trained.isEmpty ? "无" : trained.map(\.description).joined(separator: "、")
                    evidence.append(WarningEvidence("安全教育/入场教育", text, ref: refusal.code))
                default:
                    continue
                }
            }
            guard !lacks.isEmpty else { return nil }
            return finding(
                .ww08, .worker(entry.workerID, project: project.id, label: worker.name), unit: entry.unitID,
                enterprise: project.contractorEnterpriseID, worker: entry.workerID,
                addressee: employerLabel(entry.unitID),
                summary: "\(worker.name)自 \(entry.entryDate) 在\(project.name)现场作业，但\(lacks.joined(separator: "，"))。",
                evidence: evidence, due: entry.entryDate)
        }
    }

    /// WW-09 (R6): an entry after `inactivityDays` without any activity, and no basic safety
    /// training since that activity.
    func inactiveReentry() -> [WarningFinding] {
        activeEntries.compactMap { entry -> WarningFinding? in
            guard let prior = facts.priorActivity[entry.id], let worker = facts.workers[entry.workerID] else {
                return nil
            }
            let gap = prior.on.days(until: entry.entryDate)
            guard gap >= policy.inactivityDays else { return nil }
            let trained = trainings(of: entry.workerID)
            guard !trained.contains(where: { $0 > prior.on && $0 <= today }) else { return nil }
            return finding(
                .ww09, .entry(entry.id, label: "\(worker.name) · \(entry.entryDate) 进场"), unit: entry.unitID,
                enterprise: facts.units[entry.unitID]?.enterpriseID, worker: entry.workerID,
                addressee: employerLabel(entry.unitID),
                summary:
                    "\(worker.name)此前最后一次从业记录为 \(prior.on)（\(prior.source)），间隔 \(gap) 天后于 \(entry.entryDate) 进入\(project.name)，超过 \(policy.inactivityDays) 天，但之后没有重新进行基本安全培训的记录。",
                evidence: [
                    WarningEvidence("工人", worker.label),
                    WarningEvidence("此前最后从业记录", prior.on.description, ref: prior.source),
                    WarningEvidence("本次进场日期", entry.entryDate.description), WarningEvidence("间隔", "\(gap) 天"),
                    WarningEvidence(
                        "安全教育/入场教育", trained.isEmpty ? "无" : trained.map(\.description).joined(separator: "、")),
                ], due: entry.entryDate)
        }
    }

    /// WW-13 (d.4): the worker's age today is outside the policy of the project's division, or
    /// needs a health certificate the platform has no record of.
    func ageOutsidePolicy() -> [WarningFinding] {
        guard let division = DivisionCode(project.divisionCode) else { return [] }
        let agePolicy = evaluator.agePolicies.policy(for: division)
        var seen: Set<UUID> = []
        return activeEntries.compactMap { entry -> WarningFinding? in
            guard seen.insert(entry.workerID).inserted, let worker = facts.workers[entry.workerID],
                let birth = worker.birthDate
            else { return nil }
            let age = birth.age(on: today)
            let problem: String
            let severity: WarningSeverity
            switch agePolicy.evaluate(birthDate: birth, on: today) {
            case .refused(let refusal):
                problem = refusal.chineseMessage
                severity = .high
            case .accepted(let warnings):
                guard policy.healthCertificateWarnings, let warning = warnings.first else { return nil }
                problem = warning.chineseMessage + "，平台尚无其健康证明记录"
                severity = .medium
            }
            let limits =
                "不满 \(agePolicy.minimumAge) 周岁不得招用；超过 \(agePolicy.healthCertificateAge) 周岁须提供健康证明"
                + (agePolicy.maximumAge.map { "；超过 \($0) 周岁不得从事施工作业" } ?? "")
            return finding(
                .ww13, .worker(entry.workerID, project: project.id, label: worker.name), unit: entry.unitID,
                enterprise: facts.units[entry.unitID]?.enterpriseID, worker: entry.workerID,
                addressee: employerLabel(entry.unitID), severity: severity,
                summary: "\(worker.name)今年 \(age) 周岁，在\(project.name)在场作业：\(problem)。",
                evidence: [
                    WarningEvidence("工人", worker.label), WarningEvidence("出生日期", birth.description),
                    WarningEvidence("年龄", "\(age) 周岁"), WarningEvidence("本地区年龄规定", limits),
                ], due: nil)
        }
    }

    /// WW-14 (d.3, Chengdu 2021): a manager (work role 10) without counted attendance on
    /// `managerAbsenceDays` consecutive working days up to yesterday. The platform records no
    /// leave yet, so every working day without attendance counts as an absence without leave.
    func managerAbsent() -> [WarningFinding] {
        guard project.isUnderConstruction else { return [] }
        let rule = PayDayRule(holidays: evaluator.holidays, workingWeekendDays: evaluator.workingWeekendDays)
        guard let yesterday = today.adding(days: -1), let horizon = yesterday.adding(days: -120) else { return [] }
        return activeEntries.filter(\.isManager).compactMap { entry -> WarningFinding? in
            let days = facts.managerDays[entry.id] ?? []
            var missed: [LocalDate] = []
            var day = yesterday
            // Back from yesterday to the last day with attendance, at most 120 days: the threshold
            // is a matter of days, and the entry date bounds it anyway.
            while day >= entry.entryDate, day > horizon, !days.contains(day) {
                if rule.isWorkingDay(day) { missed.append(day) }
                guard let earlier = day.adding(days: -1) else { break }
                day = earlier
            }
            guard missed.count >= policy.managerAbsenceDays, let firstMissed = missed.last,
                let worker = facts.workers[entry.workerID]
            else { return nil }
            let last = days.filter { $0 < today }.max()
            return finding(
                .ww14, .worker(entry.workerID, project: project.id, label: "\(worker.name)（管理人员）"), unit: entry.unitID,
                enterprise: project.contractorEnterpriseID, worker: entry.workerID,
                addressee: employerLabel(entry.unitID),
                summary:
                    "管理人员\(worker.name)自 \(firstMissed) 起在\(project.name)连续 \(missed.count) 个工作日没有考勤记录（阈值 \(policy.managerAbsenceDays) 个工作日；平台尚未登记请假，按未请假计）。",
                evidence: [
                    WarningEvidence("管理人员", worker.label),
                    WarningEvidence("最近一次考勤", last?.description ?? "进场后无考勤记录"),
                    WarningEvidence("缺勤工作日", "\(firstMissed) 至 \(yesterday)，共 \(missed.count) 个工作日"),
                    WarningEvidence("请假记录", "平台尚未登记请假"),
                ], due: nil)
        }
    }
}
