import FluentKit

/// The numbered changelog of the schema. Append only: a shipped migration is never edited.
public enum SiteRollMigrations {
    public static var all: [any Migration] {
        [
            CreateEnterprise(),
            CreateWorker(),
            CreateAccount(),
            CreateAppCredential(),
            CreateSession(),
            CreateAuditEvent(),
            CreateSetting(),
            // 002: real-name verification (issue 3)
            UpdateEnterpriseAddVerification(),
            UpdateWorkerAddIdentity(),
            CreateVerificationCode(),
            CreateVerificationRequest(),
            CreateWorkerDocument(),
            CreateEnterpriseQualification(),
            CreateRestriction(),
            // 003: projects and workforce (issue 4)
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
            // 004: attendance (issue 5)
            UpdateProjectAddAttendancePolicy(),
            CreateAttendanceDevice(),
            CreateAttendancePunch(),
            CreateAttendanceReview(),
            CreateWorkerPhoneDevice(),
            CreateManualPunchRequest(),
            // 005: wages (issue 6)
            CreateWorkerBankCard(),
            CreatePayroll(),
            CreateWagePayment(),
            CreateWageAgencyAgreement(),
            CreateComplaint(),
            CreateWageWarning(),
            // 006: after issue 6: the warning run's speed, background follow-up of bank batches
            UpdateTrainingAttendeeAddWorkerIndex(),
            UpdateWagePaymentBatchAddFollowUp(),
            // 007: no request stops the server (issue 12): night shifts, sign-in throttling
            UpdateProjectAddAttendanceDayStart(),
            CreateLoginThrottle(),
            CreateKnownDevice(),
        ]
    }
}
