import FluentKit
import Foundation
import Hummingbird
import Logging
import Metrics
import OpenAPIHummingbird
import Prometheus
import ServiceLifecycle
import SiteRollAPI
import SiteRollCore
import SiteRollStore
import Synchronization

/// The services one SiteRoll process holds, built once by `buildApplication`. The few the
/// benchmarks (`SiteRollBench`) reach are `package`.
package struct SiteRollServices: Sendable {
    let configuration: SiteRollConfiguration
    package let database: DatabaseService
    let divisions: DivisionCatalog
    package let cipher: FieldCipher
    let sessions: SessionService
    let accounts: AccountService
    let audit: AuditSearch
    let enterprises: EnterpriseDirectory
    let appTokens: AppTokenService
    let pages: PageRenderer
    let navigation: Navigation
    let metrics: PrometheusCollectorRegistry
    let restrictions: RestrictionService
    let workerVerification: WorkerVerificationService
    let enterpriseVerification: EnterpriseVerificationService
    let projects: ProjectServices
    package let attendance: AttendanceService
    let wages: WageServices
    let warnings: WarningService
    let payouts: PayoutService
    /// The national open interface's apps (issue 15).
    let nationalApps: NationalApps
    let nationalJobs: NationalJobs
    /// Platform access: applications, approval, rotation, revocation (issue 15 item 4, A1).
    let nationalAccess: NationalAccessService
    /// Background services besides the database: the in-process simulator (demo, tests) and
    /// the retry of submissions waiting for the identity authority.
    let backgroundServices: [any Service]
}

/// What start-up did that the operator must know: printed by `siteroll serve`.
public struct StartupReport: Sendable {
    public var firstAdministrator: (username: String, generatedPassword: String?)?
    public var demoLogins: [(console: String, username: String, who: String)] = []
    public var demoPassword: String?
    /// The demo's national apps: one per project, with the secret to sign with.
    public var demoNationalApps: [(project: String, appID: String, secret: String)] = []
}

/// Builds the whole application, exactly as production runs it; tests call the same function.
public func buildApplication(
    _ configuration: SiteRollConfiguration, logger: Logger,
    onStartup: @escaping @Sendable (StartupReport) -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    try await buildApplication(
        services: try await makeServices(configuration, logger: logger), logger: logger, onStartup: onStartup)
}

/// The same, around services built by the caller (tests and benchmarks reach into the database through them).
package func buildApplication(
    services: SiteRollServices, logger: Logger, onStartup: @escaping @Sendable (StartupReport) -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let configuration = services.configuration
    let router = try buildRouter(services)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "SiteRoll"),
        services: [services.database] + services.backgroundServices,
        logger: logger)
    app.beforeServerStarts {
        try await services.database.migrate()
        onStartup(try await bootstrap(services))
    }
    return app
}

