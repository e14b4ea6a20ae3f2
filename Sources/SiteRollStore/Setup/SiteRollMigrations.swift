import FluentKit

/// The numbered changelog of the schema. Append only: a shipped migration is never edited.
public enum SiteRollMigrations {
    /// The migrations by level, the `Migrations/NNN/` folder they live in. The level of the newest
    /// migration applied is what start-up and backups report as "schema at NNN".
    public static var levels: [(level: String, migrations: [any Migration])] {
        [
            (
                "001",
                [
                    CreateEnterprise(),
                    CreateWorker(),
                    CreateAccount(),
                    CreateAppCredential(),
                    CreateSession(),
                    CreateAuditEvent(),
                    CreateSetting(),
                ]
            ),
            // 002: real-name verification (issue 3)
            (
                "002",
                [
                    UpdateEnterpriseAddVerification(),
                    UpdateWorkerAddIdentity(),
                    CreateVerificationCode(),
                    CreateVerificationRequest(),
                    CreateWorkerDocument(),
                    CreateEnterpriseQualification(),
                    CreateRestriction(),
                ]
            ),
            // 003: projects and workforce (issue 4)
            (
                "003",
                [
                    CreateProject(),
                    CreateProjectUnit(),
                    CreateProjectManager(),
                    CreateTeam(),
                    CreateTeamMember(),
                    CreateLabourContract(),
                    CreateTraining(),
                    CreateProjectWorker(),
                    CreateEntryExitRecord(),
                    CreateWageAccount(),
                ]
            ),
            // 004: attendance (issue 5)
            (
                "004",
                [
                    UpdateProjectAddAttendancePolicy(),
                    CreateAttendanceDevice(),
                    CreateAttendancePunch(),
                    CreateAttendanceReview(),
                    CreateWorkerPhoneDevice(),
                    CreateManualPunchRequest(),
                ]
            ),
            // 005: wages (issue 6)
            (
                "005",
                [
                    CreateWorkerBankCard(),
                    CreatePayroll(),
                    CreateWagePayment(),
                    CreateWageAgencyAgreement(),
                    CreateComplaint(),
                    CreateWageWarning(),
                ]
            ),
            // 006: after issue 6: the warning run's speed, background follow-up of bank batches
            (
                "006",
                [
                    UpdateTrainingAttendeeAddWorkerIndex(),
                    UpdateWagePaymentBatchAddFollowUp(),
                ]
            ),
            // 007: no request stops the server (issue 12): night shifts, sign-in throttling
            (
                "007",
                [
                    UpdateProjectAddAttendanceDayStart(),
                    CreateLoginThrottle(),
                    CreateKnownDevice(),
                ]
            ),
            // 008: screens as people use them (issue 14): one-time notices after a form's redirect
            ("008", [UpdateSessionAddFlash()]),
            // 009: the national open interface (issue 15): national apps, replay memory, call counts
            ("009", [UpdateAppCredentialForNational(), CreateNationalGatewayTables()]),
            // 010: platform access (issue 15 item 4, A1): applications, their projects, rotation and revocation
            (
                "010",
                [CreateNationalAccessApplication(), CreateNationalAccessProject(), UpdateAppCredentialForAccess()]
            ),
            // 011: national writes on SiteRoll's own data (issue 15): workers registered before entry,
            // training pass and score
            ("011", [CreateWorkerRegistrations(), UpdateTrainingForNational(), UpdateNationalRequestsAddDigest()]),
        ]
    }

    /// Every migration in the order it is applied.
    public static var all: [any Migration] { levels.flatMap(\.migrations) }

    /// The level of the newest migration among `applied` (migration names as FluentKit records
    /// them), or nil when none of this binary's migrations is applied.
    public static func level(ofApplied applied: some Sequence<String>) -> String? {
        let names = Set(applied)
        return levels.last { level in level.migrations.contains { names.contains($0.name) } }?.level
    }

    /// Names in `applied` that this binary does not know: a database written by a newer SiteRoll.
    public static func unknown(among applied: some Sequence<String>) -> [String] {
        let known = Set(all.map(\.name))
        return applied.filter { !known.contains($0) }
    }
}
