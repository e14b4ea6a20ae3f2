import FluentKit
import Foundation
import Logging
import SiteRollCore
import SiteRollStore
import Synchronization

/// Wage-payment warnings (G4, issue 6 item 6): a run gathers facts in batches of projects,
/// evaluates the catalogue (`WarningEvaluator`) and reconciles the findings with the stored
/// warnings — new ones open, present ones stay as people left them, gone ones resolve themselves,
/// resolved ones that recur reopen. People acknowledge and dismiss through the same service on
/// every surface; each of those is audited.
package struct WarningService: Sendable {
    let database: DatabaseService
    let facts: WarningFactStore
    let evaluator: WarningEvaluator
    /// Where run events are filed in the audit trail.
    let platformDivision: DivisionCode
    /// A running run older than this is taken to have died with its process.
    let lease: TimeInterval
    let logger: Logger
    package var batchSize = 200
    let audit = AuditTrail()
    /// One run at a time in this process; `claim` makes it one at a time across processes.
    let gate = RunGate()

    final class RunGate: Sendable {
        let busy = Mutex(false)

        func enter() -> Bool {
            busy.withLock {
                if $0 {
                    return false
                } else {
                    $0 = true
                    return true
                }
            }
        }
        func leave() { busy.withLock { $0 = false } }
    }

    package enum Trigger: String, Sendable {
        case schedule
        case manual

        var chineseName: String { self == .schedule ? "定时" : "手动" }
    }

    /// What one run did.
    package struct Outcome: Sendable {
        var runID: UUID?
        /// Another run held the lease (or the schedule was not yet due): nothing was evaluated.
        var skipped: String?
        var projects = 0
        package var opened = 0
        var reopened = 0
        package var resolved = 0
        package var rewritten = 0
        var stillOpen = 0
        package var findingsByRule: [WarningRuleID: Int] = [:]
        var seconds = 0.0
        /// Where the time went: reading facts, evaluating, writing warnings.
        package var gatherSeconds = 0.0
        package var evaluateSeconds = 0.0
        package var reconcileSeconds = 0.0

        var notice: String {
            if let skipped { return skipped }
            return "预警运行完成：评估 \(projects) 个项目，新增 \(opened) 条，重新出现 \(reopened) 条，自动解除 \(resolved) 条，当前存在 \(stillOpen) 条"
        }
    }

    package static func today(_ now: Date = ServerClock.now()) -> LocalDate {
        LocalDate.today(in: ChineseFormat.timeZone, now: now)
    }

    package static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Runs every rule over every project. `minimumGap` (the schedule) skips the run when another
    /// started within it, so several processes on one schedule run it once.
    @discardableResult
    package func run(
        trigger: Trigger, by account: AccountSnapshot? = nil, minimumGap: TimeInterval? = nil,
        now: Date = ServerClock.now()
    )
        async throws -> Outcome
    {
        guard gate.enter() else { return Outcome(skipped: "本进程正在运行预警，请稍后查看结果") }
        defer { gate.leave() }
        guard let run = try await claim(trigger: trigger, by: account?.id, minimumGap: minimumGap, now: now) else {
            return Outcome(skipped: "另一个预警运行正在进行或刚刚完成，本次未重复运行")
        }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            var outcome = try await evaluateAll(run: run, now: now)
            outcome.runID = run.id
            outcome.seconds = Self.seconds(clock.now - started)
            try await finish(run, outcome: outcome, trigger: trigger, by: account)
            return outcome
        } catch {
            run.status = "failed"
            run.finishedAt = ServerClock.now()
            run.message = "运行失败：\(String(describing: error).prefix(300))"
            try? await run.update(on: database.database())
            logger.error("warning run failed", metadata: ["error": "\(error)"])
            throw AppError(.serviceUnavailable, code: "WARNING_RUN_FAILED", message: "预警运行失败，已记录错误，请稍后重试")
        }
    }

    private func evaluateAll(run: WarningRunModel, now: Date) async throws -> Outcome {
        let today = Self.today(now)
        let firstMonth = evaluator.firstMonth(today: today)
        let projects = try await facts.projects()
        let shared = try await facts.sharedCards()
        var outcome = Outcome()
        for start in stride(from: 0, to: projects.count, by: batchSize) {
            let batch = Array(projects[start..<min(start + batchSize, projects.count)])
            let clock = ContinuousClock()
            let began = clock.now
            let gathered = try await facts.facts(for: batch, today: today, firstMonth: firstMonth, sharedCards: shared)
            let gatheredAt = clock.now
            let findings = evaluator.evaluate(gathered)
            let evaluatedAt = clock.now
            let changes = try await reconcile(findings, projects: batch, today: today, now: now)
            outcome.gatherSeconds += Self.seconds(gatheredAt - began)
            outcome.evaluateSeconds += Self.seconds(evaluatedAt - gatheredAt)
            outcome.reconcileSeconds += Self.seconds(clock.now - evaluatedAt)
            outcome.projects += batch.count
            outcome.opened += changes.opened
            outcome.reopened += changes.reopened
            outcome.resolved += changes.resolved
            outcome.rewritten += changes.rewritten
            outcome.stillOpen += findings.count
            for finding in findings { outcome.findingsByRule[finding.rule, default: 0] += 1 }
            run.projects = outcome.projects
            run.message = "已评估 \(outcome.projects)/\(projects.count) 个项目"
            try await run.update(on: database.database())
        }
        return outcome
    }

    private func finish(_ run: WarningRunModel, outcome: Outcome, trigger: Trigger, by account: AccountSnapshot?)
        async throws
    {
        run.status = "finished"
        run.finishedAt = ServerClock.now()
        run.opened = outcome.opened + outcome.reopened
        run.resolved = outcome.resolved
        run.stillOpen = outcome.stillOpen
        run.message = outcome.notice
        try await audit.write(on: database.database(), actor: account?.auditActor ?? .system) { tx in
            try await run.update(on: tx)
            return (
                (),
                AuditDraft(
                    action: "warning.run", entityType: "warning_run", entityID: run.uuid.uuidString,
                    divisionCode: platformDivision.rawValue,
                    summary: "\(trigger.chineseName)运行工资预警（规则集 \(WarningCatalogue.version)）：\(outcome.notice)",
                    change: [
                        "rules": WarningCatalogue.version, "projects": String(outcome.projects),
                        "opened": String(outcome.opened), "reopened": String(outcome.reopened),
                        "resolved": String(outcome.resolved), "open": String(outcome.stillOpen),
                    ])
            )
        }
    }

    /// Claims the right to run: at most one run holds the lease at a time. The claim's short
    /// transaction starts with `WarningQueries.lockRuns` (a table lock on PostgreSQL; SQLite has one
    /// writer and one process), so two processes claiming at once are serialised and the second
    /// sees the first's running row. A running row older than the lease is a run whose
    /// process died: it is marked failed and the lease taken over.
    func claim(trigger: Trigger, by accountID: UUID?, minimumGap: TimeInterval?, now: Date = ServerClock.now())
        async throws
        -> WarningRunModel?
    {
        let lease = self.lease
        return try await database.database().inTransaction { tx -> WarningRunModel? in
            try await WarningQueries(tx).lockRuns()
            for running in try await WarningRunModel.query(on: tx).filter(\.$status == "running").all() {
                if running.startedAt > now.addingTimeInterval(-lease) { return nil }
                running.status = "failed"
                running.finishedAt = now
                running.message = "运行超过租约时间仍未结束，视为中断"
                try await running.update(on: tx)
            }
            if let minimumGap,
                let latest = try await WarningRunModel.query(on: tx).filter(\.$status == "finished")
                    .sort(\.$startedAt, .descending).first(),
                latest.startedAt > now.addingTimeInterval(-minimumGap)
            {
                return nil
            }
            let run = WarningRunModel()
            run.id = UUID()
            run.trigger = trigger.rawValue
            run.status = "running"
            run.rulesVersion = WarningCatalogue.version
            run.startedAt = now
            run.projects = 0
            run.opened = 0
            run.resolved = 0
            run.stillOpen = 0
            run.startedBy = accountID
            try await run.create(on: tx)
            return run
        }
    }

    /// The latest runs, newest first.
    func recentRuns(limit: Int = 5) async throws -> [WarningRunModel] {
        try await WarningRunModel.query(on: database.database()).sort(\.$startedAt, .descending).limit(limit).all()
    }
}