package func makeServices(_ configuration: SiteRollConfiguration, logger: Logger) async throws -> SiteRollServices {
    guard configuration.problems.isEmpty else { throw SiteRollConfiguration.Invalid(problems: configuration.problems) }
    let database = try DatabaseService(
        location: try configuration.databaseLocation(), logger: logger,
        connectionsPerLoop: configuration.databasePoolSize,
        poolTimeoutSeconds: Int64(configuration.databasePoolTimeout))
    let divisions = try DivisionCatalog.sichuan()
    let cipher = try FieldCipher(masterKey: try DataKey.load(configuration))
    let hasher = PasswordHasher(cost: configuration.bcryptCost)
    let sessions = SessionService(
        database: database, consoleLifetime: configuration.sessionLifetime, apiLifetime: configuration.apiTokenLifetime,
        cipher: cipher)
    let accounts = AccountService(
        database: database, sessions: sessions, hasher: hasher,
        throttle: LoginThrottle(database: database, policy: configuration.loginThrottle), divisions: divisions,
        platformDivision: configuration.platformDivision.rawValue)
    let nationalDivisions = try NationalDivisionTable.bundled()
    let restrictions = RestrictionService(database: database, cipher: cipher)
    var background: [any Service] = []
    let authorityURL: @Sendable () -> String?
    if let url = configuration.identityAuthorityURL, !url.isEmpty {
        authorityURL = { url }
    } else if let identities = configuration.simulatorIdentities
        ?? (configuration.demo ? IdentityAuthoritySimulator.demoIdentities : nil)
    {
        let simulator = IdentityAuthoritySimulator.parse(identities).loopback(logger: logger)
        background.append(simulator)
        authorityURL = { simulator.baseURL }
    } else {
        authorityURL = { nil }
    }
    let authority = HTTPIdentityAuthority(
        baseURL: authorityURL, apiKey: configuration.identityAuthorityKey,
        timeout: .milliseconds(Int64(configuration.identityAuthorityTimeout * 1000)))
    let workerVerification = WorkerVerificationService(
        database: database, cipher: cipher, authority: authority,
        numbers: IdentityNumberValidator(divisions: nationalDivisions), agePolicies: try configuration.agePolicies(),
        platformDivision: configuration.platformDivision, restrictions: restrictions, hasher: hasher, logger: logger)
    // Issue 3, item 3: submissions kept while the identity authority did not answer are decided later.
    background.append(
        PeriodicJob(name: "verification retry", database: database, interval: .seconds(15), logger: logger) {
            let retried = try await workerVerification.retryDue()
            if retried > 0 { logger.info("retried waiting verifications", metadata: ["count": "\(retried)"]) }
        })
    let enterpriseVerification = EnterpriseVerificationService(
        database: database, cipher: cipher, credit: CreditCodeValidator(divisions: nationalDivisions),
        numbers: IdentityNumberValidator(divisions: nationalDivisions), nationalDivisions: nationalDivisions,
        restrictions: restrictions, hasher: hasher)
    let projectServices = try ProjectServices(
        configuration: configuration, database: database, divisions: divisions, cipher: cipher,
        restrictions: restrictions)
    let attendance = AttendanceService(
        database: database, reach: projectServices.reach, cipher: cipher, hasher: hasher,
        defaults: configuration.plausibilityPolicy(), manDayRule: configuration.manDayRule)
    let warnings = try makeWarningService(configuration, database: database, logger: logger)
    if configuration.warningIntervalMinutes > 0 {
        background.append(warningSchedule(warnings, configuration: configuration, logger: logger))
    }
    // The bank (docs/bank-gateway.md): the configured one, else the simulator in-process for the
    // demo and the tests (which set simulator identities); else pay-on-behalf waits for configuration.
    let bankURL: @Sendable () async -> String?
    var bankIsSimulator = false
    if let url = configuration.bankURL, !url.isEmpty {
        bankURL = { url }
    } else if configuration.demo || configuration.simulatorIdentities != nil {
        let simulator = try BankSimulator(
            stateFile: BankSimulator.stateFile(dataDirectory: configuration.dataDirectory)
        ).loopback(logger: logger)
        background.append(simulator)
        bankURL = { await simulator.url() }
        bankIsSimulator = true
    } else {
        bankURL = { nil }
    }
    let bank = HTTPBankGateway(
        baseURL: bankURL, apiKey: configuration.bankKey, timeout: .milliseconds(Int64(configuration.bankTimeout * 1000))
    )
    let bankConfigured = bankIsSimulator || !(configuration.bankURL ?? "").isEmpty
    let payouts = PayoutService(
        database: database, reach: projectServices.reach, cipher: cipher, gateway: bank,
        simulator: bankIsSimulator ? bank : nil, isConfigured: bankConfigured,
        followsUp: bankConfigured && configuration.bankFollowUpSeconds > 0, logger: logger)
    if payouts.followsUp {
        background.append(
            PeriodicJob(
                name: "pay-on-behalf follow-up", database: database,
                interval: .seconds(configuration.bankFollowUpSeconds), logger: logger
            ) { try await payouts.followUpDue() })
    }
    // National writes: processed at once by the process that took them, and every two seconds by
    // any process for jobs whose process stopped (SKIP LOCKED shares the work).
    let wages = try WageServices(
        configuration: configuration, database: database, projects: projectServices, attendance: attendance,
        cipher: cipher)
    let nationalApps = NationalApps(database: database, cipher: cipher)
    let nationalJobs = NationalJobs(
        database: database, cipher: cipher,
        writes: NationalWrites(
            database: database, cipher: cipher, attendance: attendance, projects: projectServices, wages: wages,
            verification: workerVerification),
        logger: logger)
    background.append(
        PeriodicJob(
            name: "national writes", database: database, interval: .seconds(2), startDelay: .seconds(2),
            logger: logger
        ) { try await nationalJobs.runDue(apps: nationalApps) })
    background.append(
        // Hourly, and first a few minutes after start: a short-lived process has nothing to purge.
        PeriodicJob(
            name: "national retention", database: database, interval: .seconds(3600), startDelay: .seconds(300),
            logger: logger
        ) {
            let purged = try await nationalJobs.purge()
            if purged.jobs + purged.requests + purged.calls > 0 {
                logger.info(
                    "national gateway records past retention deleted",
                    metadata: ["jobs": "\(purged.jobs)", "requests": "\(purged.requests)", "calls": "\(purged.calls)"])
            }
        })
    return SiteRollServices(
        configuration: configuration, database: database, divisions: divisions, cipher: cipher, sessions: sessions,
        accounts: accounts, audit: AuditSearch(database: database),
        enterprises: EnterpriseDirectory(database: database),
        appTokens: AppTokenService(
            database: database, sessions: sessions, hasher: hasher, cipher: cipher, throttle: accounts.throttle),
        pages: try await PageRenderer.load(), navigation: Navigation(divisions: divisions),
        metrics: MetricsBootstrap.registry(), restrictions: restrictions, workerVerification: workerVerification,
        enterpriseVerification: enterpriseVerification,
        projects: projectServices, attendance: attendance,
        wages: wages,
        warnings: warnings,
        payouts: payouts,
        nationalApps: nationalApps,
        nationalJobs: nationalJobs,
        nationalAccess: NationalAccessService(
            database: database, apps: nationalApps, reach: projectServices.reach,
            overlap: TimeInterval(configuration.nationalSecretOverlapHours) * 3600),
        backgroundServices: background)
}

