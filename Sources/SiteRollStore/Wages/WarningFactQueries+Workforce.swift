import FluentKit
import FluentSQL
import Foundation
import SiteRollCore

/// The people side of the facts: active entries, the workers named anywhere in the batch, their
/// contracts, safety trainings, prior activity (WW-09), cards (WW-07) and managers' attendance days
/// (WW-14). Workers are read by id in chunks; everything else by the batch's project ids.
extension WarningFactQueries {
    func readWorkforce(_ ids: [UUID], today: LocalDate, into facts: inout WarningFacts) async throws {
        for row in try await sql.raw(
            """
            SELECT id, project_id, unit_id, worker_id, work_role, entry_date FROM project_workers
            WHERE project_id IN (\(binds: ids)) AND status = 'active'
            """
        ).all() {
            guard let entered = try Self.date(row, "entry_date") else { continue }
            facts.entries.append(
                WarningFacts.Entry(
                    id: try row.decode(column: "id", as: UUID.self),
                    projectID: try row.decode(column: "project_id", as: UUID.self),
                    unitID: try row.decode(column: "unit_id", as: UUID.self),
                    workerID: try row.decode(column: "worker_id", as: UUID.self),
                    workRole: try row.decode(column: "work_role", as: String.self), entryDate: entered))
        }
        var named = Set(facts.entries.map(\.workerID))
        named.formUnion(facts.lines.map(\.workerID))
        named.formUnion(facts.attendance.map(\.workerID))
        try await readWorkers(Array(named), into: &facts)
        try await readCards(
            workers: Set(facts.entries.map(\.workerID)).union(facts.lines.map(\.workerID)), into: &facts)
        for row in try await sql.raw(
            """
            SELECT project_id, worker_id, unit_id, starts_on, ends_on FROM labour_contracts
            WHERE project_id IN (\(binds: ids))
            """
        ).all() {
            guard let start = try Self.date(row, "starts_on") else { continue }
            let project = try row.decode(column: "project_id", as: UUID.self)
            facts.contracts[project, default: [:]][try row.decode(column: "worker_id", as: UUID.self), default: []]
                .append(
                    WarningFacts.Contract(
                        unitID: try row.decode(column: "unit_id", as: UUID.self), startsOn: start,
                        endsOn: try Self.date(row, "ends_on")))
        }
        for row in try await sql.raw(
            """
            SELECT DISTINCT ta.worker_id, t.held_on FROM training_attendees ta
            JOIN trainings t ON t.id = ta.training_id
            JOIN project_workers pw ON pw.worker_id = ta.worker_id
            WHERE pw.project_id IN (\(binds: ids)) AND pw.status = 'active'
            AND t.type_code IN (\(binds: safetyTrainingTypes))
            """
        ).all() {
            guard let held = try Self.date(row, "held_on") else { continue }
            facts.safetyTrainings[try row.decode(column: "worker_id", as: UUID.self), default: []].append(held)
        }
        try await readPriorActivity(ids, into: &facts)
        try await readManagerDays(ids, today: today, into: &facts)
    }

    private func readWorkers(_ ids: [UUID], into facts: inout WarningFacts) async throws {
        for start in stride(from: 0, to: ids.count, by: Self.chunk) {
            let slice = Array(ids[start..<min(start + Self.chunk, ids.count)])
            for row in try await sql.raw(
                """
                SELECT id, name, id_number_masked, birth_date, verification_code, verified_at FROM workers
                WHERE id IN (\(binds: slice))
                """
            ).all() {
                let worker = WarningFacts.Worker(
                    id: try row.decode(column: "id", as: UUID.self),
                    name: try row.decode(column: "name", as: String.self),
                    masked: try row.decode(column: "id_number_masked", as: String.self),
                    birthDate: try Self.date(row, "birth_date"),
                    isVerified: try row.decode(column: "verification_code", as: String?.self) != nil,
                    verifiedOn: try row.decode(column: "verified_at", as: Date?.self).flatMap {
                        LocalDate($0, in: timeZone)
                    })
                facts.workers[worker.id] = worker
            }
        }
    }

