import Foundation

/// The identity authority (G1, M1): confirms that a name, an identity number and a portrait
/// belong together. One real HTTP implementation (`HTTPIdentityAuthority`, contract in
/// docs/identity-authority.md) and a simulator speaking the same contract on loopback.
public protocol IdentityAuthority: Sendable {
    func verify(_ request: IdentityCheckRequest) async throws(IdentityAuthorityError) -> IdentityCheckResult
}

/// What SiteRoll asks. The number travels only over this call, never in a URL or a log line.
public struct IdentityCheckRequest: Codable, Sendable, Equatable {
    public var requestId: String
    public var name: String
    public var idNumber: String
    /// Base64 of the JPEG or PNG portrait (at most 50 KB before encoding).
    public var portrait: String

    public init(requestId: String, name: String, idNumber: String, portrait: String) {
        self.requestId = requestId
        self.name = name
        self.idNumber = idNumber
        self.portrait = portrait
    }
}

/// What the authority answers.
public struct IdentityCheckResult: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable {
        /// Name, number and portrait agree.
        case match
        /// The number exists but belongs to another name.
        case nameMismatch = "name_mismatch"
        /// No such number.
        case notFound = "not_found"
        /// Name and number agree; the portrait is not the same person.
        case portraitMismatch = "portrait_mismatch"
    }

    public var requestId: String
    public var verdict: Verdict
    /// 0–100: how alike the portrait and the photo on record are.
    public var portraitScore: Int
    /// Who answered, as the authority names itself.
    public var authority: String
    /// True when the simulator answered: screens and logs say so (DESIGN.md, external systems).
    public var simulated: Bool

    public init(requestId: String, verdict: Verdict, portraitScore: Int, authority: String, simulated: Bool) {
        self.requestId = requestId
        self.verdict = verdict
        self.portraitScore = portraitScore
        self.authority = authority
        self.simulated = simulated
    }

    /// The Chinese sentence a person reads about the outcome.
    public var chineseMessage: String {
        let source = simulated ? "（模拟身份核验服务应答，非真实核验）" : ""
        switch verdict {
        case .match: return "身份核验通过\(source)"
        case .nameMismatch: return "姓名与身份证号不一致，请核对后重新提交\(source)"
        case .notFound: return "身份证号在身份核验机构中不存在，请核对后重新提交\(source)"
        case .portraitMismatch: return "人像照片与身份证登记照片不是同一人，请重新拍摄本人正面照片\(source)"
        }
    }
}

/// Why no answer came. All of these keep the submission for a later retry: nothing is lost.
public enum IdentityAuthorityError: Error, Sendable, Equatable {
    case timeout
    case unavailable(status: Int)
    case rejected(status: Int, reason: String)
    case malformedAnswer
    case notConfigured

    public var chineseMessage: String {
        switch self {
        case .timeout: "身份核验机构响应超时，已保存您的提交，系统将稍后重试"
        case .unavailable: "身份核验机构暂时无法访问，已保存您的提交，系统将稍后重试"
        case .rejected: "身份核验机构拒绝了本次请求，已保存您的提交，请稍后重试或联系平台运维"
        case .malformedAnswer: "身份核验机构的应答无法识别，已保存您的提交，系统将稍后重试"
        case .notConfigured: "平台尚未配置身份核验机构地址，已保存您的提交，请联系平台运维"
        }
    }
}