/// First-start work after migrations: the first administrator, or the demo data when asked for.
func bootstrap(_ services: SiteRollServices) async throws -> StartupReport {
    var report = StartupReport()
    if services.configuration.demo {
        let demo = DemoData(accounts: services.accounts, cipher: services.cipher)
        let outcome = try await demo.seedIfNeeded()
        if case .seeded = outcome {
            if services.configuration.demoWages {
                try await DemoWages(
                    wages: services.wages, database: services.database, payouts: services.payouts,
                    warnings: services.warnings
                ).seed()
            }
            try await demo.markComplete()
        }
        switch outcome {
        case .seeded(let logins), .alreadyPresent(let logins):
            report.demoLogins = logins.map { ($0.console, $0.username, $0.who) }
            report.demoPassword = DemoData.password
        }
        // Each project's app comes from an approved application; one more application waits for review.
        let access = DemoAccess(access: services.nationalAccess)
        for project in try await ProjectModel.query(on: services.database.database()).sort(\.$code).all() {
            let app = try await access.approvedApp(for: project)
            report.demoNationalApps.append((project.name, app.appID, app.secret))
        }
        try await access.pendingApplication()
    } else if let created = try await FirstAdministrator(accounts: services.accounts).createIfNoAccounts(
        division: services.configuration.platformDivision,
        configuredPassword: services.configuration.initialAdminPassword)
    {
        report.firstAdministrator = (created.username, created.generatedPassword)
    }
    return report
}

