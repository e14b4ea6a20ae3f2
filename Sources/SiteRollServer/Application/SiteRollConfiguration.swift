import Configuration
import Foundation
import SiteRollCore
import SiteRollStore

/// Everything `siteroll serve` can be told, read through swift-configuration. The command line
/// sits over the environment, which sits over these defaults (see README, "Configuration").
public struct SiteRollConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Where the SQLite file, the generated data key and uploads live.
    public var dataDirectory = "siteroll-data"
    /// nil: SQLite in `dataDirectory`.
    public var databaseURL: String?
    /// PostgreSQL connections per event loop (two loops per process).
    public var databasePoolSize = 4
    /// Seconds a unit of work waits for a free PostgreSQL connection before failing.
    public var databasePoolTimeout = 10
    /// Load the demo data on first start (never without this flag).
    public var demo = false
    /// The division this deployment serves; the first administrator belongs to it.
    public var platformDivision = DivisionCode.sichuan
    /// The first administrator's password, if the operator wants to set it rather than read it.
    public var initialAdminPassword: String?
    /// Base64 master key for encrypting identity and bank card numbers (32 bytes or more).
    public var dataKey: String?
    public var bcryptCost: UInt8 = 10
    public var sessionLifetime: TimeInterval = 8 * 3600
    public var apiTokenLifetime: TimeInterval = 12 * 3600
    public var loginThrottle = LoginThrottlePolicy()
    /// `Secure` cookies: nil decides by the listening address — off on a loopback address (the
    /// demo, plain HTTP on one machine), on everywhere else, where SiteRoll sits behind HTTPS
    /// (which phone geolocation needs anyway).
    public var secureCookiesSetting: Bool?
    public var secureCookies: Bool { secureCookiesSetting ?? !Self.isLoopback(host) }
    /// Take the client address from the last `X-Forwarded-For` entry (behind a trusted proxy).
    public var trustForwardedFor = false
    /// The identity authority's base URL (docs/identity-authority.md). Without one, `--demo`
    /// runs the simulator inside the process; otherwise submissions wait for configuration.
    public var identityAuthorityURL: String?
    public var identityAuthorityKey: String?
    public var identityAuthorityTimeout: TimeInterval = 10
    /// Age policy for worker verification (standards.md d.4): the default, and per-division
    /// overrides as `division:minimum:healthCertificate[:maximum]` entries.
    public var minimumAge = 16
    public var healthCertificateAge = 60
    public var divisionAgePolicies = ""
    /// What a participating unit's exit does to its teams and workers still on site (issue 4).
    public var unitExitPolicy = UnitExitPolicy.closeEntries
    /// How long a basic safety or site-entry training counts for site entry (R2, R6).
    public var safetyTrainingValidityDays = 365
    /// Largest labour-contract scan accepted.
    public var contractFileMaxKilobytes = 5 * 1024
    /// The pay day (day of the next month) new projects start with (Chengdu: the 10th, d.3).
    public var defaultPayDay = 10
    /// Monthly minimum wages per division and date (`MinimumWageBook`).
    public var minimumWages = MinimumWageBook.sichuanDefault
    /// Whether `--demo` also loads the wage history (payrolls, payments); tests that build their own turn it off.
    public var demoWages = true
    /// Paid days of a full month for a monthly wage (21.75) [I].
    public var fullMonthDays = 21.75
    /// Public holidays and make-up working days (yyyy-MM-dd lists): a pay day on a rest day moves earlier (W3).
    public var holidays = ""
    public var workingWeekendDays = ""
    /// Largest signed wage table or agency agreement scan accepted.
    public var wageScanMaxKilobytes = 5 * 1024
    /// The bank gateway's base URL (docs/bank-gateway.md). Without one, `--demo` and the tests run the
    /// bank simulator inside the process; otherwise pay-on-behalf waits for configuration.
    public var bankURL: String?
    public var bankKey: String?
    public var bankTimeout: TimeInterval = 15
    /// How often unsettled pay-on-behalf batches are looked for and followed up; 0 switches it off.
    public var bankFollowUpSeconds = 60
    /// Hotlines every rights board shows (W15): labour inspection and legal aid.
    public var labourInspectionPhone = "12333"
    public var legalAidPhone = "12348"
    /// Phone-punch plausibility defaults (M3); projects may set their own.
    public var outsideFencePolicy = "suspicious"
    public var maximumAccuracyMetres = 100.0
    public var minimumPlausibleAccuracyMetres = 3.0
    public var maximumSpeedKmh = 120.0
    public var maximumClockSkewSeconds = 300.0
    public var maximumOfflineHours = 72.0
    /// Man-day rule for sheets [I]: full day from this many hours, half day from that many.
    public var fullDayHours = 6.0
    public var halfDayHours = 2.0
    /// Wage warnings (issue 6, standards.md d.6): minutes between scheduled runs (0: on demand
    /// only), seconds before the first scheduled check, the lease a run holds, how many pay months
    /// back the pay rules look, `warnings.<setting>` thresholds (`WarningPolicy.settingNames`; pay day
    /// and training validity default to `wages.pay-day` and `projects.safety-training-days`),
    /// per-division overrides and rules switched off everywhere.
    public var warningIntervalMinutes = 1440
    public var warningStartDelaySeconds = 300
    public var warningLeaseMinutes = 120
    public var warningLookbackMonths = 12
    public var warningSettings: [String: String] = [:]
    public var warningDivisionOverrides = ""
    public var warningDisabledRules = ""
    /// `pg_dump` and `pg_restore` for `siteroll backup`/`restore` on PostgreSQL (nil: found on
    /// `PATH` or under `/usr/lib/postgresql/*/bin`).
    public var backupPgDump: String?
    public var backupPgRestore: String?
    /// Hours a national app's previous secret keeps verifying after a rotation (A1), so that a
    /// vendor can change its configuration without a gap; 0 stops it at once.
    public var nationalSecretOverlapHours = 24
    /// Values that could not be read; `makeServices` refuses to start with any.
    public var problems: [String] = []
    /// Identities for the in-process simulator (tests and demo); nil outside them.
    public var simulatorIdentities: String?

    public init() {}

    /// Reads keys such as `http.host`, `database.url`, `auth.bcrypt-cost`; in the environment these
    /// are `HTTP_HOST`, `DATABASE_URL`, `AUTH_BCRYPT_COST`.
    public init(reader: ConfigReader) {
        self.init()
        host = reader.string(forKey: "http.host", default: host)
        port = reader.int(forKey: "http.port", default: port)
        dataDirectory = reader.string(forKey: "data.dir", default: dataDirectory)
        databaseURL = reader.string(forKey: "database.url", isSecret: true)
        databasePoolSize = reader.int(forKey: "database.pool-size", default: databasePoolSize)
        databasePoolTimeout = reader.int(forKey: "database.pool-timeout", default: databasePoolTimeout)
        demo = reader.bool(forKey: "demo", default: demo)
        if let division = reader.string(forKey: "platform.division").flatMap({ DivisionCode($0) }) {
            platformDivision = division
        }
        initialAdminPassword = reader.string(forKey: "admin.password", isSecret: true)
        dataKey = reader.string(forKey: "data.key", isSecret: true)
        bcryptCost = UInt8(clamping: reader.int(forKey: "auth.bcrypt-cost", default: Int(bcryptCost)))
        sessionLifetime = TimeInterval(reader.int(forKey: "auth.session-minutes", default: 480) * 60)
        loginThrottle = LoginThrottlePolicy(
            freeFailures: reader.int(forKey: "auth.lockout-attempts", default: loginThrottle.freeFailures),
            sourceFreeFailures: reader.int(
                forKey: "auth.source-free-failures", default: loginThrottle.sourceFreeFailures),
            maximumDelay: TimeInterval(min(max(reader.int(forKey: "auth.lockout-minutes", default: 15), 1), 1440) * 60))
        secureCookiesSetting = reader.bool(forKey: "http.secure-cookies")
        trustForwardedFor = reader.bool(forKey: "http.trust-forwarded-for", default: trustForwardedFor)
        minimumAge = reader.int(forKey: "realname.minimum-age", default: minimumAge)
        healthCertificateAge = reader.int(forKey: "realname.health-certificate-age", default: healthCertificateAge)
        divisionAgePolicies = reader.string(forKey: "realname.division-age-policies", default: divisionAgePolicies)
        let exitPolicy = reader.string(forKey: "projects.unit-exit-policy", default: "close")
        if let policy = UnitExitPolicy(rawValue: exitPolicy) {
            unitExitPolicy = policy
        } else {
            problems.append("projects.unit-exit-policy 应为 close 或 refuse，当前为“\(exitPolicy)”")
        }
        safetyTrainingValidityDays = reader.int(
            forKey: "projects.safety-training-days", default: safetyTrainingValidityDays)
        contractFileMaxKilobytes = reader.int(
            forKey: "projects.contract-file-max-kb", default: contractFileMaxKilobytes)
        defaultPayDay = reader.int(forKey: "wages.pay-day", default: defaultPayDay)
        minimumWages = reader.string(forKey: "wages.minimum-wages", default: minimumWages)
        demoWages = reader.bool(forKey: "demo.wages", default: demoWages)
        fullMonthDays = reader.double(forKey: "wages.full-month-days", default: fullMonthDays)
        holidays = reader.string(forKey: "wages.holidays", default: holidays)
        workingWeekendDays = reader.string(forKey: "wages.working-weekend-days", default: workingWeekendDays)
        for (key, text) in [("wages.holidays", holidays), ("wages.working-weekend-days", workingWeekendDays)] {
            do { _ = try PayDayRule.parseDates(text) } catch { problems.append("\(key)：\(error.description)") }
        }
        if !(1...31).contains(defaultPayDay) { problems.append("wages.pay-day 应为 1 到 31 之间的日期，当前为 \(defaultPayDay)") }
        do { _ = try MinimumWageBook.parse(minimumWages) } catch {
            problems.append("wages.minimum-wages：\(error.description)")
        }
        wageScanMaxKilobytes = reader.int(forKey: "wages.scan-max-kb", default: wageScanMaxKilobytes)
        bankURL = reader.string(forKey: "bank.url")
        bankKey = reader.string(forKey: "bank.key", isSecret: true)
        bankTimeout = TimeInterval(reader.int(forKey: "bank.timeout-seconds", default: 15))
        bankFollowUpSeconds = reader.int(forKey: "bank.follow-up-seconds", default: bankFollowUpSeconds)
        labourInspectionPhone = reader.string(forKey: "board.labour-inspection-phone", default: labourInspectionPhone)
        legalAidPhone = reader.string(forKey: "board.legal-aid-phone", default: legalAidPhone)
        outsideFencePolicy = reader.string(forKey: "attendance.outside-fence", default: outsideFencePolicy)
        if OutsideFencePolicy(rawValue: outsideFencePolicy) == nil {
            problems.append("attendance.outside-fence 应为 suspicious 或 refuse，当前为“\(outsideFencePolicy)”")
        }
        maximumAccuracyMetres = reader.double(forKey: "attendance.max-accuracy-metres", default: maximumAccuracyMetres)
        minimumPlausibleAccuracyMetres = reader.double(
            forKey: "attendance.min-plausible-accuracy-metres", default: minimumPlausibleAccuracyMetres)
        maximumSpeedKmh = reader.double(forKey: "attendance.max-speed-kmh", default: maximumSpeedKmh)
        maximumClockSkewSeconds = reader.double(
            forKey: "attendance.max-clock-skew-seconds", default: maximumClockSkewSeconds)
        maximumOfflineHours = reader.double(forKey: "attendance.max-offline-hours", default: maximumOfflineHours)
        fullDayHours = reader.double(forKey: "attendance.full-day-hours", default: fullDayHours)
        halfDayHours = reader.double(forKey: "attendance.half-day-hours", default: halfDayHours)
        readWarnings(reader)
        backupPgDump = reader.string(forKey: "backup.pg-dump")
        backupPgRestore = reader.string(forKey: "backup.pg-restore")
        nationalSecretOverlapHours = reader.int(
            forKey: "national.secret-overlap-hours", default: nationalSecretOverlapHours)
        if !(0...720).contains(nationalSecretOverlapHours) {
            problems.append("national.secret-overlap-hours 应为 0 到 720 之间的小时数，当前为 \(nationalSecretOverlapHours)")
        }
        identityAuthorityURL = reader.string(forKey: "identity.authority-url")
        identityAuthorityKey = reader.string(forKey: "identity.authority-key", isSecret: true)
        identityAuthorityTimeout = TimeInterval(reader.int(forKey: "identity.authority-timeout-seconds", default: 10))
    }

    /// A configuration value SiteRoll cannot use, named with what it should be.
    public struct Invalid: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { "配置有误：" + problems.joined(separator: "；") }
    }

    private mutating func readWarnings(_ reader: ConfigReader) {
        warningIntervalMinutes = reader.int(forKey: "warnings.interval-minutes", default: warningIntervalMinutes)
        warningStartDelaySeconds = reader.int(forKey: "warnings.start-delay-seconds", default: warningStartDelaySeconds)
        warningLeaseMinutes = reader.int(forKey: "warnings.lease-minutes", default: warningLeaseMinutes)
        warningLookbackMonths = reader.int(forKey: "warnings.lookback-months", default: warningLookbackMonths)
        for name in WarningPolicy.settingNames {
            if let value = reader.string(forKey: ConfigKey("warnings.\(name)")) { warningSettings[name] = value }
        }
        warningDivisionOverrides = reader.string(
            forKey: "warnings.division-overrides", default: warningDivisionOverrides)
        warningDisabledRules = reader.string(forKey: "warnings.disabled-rules", default: warningDisabledRules)
        if warningIntervalMinutes < 0 { problems.append("warnings.interval-minutes 应为不小于 0 的分钟数（0 表示只按需运行）") }
        if warningLeaseMinutes < 1 { problems.append("warnings.lease-minutes 应为正整数分钟") }
        if !(1...60).contains(warningLookbackMonths) { problems.append("warnings.lookback-months 应为 1 到 60 之间的月数") }
        do { _ = try warningPolicies() } catch { problems.append("预警配置：\(error.description)（错误代码 \(error.code)）") }
    }

    /// The warning thresholds of every division (`WarningPolicyBook`).
    public func warningPolicies() throws(WarningPolicyError) -> WarningPolicyBook {
        var policy = WarningPolicy()
        if (1...31).contains(defaultPayDay) { policy.payDay = defaultPayDay }
        if (1...3650).contains(safetyTrainingValidityDays) {
            policy.safetyTrainingValidityDays = safetyTrainingValidityDays
        }
        for name in WarningPolicy.settingNames {
            if let value = warningSettings[name] { try policy.apply(name, value.trimmingCharacters(in: .whitespaces)) }
        }
        policy.disabledRules = try WarningPolicyBook.parseRules(warningDisabledRules)
        return try WarningPolicyBook.parse(
            warningDivisionOverrides, defaultPolicy: policy, lookbackMonths: min(max(warningLookbackMonths, 1), 60))
    }

    public func agePolicies() throws -> AgePolicyBook {
        try AgePolicyBook.parse(
            divisionAgePolicies,
            defaultPolicy: AgePolicy(minimumAge: minimumAge, healthCertificateAge: healthCertificateAge))
    }

    public func plausibilityPolicy() -> PlausibilityPolicy {
        var policy = PlausibilityPolicy.default
        policy.outsideFence = OutsideFencePolicy(rawValue: outsideFencePolicy) ?? .suspicious
        policy.maximumAccuracyMetres = maximumAccuracyMetres
        policy.minimumPlausibleAccuracyMetres = minimumPlausibleAccuracyMetres
        policy.maximumSpeedKmh = maximumSpeedKmh
        policy.maximumClockSkewSeconds = maximumClockSkewSeconds
        policy.maximumOfflineHours = maximumOfflineHours
        return policy
    }

    public var manDayRule: ManDayRule {
        var rule = ManDayRule()
        rule.fullDayMinimumHours = fullDayHours
        rule.halfDayMinimumHours = halfDayHours
        return rule
    }

    public func databaseLocation() throws -> DatabaseLocation {
        if let databaseURL, !databaseURL.isEmpty { return try DatabaseLocation.parse(databaseURL) }
        return .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("siteroll.sqlite").path)
    }
}

extension SiteRollConfiguration {
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
