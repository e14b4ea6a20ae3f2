import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The facts a warning run evaluates: read in bulk by `WarningFactQueries` (SiteRollStore), with
/// what configuration adds (whether a division's minimum wage is known on the day).
struct WarningFactStore: Sendable {
    let database: DatabaseService
    let minimumWages: MinimumWageBook

    func queries() throws -> WarningFactQueries {
        try WarningFactQueries(
            database.database(), safetyTrainingTypes: WorkforceService.safetyTrainingTypes,
            timeZone: ChineseFormat.timeZone)
    }

    /// Every project, in a stable order (a run walks them in batches).
    func projects() async throws -> [WarningFacts.Project] {
        try await queries().projects()
    }

    /// Active cards whose number is registered for more than one worker (WW-07), platform-wide.
    func sharedCards() async throws -> [String: [WarningFacts.Worker]] {
        try await queries().sharedCards()
    }

    /// The facts about `projects` on `today`; pay months from `firstMonth` on.
    func facts(
        for projects: [WarningFacts.Project], today: LocalDate, firstMonth: PayMonth,
        sharedCards: [String: [WarningFacts.Worker]]
    ) async throws -> WarningFacts {
        var facts = try await queries().facts(
            for: projects, today: today, firstMonth: firstMonth, sharedCards: sharedCards)
        for project in projects where facts.minimumWageKnown[project.divisionCode] == nil {
            facts.minimumWageKnown[project.divisionCode] =
                DivisionCode(project.divisionCode).flatMap { minimumWages.monthlyFen(for: $0, on: today) } != nil
        }
        return facts
    }
}
