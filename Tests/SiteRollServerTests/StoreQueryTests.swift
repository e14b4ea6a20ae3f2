import FluentKit
import Foundation
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// The repositories' SQL (issue 13 item 4), on whichever engine the suite runs on: where SQLite
/// and PostgreSQL take different branches (row locks, SKIP LOCKED claims, the warning lease), the
/// test is written so that each branch must hold what the callers rely on.
@Suite("Store: repositories")
struct StoreQueryTests {
    /// A migrated fresh database with enough PostgreSQL connections for two transactions at once.
    static func withDatabase(_ body: @Sendable (DatabaseService) async throws -> Void) async throws {
        let location = try await TestDatabase.fresh()
        let database = try DatabaseService(location: location, logger: TestDatabase.quietLogger, connectionsPerLoop: 3)
        do {
            try await database.migrate()
            try await body(database)
        } catch {
            await database.shutdown()
            await TestDatabase.drop(location)
            throw error
        }
        await database.shutdown()
        await TestDatabase.drop(location)
    }

    /// The order in which overlapping transactions ended.
    actor Events {
        var names: [String] = []
        func add(_ name: String) { names.append(name) }
    }

    /// Runs `first` in a transaction that stays open for a moment after it; `second` starts in a
    /// transaction of its own once `first` is done and before that transaction ends. Returns both
    /// values and whether `second` finished while `first`'s transaction was still open (it cannot
    /// on SQLite, whose one connection runs one transaction at a time).
    static func overlapping<T: Sendable>(
        _ database: DatabaseService, first: @escaping @Sendable (any Database) async throws -> T,
        second: @escaping @Sendable (any Database) async throws -> T, secondSkipsLocks: Bool = false
    ) async throws -> (first: T, second: T, secondFinishedFirst: Bool) {
        let events = Events()
        let (done, signal) = AsyncStream<Void>.makeStream()
        // Where `second` should skip `first`'s locks (SKIP LOCKED on PostgreSQL), `first` holds its
        // transaction open until `second` has finished (bounded), not for a fixed pause, so a loaded
        // machine that starts `second` late cannot change the order; where `second` must wait
        // (a row lock, SQLite's one connection), `first` holds for two seconds and ends first.
        let hold: Duration = secondSkipsLocks && TestDatabase.isPostgres ? .seconds(60) : .seconds(2)
        async let firstValue: T = database.database().inTransaction { tx in
            let value = try await first(tx)
            signal.yield()
            signal.finish()
            let deadline = ContinuousClock.now + hold
            while ContinuousClock.now < deadline, await events.names.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
            }
            await events.add("first")
            return value
        }
        for await _ in done { break }
        let secondValue = try await database.database().inTransaction { tx in try await second(tx) }
        await events.add("second")
        let value = try await firstValue
        return (value, secondValue, await events.names.first == "second")
    }

    // MARK: Punches

    static func punch(_ key: String, day: String = "2027-01-15") -> PunchRow {
        PunchRow(
            id: UUID(), projectID: UUID(), workerID: UUID(), unitID: UUID(), teamID: UUID(), localDate: day,
            punchedAt: Date(timeIntervalSince1970: 1_800_000_000), direction: "in", source: "device", dedupeKey: key,
            serverTime: Date(timeIntervalSince1970: 1_800_000_000), status: "accepted", recordedBy: "D1")
    }

    @Test("a punch insert skips existing dedupe keys and returns only the keys it stored (ON CONFLICT … RETURNING)")
    func punchInsert() async throws {
        try await Self.withDatabase { database in
            let db = database.database()
            // act
            let first = try await PunchQueries(db).insert([Self.punch("a"), Self.punch("b")])
            let second = try await PunchQueries(db).insert([Self.punch("b"), Self.punch("c"), Self.punch("c")])
            let none = try await PunchQueries(db).insert([])
            // more rows than one statement carries
            let many = try await PunchQueries(db).insert((0..<1_201).map { Self.punch("m\($0)") })
            // check
            #expect(first == ["a", "b"])
            #expect(second == ["c"])
            #expect(none.isEmpty)
            #expect(many.count == 1_201)
            #expect(try await AttendancePunchModel.query(on: db).count() == 1_204)
            let stored = try #require(try await AttendancePunchModel.query(on: db).filter(\.$dedupeKey == "a").first())
            #expect(stored.localDate == "2027-01-15" && stored.recordedBy == "D1" && stored.flags == "[]")
        }
    }

    // MARK: Identity checks waiting for the authority

    static func waitingRequest(_ serial: String, due: Date) -> VerificationRequestModel {
        let request = VerificationRequestModel()
        request.id = UUID()
        request.serial = serial
        request.kind = "worker"
        request.status = "waiting"
        request.channel = "corp"
        request.submittedBy = "test"
        request.divisionCode = "510104"
        request.subjectLabel = "张*"
        request.faults = "[]"
        request.message = "等待"
        request.simulated = false
        request.attempts = 1
        request.nextAttemptAt = due
        request.createdAt = due
        return request
    }

    @Test("two overlapping claims of waiting identity checks never take the same one (SKIP LOCKED on PostgreSQL)")
    func verificationClaims() async throws {
        try await Self.withDatabase { database in
            // setup: three due, one not yet due, one decided
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let db = database.database()
            for (index, due) in [-300.0, -200, -100, 600].enumerated() {
                try await Self.waitingRequest("R\(index)", due: now.addingTimeInterval(due)).create(on: db)
            }
            let decided = Self.waitingRequest("R9", due: now.addingTimeInterval(-400))
            decided.status = "refused"
            try await decided.create(on: db)
            // act
            let claims = try await Self.overlapping(
                database, first: { try await VerificationQueries($0).claimDue(now: now, limit: 1, hold: 120) },
                second: { try await VerificationQueries($0).claimDue(now: now, limit: 10, hold: 120) },
                secondSkipsLocks: true)
            // check
            #expect(claims.first.map(\.serial) == ["R0"], "the longest-waiting first")
            #expect(Set(claims.second.map(\.serial)) == ["R1", "R2"])
            #expect(
                claims.secondFinishedFirst == TestDatabase.isPostgres,
                "PostgreSQL skips the locked row instead of waiting")
            let held = try await VerificationRequestModel.query(on: db).filter(\.$serial ~~ ["R0", "R1", "R2"]).all()
            #expect(held.allSatisfy { $0.nextAttemptAt == now.addingTimeInterval(120) })
            #expect(
                try await database.database().inTransaction { tx in
                    try await VerificationQueries(tx).claimDue(now: now, limit: 10, hold: 120)
                }.isEmpty, "claimed rows wait out their hold")
        }
    }

    // MARK: Pay-on-behalf

    /// A payroll of a demo project (batches reference one), on a database service with room for two
    /// transactions at once.
    static func withPayroll(_ body: @Sendable (DatabaseService, UUID) async throws -> Void) async throws {
        try await TestPlatform.run(demo: true) { _, platform in
            let db = platform.db
            let project = try #require(try await ProjectModel.query(on: db).sort(\.$code).first())
            let unit = try #require(
                try await ProjectUnitModel.query(on: db).filter(\.$projectID == project.uuid).first())
            let payroll = PayrollModel()
            payroll.id = UUID()
            payroll.projectID = project.uuid
            payroll.unitID = unit.uuid
            payroll.payMonth = "2027-01"
            payroll.scopeKey = "test:\(UUID())"
            payroll.code = "P-TEST-1"
            payroll.status = "submitted"
            payroll.source = "generated"
            payroll.createdBy = UUID()
            payroll.createdAt = Date()
            payroll.updatedAt = Date()
            try await payroll.create(on: db)
            // SQLite: the platform's own single connection; PostgreSQL: a pool with room for two.
            guard TestDatabase.isPostgres else { return try await body(platform.services.database, payroll.uuid) }
            let wide = try DatabaseService(
                location: platform.location, logger: TestDatabase.quietLogger, connectionsPerLoop: 3)
            do {
                try await body(wide, payroll.uuid)
            } catch {
                await wide.shutdown()
                throw error
            }
            await wide.shutdown()
        }
    }

    @Test("a locked payroll holds a second locker until the first transaction ends (FOR UPDATE on PostgreSQL)")
    func payrollLock() async throws {
        try await Self.withPayroll { database, payroll in
            let order = try await Self.overlapping(
                database, first: { try await PayoutQueries($0).lockPayroll(payroll) },
                second: { try await PayoutQueries($0).lockPayroll(payroll) })
            #expect(!order.secondFinishedFirst)
            // A lock on a row that is not there locks nothing and fails nothing.
            try await database.database().inTransaction { tx in try await PayoutQueries(tx).lockWageAccount(UUID()) }
        }
    }

    @Test("two overlapping follow-up claims never take the same batch (SKIP LOCKED on PostgreSQL)")
    func batchClaims() async throws {
        try await Self.withPayroll { database, payroll in
            // setup: three unsettled batches old enough, one too young, one completed
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let db = database.database()
            for (index, (status, age)) in [
                ("unsent", 900.0), ("accepted", 800), ("sending", 700), ("unsent", 10), ("completed", 1_000),
            ].enumerated() {
                let batch = WagePaymentBatchModel()
                batch.id = UUID()
                batch.payrollID = payroll
                batch.projectID = UUID()
                batch.instructionID = "I\(index)"
                batch.status = status
                batch.lineCount = 1
                batch.totalFen = 100
                batch.paidFen = 0
                batch.simulated = true
                batch.sentBy = UUID()
                batch.sentAt = now.addingTimeInterval(-age)
                batch.attempts = 0
                try await batch.create(on: db)
            }
            let statuses = ["sending", "accepted", "unsent"]
            let sentBefore = now.addingTimeInterval(-120)
            // act
            let claims = try await Self.overlapping(
                database,
                first: {
                    try await PayoutQueries($0).claimDueBatches(
                        statuses: statuses, sentBefore: sentBefore, now: now, limit: 1, delay: { _ in 60 })
                },
                second: {
                    try await PayoutQueries($0).claimDueBatches(
                        statuses: statuses, sentBefore: sentBefore, now: now, limit: 10, delay: { _ in 60 })
                }, secondSkipsLocks: true)
            // check
            #expect(claims.first.map(\.instructionID) == ["I0"], "the oldest first")
            #expect(claims.second.map(\.instructionID) == ["I1", "I2"])
            #expect(
                claims.secondFinishedFirst == TestDatabase.isPostgres,
                "PostgreSQL skips the locked row instead of waiting")
            let stored = try await WagePaymentBatchModel.query(on: db).filter(\.$instructionID ~~ ["I0", "I1", "I2"])
                .all()
            #expect(stored.allSatisfy { $0.attempts == 1 && $0.nextAttemptAt == now.addingTimeInterval(60) })
        }
    }

    // MARK: Wage warnings

    @Test("claims of the warning lease are serialised: of two at once, one takes it (LOCK TABLE on PostgreSQL)")
    func warningLease() async throws {
        try await Self.withDatabase { database in
            // Each claimer reads, waits and writes: without the lock both would read "nobody runs".
            @Sendable func claim() async throws -> Bool {
                try await database.database().inTransaction { tx in
                    try await WarningQueries(tx).lockRuns()
                    let running = try await WarningRunModel.query(on: tx).filter(\.$status == "running").count()
                    try await Task.sleep(for: .milliseconds(300))
                    guard running == 0 else { return false }
                    let run = WarningRunModel()
                    run.id = UUID()
                    run.trigger = "manual"
                    run.status = "running"
                    run.rulesVersion = "test"
                    run.startedAt = Date()
                    run.projects = 0
                    run.opened = 0
                    run.resolved = 0
                    run.stillOpen = 0
                    try await run.create(on: tx)
                    return true
                }
            }
            async let first = claim()
            async let second = claim()
            let claimed = try await [first, second]
            #expect(claimed.filter { $0 }.count == 1)
            #expect(try await WarningRunModel.query(on: database.database()).count() == 1)
        }
    }

    static func warning(
        _ rule: WarningRuleID, _ subject: String, division: String, status: WarningStatus = .open,
        severity: String = "medium", project: UUID? = nil, unit: UUID? = nil, enterprise: UUID? = nil,
        worker: UUID? = nil
    ) -> WageWarningModel {
        let row = WageWarningModel()
        row.id = UUID()
        row.ruleID = rule.rawValue
        row.ruleVersion = 1
        row.subjectKey = subject
        row.subjectKind = "project"
        row.subjectLabel = subject
        row.projectID = project
        row.divisionCode = division
        row.unitID = unit
        row.enterpriseID = enterprise
        row.workerID = worker
        row.addressee = "contractor"
        row.severity = severity
        row.summary = subject
        row.evidence = "[]"
        row.status = status.rawValue
        row.firstSeenAt = Date(timeIntervalSince1970: 1_800_000_000)
        row.lastSeenAt = Date(timeIntervalSince1970: 1_800_000_000)
        return row
    }

    @Test("warnings are read within a reach, most urgent first, and updated in bulk")
    func warningReads() async throws {
        try await Self.withDatabase { database in
            // setup
            let db = database.database()
            let (own, joined, other) = (UUID(), UUID(), UUID())
            let (enterprise, unit, worker) = (UUID(), UUID(), UUID())
            let rows = [
                Self.warning(.ww01, "a", division: "510104", severity: "low", project: own),
                Self.warning(.ww02, "b", division: "510104", severity: "high", project: joined, unit: unit),
                Self.warning(.ww03, "c", division: "510107", status: .acknowledged, project: joined),
                Self.warning(.ww04, "d", division: "510107", project: other),
                Self.warning(.ww05, "e", division: "510704", status: .dismissed, project: other, worker: worker),
                Self.warning(.ww06, "f", division: "510704", project: other, enterprise: enterprise),
            ]
            for row in rows { try await row.create(on: db) }
            let queries = WarningQueries(db)
            let company = WarningSelection.Reach.enterprise(
                enterprise, contractedProjects: [own], units: [unit], joinedProjects: [joined])
            // act, check: a regulator's prefix, urgent first (open before acknowledged, then severity)
            let chengdu = try await queries.list(WarningSelection(.divisionPrefix("5101")), limit: 10, offset: 0)
            #expect(chengdu.rows.map(\.subjectKey) == ["b", "d", "a", "c"])
            #expect(chengdu.total == 4)
            let page = try await queries.list(WarningSelection(.divisionPrefix("5101")), limit: 2, offset: 1)
            #expect(page.rows.map(\.subjectKey) == ["d", "a"] && page.total == 4)
            // an enterprise: addressed to it, its contracted project's, its unit's, a joined project's project-wide one
            let mine = try await queries.list(WarningSelection(company), limit: 10, offset: 0)
            #expect(Set(mine.rows.map(\.subjectKey)) == ["a", "b", "c", "f"])
            let active = WarningSelection(company, statuses: [.open], projectIDs: [own, joined])
            #expect(try await queries.list(active, limit: 10, offset: 0).rows.map(\.subjectKey) == ["b", "a"])
            #expect(try await queries.list(WarningSelection(company, projectIDs: []), limit: 10, offset: 0).total == 0)
            // a worker: only their own, of their rules
            let own5 = WarningSelection(.worker(worker, rules: [.ww05, .ww06, .ww07]))
            #expect(try await queries.list(own5, limit: 10, offset: 0).rows.map(\.subjectKey) == ["e"])
            #expect(try await queries.contains(rows[4].uuid, own5))
            #expect(try await queries.contains(rows[5].uuid, own5) == false)
            // counts per rule and status
            let counts = try await queries.counts(WarningSelection(.divisionPrefix("51"), rule: .ww03))
            #expect(counts.count == 1 && counts[.ww03]?[.acknowledged] == 1)
            #expect(try await queries.counts(WarningSelection(.divisionPrefix("51"))).values.count == 6)
            // bulk updates of a run
            let later = Date(timeIntervalSince1970: 1_800_086_400)
            try await queries.touch([rows[0].uuid, rows[1].uuid], at: later)
            try await queries.resolve([rows[3].uuid], resolution: "原因已消除", at: later)
            let touched = try #require(try await WageWarningModel.find(rows[0].uuid, on: db))
            let resolved = try #require(try await WageWarningModel.find(rows[3].uuid, on: db))
            #expect(touched.lastSeenAt == later && touched.status == "open")
            #expect(resolved.status == "resolved" && resolved.resolvedAt == later && resolved.resolution == "原因已消除")
        }
    }
}
