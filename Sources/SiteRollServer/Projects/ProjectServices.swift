import Foundation
import SiteRollCore
import SiteRollStore

/// The project subsystem's services, built once per process (composition root).
struct ProjectServices: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let projects: ProjectService
    let teams: TeamService
    let workforce: WorkforceService
    let wages: WageAccountService
    let records: WorkforceRecords
    let roster: RosterImport
    let directory: WorkerDirectory
    let unitExitPolicy: UnitExitPolicy

    init(
        configuration: SiteRollConfiguration, database: DatabaseService, divisions: DivisionCatalog,
        cipher: FieldCipher,
        restrictions: RestrictionService
    ) throws {
        self.database = database
        reach = ProjectReach(database: database)
        unitExitPolicy = configuration.unitExitPolicy
        projects = ProjectService(
            database: database, reach: reach, divisions: divisions, restrictions: restrictions,
            unitExitPolicy: configuration.unitExitPolicy, defaultPayDay: configuration.defaultPayDay)
        teams = TeamService(database: database, reach: reach, projects: projects)
        workforce = WorkforceService(
            database: database, reach: reach, projects: projects, restrictions: restrictions, cipher: cipher,
            contractFileMaxBytes: configuration.contractFileMaxKilobytes * 1024,
            safetyTrainingValidityDays: configuration.safetyTrainingValidityDays)
        wages = WageAccountService(
            database: database, reach: reach, projects: projects, cipher: cipher,
            minimumWages: try MinimumWageBook.parse(configuration.minimumWages),
            labourInspectionPhone: configuration.labourInspectionPhone, legalAidPhone: configuration.legalAidPhone)
        records = WorkforceRecords(database: database)
        roster = RosterImport(database: database, reach: reach, workforce: workforce, teams: teams, cipher: cipher)
        directory = WorkerDirectory(database: database, cipher: cipher)
    }
}
