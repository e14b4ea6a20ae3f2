import SiteRollCore

/// Who is asking, as one value: the signed-in account, its reach and the console it came through.
/// Every page read takes a `Caller` and decides reach itself (`ProjectReach`), so a page cannot
/// forget to check it. The CSRF token travels along for the forms the page model carries.
struct Caller: Sendable {
    let account: AccountSnapshot
    let scope: AccessScope
    let audience: Audience
    let csrf: String

    /// `/gov`, `/corp` or `/m`.
    var base: String { audience.basePath }
}

extension ConsoleContext {
    var caller: Caller {
        Caller(account: account, scope: scope, audience: Self.audience, csrf: identity.csrfToken)
    }
}
