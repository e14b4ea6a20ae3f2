import HTTPTypes

/// Header names HTTPTypes does not declare, spelled once here.
extension HTTPField.Name {
    static let xForwardedFor = named("X-Forwarded-For")
    static let xContentTypeOptions = named("X-Content-Type-Options")
    static let xFrameOptions = named("X-Frame-Options")
    static let xRequestID = named("X-Request-Id")
    static let xSimulator = named("X-Simulator")
    static let referrerPolicy = named("Referrer-Policy")
    /// Internal: a form's one-time notice on its redirect, taken off by the session middleware.
    static let xSiteRollFlash = named("X-SiteRoll-Flash")

    private static func named(_ literal: StaticString) -> Self {
        // Only the constants above come here, each a valid header token.
        Self("\(literal)")!
    }
}