/// Mounts every surface on one router (DESIGN.md, surfaces).
func buildRouter(_ services: SiteRollServices) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        MetricsMiddleware()
        RequestOriginMiddleware(trustForwardedFor: services.configuration.trustForwardedFor)
        ErrorMiddleware(pages: services.pages, navigation: services.navigation, sessions: services.sessions)
        ConsoleSessionMiddleware(sessions: services.sessions)
        BearerTokenMiddleware(sessions: services.sessions)
        APIInputMiddleware()
    }
    if let assets = Bundle.module.resourceURL?.appendingPathComponent("Assets").path {
        router.addMiddleware {
            FileMiddleware(assets, urlBasePath: "/assets")
        }
    }
    router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: Paths.Gov.home]) }
    // Browsers ask for it on every page; answering "nothing" keeps their consoles clean.
    router.get("/favicon.ico") { _, _ in Response(status: .noContent) }

    OperationsController(database: services.database, registry: services.metrics).addRoutes(to: router)
    NationalGateway(
        database: services.database, apps: services.nationalApps,
        methods: NationalMethods(
            database: services.database, jobs: services.nationalJobs, apps: services.nationalApps,
            queries: NationalQueries(
                database: services.database, cipher: services.cipher, projects: services.projects,
                attendance: services.attendance, wages: services.wages, restrictions: services.restrictions)),
        policy: .init()
    ).addRoutes(to: router)
    try APIDocsController(pages: services.pages).addRoutes(to: router)
    ConsoleAuthController(
        accounts: services.accounts, pages: services.pages, navigation: services.navigation,
        secureCookies: services.configuration.secureCookies, sessionLifetime: services.configuration.sessionLifetime
    ).addRoutes(to: router)

    let home = HomePages(
        reads: HomeReads(
            database: services.database, navigation: services.navigation, audit: services.audit,
            enterprises: services.enterprises, accounts: services.accounts, projects: services.projects,
            attendance: services.attendance, warnings: services.warnings, workerWages: services.wages.workerWages),
        pages: services.pages, navigation: services.navigation)
    let accountPages = AccountPages(
        accounts: services.accounts, audit: services.audit, pages: services.pages, navigation: services.navigation)
    let auditPages = AuditPages(audit: services.audit, pages: services.pages, navigation: services.navigation)

    let gov = router.group("gov", context: GovContext.self)
    home.addRoutes(to: gov)
    accountPages.addRoutes(to: gov)
    auditPages.addRoutes(to: gov)
    EnterprisePages(
        enterprises: services.enterprises, accounts: services.accounts, pages: services.pages,
        navigation: services.navigation
    ).addRoutes(to: gov)

    let registration = WorkerRegistrationPages(
        verification: services.workerVerification, pages: services.pages, navigation: services.navigation,
        secureCookies: services.configuration.secureCookies, throttle: services.accounts.throttle)
    registration.addRoutes(to: router)
    EnterpriseRegistrationPages(
        verification: services.enterpriseVerification, pages: services.pages, navigation: services.navigation,
        secureCookies: services.configuration.secureCookies
    ).addRoutes(to: router)

    let corp = router.group("corp", context: CorpContext.self)
    registration.addRoutes(to: corp)
    home.addRoutes(to: corp)
    accountPages.addRoutes(to: corp)
    auditPages.addRoutes(to: corp)

    let workerPages = WorkerPages(
        directory: WorkerDirectory(database: services.database, cipher: services.cipher), pages: services.pages,
        navigation: services.navigation)
    workerPages.addListRoute(to: gov)
    RestrictionPages(restrictions: services.restrictions, pages: services.pages, navigation: services.navigation)
        .addRoutes(to: gov)
    workerPages.addDetailRoutes(to: gov)
    workerPages.addDetailRoutes(to: corp)

    let mobile = router.group("m", context: WorkerContext.self)
    home.addRoutes(to: mobile)
    home.addMobileRoutes(to: mobile)
    workerPages.addDetailRoutes(to: mobile)

    let projectPages = ProjectPages(services: services.projects, pages: services.pages, navigation: services.navigation)
    projectPages.addReadRoutes(to: gov)
    projectPages.addFormRoutes(to: corp)
    projectPages.addReadRoutes(to: corp)
    let workerProjects = WorkerProjectPages(
        services: services.projects, pages: services.pages, navigation: services.navigation)
    workerProjects.addRoutes(to: mobile)
    workerProjects.addRegulatorRoutes(to: gov)
    let wagePages = WagePages(wages: services.wages, projects: projectPages)
    wagePages.addReadRoutes(to: gov)
    wagePages.addEmployerRoutes(to: corp)
    wagePages.addReadRoutes(to: corp)
    WorkerWagePages(reads: wagePages.reads, pages: services.pages, navigation: services.navigation)
        .addRoutes(to: mobile)
    let attendancePages = AttendancePages(attendance: services.attendance, projects: projectPages)
    attendancePages.addReadRoutes(to: gov)
    attendancePages.addEmployerRoutes(to: corp)
    attendancePages.addReadRoutes(to: corp)
    WorkerAttendancePages(
        attendance: services.attendance,
        directory: WorkerDirectory(database: services.database, cipher: services.cipher),
        pages: services.pages, navigation: services.navigation
    )
    .addRoutes(to: mobile)
    WarningPages(
        warnings: services.warnings, projects: services.projects, pages: services.pages, navigation: services.navigation
    ).addRoutes(gov: gov, corp: corp, mobile: mobile)
    NationalAccessPages(
        service: services.nationalAccess,
        reads: NationalAccessReads(
            database: services.database, service: services.nationalAccess, divisions: services.divisions),
        pages: services.pages, navigation: services.navigation
    ).addRoutes(gov: gov, corp: corp)
    let payoutPages = PayoutPages(payouts: services.payouts, projects: projectPages)
    payoutPages.addReadRoutes(to: gov)
    payoutPages.addContractorRoutes(to: corp)
    payoutPages.addReadRoutes(to: corp)

    let api = APIService(
        accounts: services.accounts, audit: services.audit, divisions: services.divisions,
        navigation: services.navigation, appTokens: services.appTokens,
        workerVerification: services.workerVerification, enterpriseVerification: services.enterpriseVerification,
        workerRegistry: WorkerRegistry(database: services.database, cipher: services.cipher),
        restrictions: services.restrictions, projects: services.projects, attendance: services.attendance,
        wages: services.wages, warnings: services.warnings, nationalApps: services.nationalApps,
        nationalWrites: services.nationalJobs.writes)
    try api.registerHandlers(
        // A constant relative URL: it parses.
        on: router, serverURL: URL(string: "/api/v1")!,
        configuration: .init(dateTranscoder: LenientISO8601Transcoder()))
    return router
}

/// swift-metrics can be bootstrapped once per process; tests build many applications.
enum MetricsBootstrap {
    private static let shared = Mutex<PrometheusCollectorRegistry?>(nil)

    static func registry() -> PrometheusCollectorRegistry {
        shared.withLock { existing in
            if let existing { return existing }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            existing = registry
            return registry
        }
    }
}
