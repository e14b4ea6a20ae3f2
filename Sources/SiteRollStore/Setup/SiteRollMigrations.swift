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
        ]
    }
}
