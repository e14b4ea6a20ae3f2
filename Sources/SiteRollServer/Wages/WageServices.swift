import Foundation
import SiteRollCore
import SiteRollStore

/// The wage subsystem's services (G4, E4, E9, M4), built once per process.
struct WageServices: Sendable {
    let cards: WageCardService
    let payrolls: PayrollService
    let imports: PayrollImport
    let agreements: WageAgreementService
    let reconciliation: WageReconciliation
    let workerWages: WorkerWageService

    init(
        configuration: SiteRollConfiguration, database: DatabaseService, projects: ProjectServices,
        attendance: AttendanceService, cipher: FieldCipher
    ) throws {
        let scanMaxBytes = configuration.wageScanMaxKilobytes * 1024
        cards = WageCardService(database: database, reach: projects.reach, cipher: cipher)
        payrolls = PayrollService(
            database: database, reach: projects.reach, attendance: attendance, cards: cards,
            minimumWages: try MinimumWageBook.parse(configuration.minimumWages),
            computation: PayrollComputation(fullMonthDays: configuration.fullMonthDays), scanMaxBytes: scanMaxBytes)
        imports = PayrollImport(database: database, payrolls: payrolls, cards: cards, cipher: cipher)
        agreements = WageAgreementService(
            database: database, reach: projects.reach, cipher: cipher, scanMaxBytes: scanMaxBytes)
        reconciliation = WageReconciliation(database: database, attendance: attendance, payrolls: payrolls)
        workerWages = WorkerWageService(database: database, cards: cards)
    }
}
