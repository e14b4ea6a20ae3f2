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

    /// Names, masked numbers and teams of a project's workers (present or past).
    func people(project projectID: UUID) async throws -> [UUID: Person] {
        let db = database.database()
        let entries = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == projectID)
            .sort(\.$entryDate).all()
        let workers = try await WorkerModel.query(on: db).filter(\.$id ~~ Array(Set(entries.map(\.workerID)))).all()
        let teams = try await TeamModel.query(on: db).filter(\.$projectID == projectID).all()
        let names = Dictionary(uniqueKeysWithValues: workers.map { ($0.uuid, $0) })
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.uuid, $0.name) })
        var people: [UUID: Person] = [:]
        for entry in entries {
            guard let worker = names[entry.workerID] else { continue }
            people[entry.workerID] = Person(
                workerID: entry.workerID, name: worker.name, masked: worker.idNumberMasked,
                team: teamNames[entry.teamID] ?? "", teamID: entry.teamID)
        }
        return people
    }

    /// The day a sheet opens on: today, or the latest day with punches before it.
    func latestDay(project projectID: UUID, upTo today: LocalDate) async throws -> LocalDate {
        let latest = try await AttendancePunchModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$localDate <= today.description).sort(\.$localDate, .descending).first()
        return latest.flatMap { LocalDate($0.localDate) } ?? today
    }

    func daySheet(project projectID: UUID, date: LocalDate) async throws -> [DayLine] {
        let punches = try await AttendancePunchModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$localDate == date.description).all()
        let people = try await people(project: projectID)
        return Dictionary(grouping: punches, by: \.workerID).compactMap { workerID, punches in
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
        var query = AttendancePunchModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$localDate >= first.description).filter(\.$localDate <= last.description)
        if let team { query = query.filter(\.$teamID == team) }
        if let unit { query = query.filter(\.$unitID == unit) }
        let punches = try await query.all()
        let people = try await people(project: projectID)
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
        let today = Self.localDate(now)
        let punches = try await AttendancePunchModel.query(on: database.database()).filter(\.$projectID == projectID)
            .filter(\.$localDate == today).sort(\.$punchedAt).all().filter(\.counts)
        let people = try await people(project: projectID)
        return Dictionary(grouping: punches, by: \.workerID).compactMap { workerID, theirs in
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
