import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The sheets (M3 item 6): per worker per day, per team or project per month (the basis of
/// payroll), who is on site today, and the worker's own history.
extension AttendanceService {
    struct Person: Sendable {
        var workerID: UUID
        var name: String
        var masked: String
        var team: String
        var teamID: UUID
    }

    struct DayLine: Sendable {
        var person: Person
        var summary: AttendanceDaySummary
    }

    static func record(_ punch: AttendancePunchModel) -> PunchRecord {
        PunchRecord(
            time: punch.punchedAt, direction: PunchDirection(rawValue: punch.direction) ?? .entry,
            source: PunchSource(rawValue: punch.source) ?? .device, counts: punch.counts, flags: flags(of: punch),
            day: LocalDate(punch.localDate))
    }

    /// A project's workers (present or past) with their names and teams, and its teams: what
    /// every sheet labels its rows with, read once per page (three queries).
    struct Roster: Sendable {
        var people: [UUID: Person]
        /// By system number.
        var teams: [TeamModel]
    }

    func roster(project projectID: UUID) async throws -> Roster {
        let db = database.database()
        let entries = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
            .sort(\.$entryDate).sort(\.$createdAt).all()
        let workers = try await WorkerModel.query(on: db).filter(\.$id ~~ Array(Set(entries.map(\.workerID)))).all()
        let teams = try await TeamModel.query(on: db).filter(\.$projectID == projectID).sort(\.$sysNo).all()
        let names = Dictionary(uniqueKeysWithValues: workers.map { ($0.uuid, $0) })
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        var people: [UUID: Person] = [:]
        for entry in entries {
            guard let worker = names[entry.workerID] else { continue }
            people[entry.workerID] = Person(
                workerID: entry.workerID, name: worker.name, masked: worker.idNumberMasked,
                team: teamNames[entry.teamID] ?? "", teamID: entry.teamID)
        }
        return Roster(people: people, teams: teams)
    }

    /// Names, masked numbers and teams of a project's workers (present or past).
    func people(project projectID: UUID) async throws -> [UUID: Person] {
        try await roster(project: projectID).people
    }

    /// A project's punches filed under the days `from`…`to`, optionally of one unit or team.
    func punches(project projectID: UUID, from: LocalDate, to: LocalDate, unit: UUID? = nil, team: UUID? = nil)
        async throws -> [AttendancePunchModel]
    {
        var query = AttendancePunchModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$localDate >= from.description).filter(\.$localDate <= to.description)
        if let team { query = query.filter(\.$teamID == team) }
        if let unit { query = query.filter(\.$unitID == unit) }
        return try await query.all()
    }

    /// The day a sheet opens on: today, or the latest day with punches before it.
    func latestDay(project projectID: UUID, upTo today: LocalDate) async throws -> LocalDate {
        let latest = try await AttendancePunchModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$localDate <= today.description).sort(\.$localDate, .descending).first()
        return latest.flatMap { LocalDate($0.localDate) } ?? today
    }

    func daySheet(project projectID: UUID, date: LocalDate) async throws -> [DayLine] {
        daySheet(
            try await punches(project: projectID, from: date, to: date), people: try await people(project: projectID),
            date: date)
    }

    /// The day sheet of `date` from its punches (punches of other days are left out).
    func daySheet(_ punches: [AttendancePunchModel], people: [UUID: Person], date: LocalDate) -> [DayLine] {
        let ofTheDay = punches.filter { $0.localDate == date.description }
        return Dictionary(grouping: ofTheDay, by: \.workerID).compactMap { workerID, punches in
            guard let person = people[workerID] else { return nil }
            return DayLine(
                person: person,
                summary: AttendanceDay.summarize(
                    punches.map(Self.record), on: date, timeZone: Self.timeZone, rule: manDayRule))
        }.sorted { ($0.person.team, $0.person.name) < ($1.person.team, $1.person.name) }
    }

    struct MonthResult: Sendable {
        var sheet: MonthSheet
        var people: [String: Person]
    }

    /// Man-days per worker per day of a month, optionally for one team: the basis of payroll.
    func monthSheet(project projectID: UUID, year: Int, month: Int, unit: UUID? = nil, team: UUID? = nil) async throws
        -> MonthResult
    {
        guard let first = LocalDate(year: year, month: month, day: 1),
            let last = LocalDate(year: year, month: month, day: LocalDate.daysInMonth(month, year: year))
        else { throw RequestBounds.monthError("月份") }
        let punches = try await punches(project: projectID, from: first, to: last, unit: unit, team: team)
        return monthSheet(punches, people: try await people(project: projectID), year: year, month: month)
    }

    /// The month sheet from the month's punches.
    func monthSheet(_ punches: [AttendancePunchModel], people: [UUID: Person], year: Int, month: Int) -> MonthResult {
        var summaries: [String: [AttendanceDaySummary]] = [:]
        var keyed: [String: Person] = [:]
        for (workerID, theirs) in Dictionary(grouping: punches, by: \.workerID) {
            guard let person = people[workerID] else { continue }
            let key = "\(person.team)\u{1}\(person.name)\u{1}\(workerID.uuidString)"
            keyed[key] = person
            summaries[key] = Dictionary(grouping: theirs, by: \.localDate).compactMap { day, punches in
                LocalDate(day).map {
                    AttendanceDay.summarize(punches.map(Self.record), on: $0, timeZone: Self.timeZone, rule: manDayRule)
                }
            }
        }
        return MonthResult(sheet: MonthSheet.build(year: year, month: month, summaries: summaries), people: keyed)
    }

    struct OnSite: Sendable {
        var person: Person
        var firstIn: Date?
        var onSiteNow: Bool
        var lastPunch: Date
    }

    /// Who came today, and who is still on site (last counted punch is an entry).
    func onSiteToday(project projectID: UUID, now: Date = ServerClock.now()) async throws -> [OnSite] {
        let today = LocalDate.today(in: Self.timeZone, now: now)
        return onSite(
            try await punches(project: projectID, from: today, to: today), people: try await people(project: projectID),
            today: today)
    }

    /// Who came on `today`, from its punches.
    func onSite(_ punches: [AttendancePunchModel], people: [UUID: Person], today: LocalDate) -> [OnSite] {
        let counted = punches.filter { $0.localDate == today.description && $0.counts }
            .sorted { $0.punchedAt < $1.punchedAt }
        return Dictionary(grouping: counted, by: \.workerID).compactMap { workerID, theirs in
            guard let person = people[workerID], let last = theirs.last else { return nil }
            return OnSite(
                person: person, firstIn: theirs.first { $0.direction == "in" }?.punchedAt,
                onSiteNow: last.direction == "in", lastPunch: last.punchedAt)
        }.sorted { ($0.person.team, $0.person.name) < ($1.person.team, $1.person.name) }
    }

    /// Counts of workers who came today per project, for lists and home pages.
    func presentToday(projects: [UUID], now: Date = ServerClock.now()) async throws -> [UUID: Int] {
        guard !projects.isEmpty else { return [:] }
        let rows = try await AttendancePunchModel.query(on: database.database()).filter(\.$projectID ~~ projects)
            .filter(\.$localDate == Self.localDate(now)).all()
        return Dictionary(grouping: rows.filter(\.counts), by: \.projectID).mapValues { Set($0.map(\.workerID)).count }
    }

    /// The worker's own days, newest first.
    func history(worker workerID: UUID, days: Int = 31, now: Date = ServerClock.now()) async throws
        -> [(AttendanceDaySummary, [AttendancePunchModel])]
    {
        let today = LocalDate.today(in: Self.timeZone, now: now)
        let from = today.adding(days: -min(max(days, 0), 3660)) ?? today
        let punches = try await punches(worker: workerID, from: from.description, to: today.description)
        return Dictionary(grouping: punches, by: \.localDate).compactMap { day, theirs in
            LocalDate(day).map {
                (
                    AttendanceDay.summarize(theirs.map(Self.record), on: $0, timeZone: Self.timeZone, rule: manDayRule),
                    theirs.sorted { $0.punchedAt < $1.punchedAt }
                )
            }
        }.sorted { $0.0.date > $1.0.date }
    }
}
