import HTTPTypes

/// Header names HTTPTypes does not declare. Each literal is a valid header token, so the
/// failable initializer cannot fail; they are spelled once here.
extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xRequestID = Self("X-Request-Id")!
    static let xSimulator = Self("X-Simulator")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