    /// The workers' active cards, and every card a line was paid to (possibly someone else's).
    private func readCards(workers: Set<UUID>, into facts: inout WarningFacts) async throws {
        let ids = Array(workers)
        let lineCards = Array(Set(facts.lines.compactMap(\.cardID)))
        for (column, list, activeOnly) in [("worker_id", ids, true), ("id", lineCards, false)] {
            for start in stride(from: 0, to: list.count, by: Self.chunk) {
                let slice = Array(list[start..<min(start + Self.chunk, list.count)])
                for row in try await sql.raw(
                    """
                    SELECT id, worker_id, holder_name, number_hmac, number_masked, status FROM worker_bank_cards
                    WHERE \(ident: column) IN (\(binds: slice)) \(unsafeRaw: activeOnly ? "AND status = 'active'" : "")
                    """
                ).all() {
                    let card = WarningFacts.Card(
                        id: try row.decode(column: "id", as: UUID.self),
                        workerID: try row.decode(column: "worker_id", as: UUID.self),
                        holderName: try row.decode(column: "holder_name", as: String.self),
                        numberHash: try row.decode(column: "number_hmac", as: String.self),
                        masked: try row.decode(column: "number_masked", as: String.self),
                        isActive: try row.decode(column: "status", as: String.self) == "active")
                    facts.cards[card.id] = card
                }
            }
        }
        let missing = Array(Set(facts.cards.values.map(\.workerID)).subtracting(facts.workers.keys))
        if !missing.isEmpty { try await readWorkers(missing, into: &facts) }
    }

    /// WW-09: for each active entry, the end of the worker's latest earlier engagement on any
    /// project (an engagement still running at this entry counts as activity on the entry day),
    /// else the day the worker was verified.
    private func readPriorActivity(_ ids: [UUID], into facts: inout WarningFacts) async throws {
        var engaged: [UUID: LocalDate] = [:]
        for row in try await sql.raw(
            """
            SELECT pw.id, MAX(CASE WHEN o.exit_date IS NULL OR o.exit_date > pw.entry_date
              THEN pw.entry_date ELSE o.exit_date END) AS last_on
            FROM project_workers pw JOIN project_workers o
              ON o.worker_id = pw.worker_id AND o.id <> pw.id AND o.entry_date <= pw.entry_date
            WHERE pw.project_id IN (\(binds: ids)) AND pw.status = 'active'
            GROUP BY pw.id
            """
        ).all() {
            if let last = try Self.date(row, "last_on") { engaged[try row.decode(column: "id", as: UUID.self)] = last }
        }
        for entry in facts.entries {
            let verified = facts.workers[entry.workerID]?.verifiedOn
            switch (engaged[entry.id], verified) {
            case (let last?, let verified?) where verified > last:
                facts.priorActivity[entry.id] = .init(on: verified, source: "实名核验")
            case (let last?, _):
                facts.priorActivity[entry.id] = .init(on: last, source: "上一个项目的进退场记录")
            case (nil, let verified?):
                facts.priorActivity[entry.id] = .init(on: verified, source: "实名核验")
            case (nil, nil):
                continue
            }
        }
    }

    /// WW-14: the days each active manager (work role 10) has counted attendance in the last 120 days.
    /// Asked by the managers' own ids (a handful per project), which the punches' worker index serves.
    private func readManagerDays(_ ids: [UUID], today: LocalDate, into facts: inout WarningFacts) async throws {
        let managers = facts.entries.filter(\.isManager)
        guard !managers.isEmpty else { return }
        let entryOf = Dictionary(
            managers.map { ("\($0.projectID)|\($0.workerID)", $0.id) }, uniquingKeysWith: { a, _ in a })
        let workers = Array(Set(managers.map(\.workerID)))
        for start in stride(from: 0, to: workers.count, by: Self.chunk) {
            let slice = Array(workers[start..<min(start + Self.chunk, workers.count)])
            for row in try await sql.raw(
                """
                SELECT DISTINCT a.project_id, a.worker_id, a.local_date FROM attendance_punches a
                WHERE a.worker_id IN (\(binds: slice)) AND a.project_id IN (\(binds: ids))
                AND a.local_date >= \(bind: (today.adding(days: -121) ?? today).description) AND \(unsafeRaw: Self.countedPunch)
                """
            ).all() {
                let project = try row.decode(column: "project_id", as: UUID.self)
                let worker = try row.decode(column: "worker_id", as: UUID.self)
                guard let entry = entryOf["\(project)|\(worker)"], let day = try Self.date(row, "local_date") else {
                    continue
                }
                facts.managerDays[entry, default: []].insert(day)
            }
        }
    }
}