/// The warning service as configuration describes it (composition root; the benchmark builds the same).
package func makeWarningService(_ configuration: SiteRollConfiguration, database: DatabaseService, logger: Logger)
    throws
    -> WarningService
{
    WarningService(
        database: database,
        facts: WarningFactStore(
            database: database, minimumWages: try MinimumWageBook.parse(configuration.minimumWages)),
        evaluator: WarningEvaluator(
            policies: try configuration.warningPolicies(), agePolicies: try configuration.agePolicies(),
            holidays: try PayDayRule.parseDates(configuration.holidays),
            workingWeekendDays: try PayDayRule.parseDates(configuration.workingWeekendDays)),
        platformDivision: configuration.platformDivision, lease: TimeInterval(configuration.warningLeaseMinutes * 60),
        logger: logger)
}

/// The warning rules on a schedule (G4: "on a schedule and on demand"). Every process of a
/// deployment runs one; each run is claimed in the database with the interval as the minimum
/// gap, so a province's several processes evaluate once per interval, not once each. Checked
/// well within the interval (at most every ten minutes): another process may have run meanwhile.
func warningSchedule(_ warnings: WarningService, configuration: SiteRollConfiguration, logger: Logger) -> PeriodicJob {
    let interval = Duration.seconds(configuration.warningIntervalMinutes * 60)
    return PeriodicJob(
        name: "scheduled warning run", database: warnings.database, interval: min(interval, .seconds(600)),
        startDelay: .seconds(configuration.warningStartDelaySeconds), retryAfterFailure: .seconds(30), logger: logger
    ) {
        let outcome = try await warnings.run(
            trigger: .schedule, minimumGap: Double(configuration.warningIntervalMinutes * 60) * 0.95)
        guard outcome.skipped == nil else { return }
        logger.info(
            "warning run finished",
            metadata: [
                "projects": "\(outcome.projects)", "opened": "\(outcome.opened)", "resolved": "\(outcome.resolved)",
                "open": "\(outcome.stillOpen)", "seconds": "\(String(format: "%.1f", outcome.seconds))",
            ])
    }
}
