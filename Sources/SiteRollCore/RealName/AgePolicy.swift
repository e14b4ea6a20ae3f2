/// Who may be registered as a worker, by age (standards.md d.4; issue 3 item 2). There is no national
/// upper limit; the Labour Law forbids employing anyone under 16; local rules differ (Shanghai bars men
/// over 60, Chengdu asks over-60s for a health certificate). So the numbers are a per-division setting,
/// with Sichuan's defaults: under 16 refused, over 60 accepted with a health-certificate warning.
///
/// Ages are completed years on the day of the check (`LocalDate.age(on:)`): a person is 16 from the
/// 16th birthday itself. "Over 60" means a completed age above 60, so the warning starts on the
/// 61st birthday; a division whose rule reads "60周岁以上" inclusively sets `healthCertificateAge` to 59.
public struct AgePolicy: Sendable, Hashable, Codable {
    /// Younger than this is refused (Labour Law art. 15 via standards.md d.4: 16).
    public var minimumAge: Int
    /// Older than this is accepted with a warning that a health certificate is required.
    public var healthCertificateAge: Int
    /// Older than this is refused; nil = no upper limit (the national default).
    public var maximumAge: Int?

    public init(minimumAge: Int = 16, healthCertificateAge: Int = 60, maximumAge: Int? = nil) {
        self.minimumAge = minimumAge
        self.healthCertificateAge = healthCertificateAge
        self.maximumAge = maximumAge
    }

    /// Sichuan's defaults (standards.md d.4).
    public static let sichuanDefault = AgePolicy()

    public func evaluate(birthDate: LocalDate, on today: LocalDate) -> AgeDecision {
        let age = birthDate.age(on: today)
        if age < minimumAge { return .refused(.underMinimum(minimumAge: minimumAge)) }
        if let maximumAge, age > maximumAge { return .refused(.overMaximum(maximumAge: maximumAge)) }
        if age > healthCertificateAge {
            return .accepted(warnings: [.healthCertificateRequired(thresholdAge: healthCertificateAge)])
        }
        return .accepted(warnings: [])
    }
}

/// The outcome of an age check: refused with a reason, or accepted with zero or more warnings.
public enum AgeDecision: Sendable, Equatable {
    case refused(AgeRefusal)
    case accepted(warnings: [AgeWarning])

    public var isAccepted: Bool {
        if case .accepted = self { true } else { false }
    }
}

public enum AgeRefusal: VerificationFinding, Equatable {
    case underMinimum(minimumAge: Int)
    case overMaximum(maximumAge: Int)

    public var code: String {
        switch self {
        case .underMinimum: "AGE_UNDER_MINIMUM"
        case .overMaximum: "AGE_OVER_MAXIMUM"
        }
    }

    public var chineseMessage: String {
        switch self {
        case .underMinimum(let age): "未满 \(age) 周岁，依法不得招用，不能登记为建筑工人"
        case .overMaximum(let age): "已超过 \(age) 周岁，按本地区规定不能登记为建筑工人"
        }
    }
}

public enum AgeWarning: VerificationFinding, Equatable {
    case healthCertificateRequired(thresholdAge: Int)

    public var code: String {
        switch self {
        case .healthCertificateRequired: "AGE_HEALTH_CERTIFICATE_REQUIRED"
        }
    }

    public var chineseMessage: String {
        switch self {
        case .healthCertificateRequired(let age): "已超过 \(age) 周岁，上岗前须提供有效的健康证明"
        }
    }
}
