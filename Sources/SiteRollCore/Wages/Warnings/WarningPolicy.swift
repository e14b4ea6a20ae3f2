import Foundation

/// The thresholds the warning rules apply in one division (standards.md d.2, d.3). Defaults follow
/// the law where it names a number (30 days for the account, a one-month transfer cycle, one year
/// of inactivity) and Chengdu where the province does not (pay by the 10th, 5 days of manager
/// absence); everything marked [I] is a guess at local practice and is configuration, never truth.
public struct WarningPolicy: Sendable, Hashable {
    /// WW-01: days after the construction contract by which the dedicated account exists (53号: 30).
    public var accountDays = 30
    /// WW-02: the longest labour-cost transfer cycle in months (art. 24: one month).
    public var transferMonths = 1
    /// WW-03 [I]: cumulative labour-cost transfers must reach this share (percent) of the wages
    /// due for the months whose pay day has passed. The data holds no progress payments, so the
    /// wages actually due are the base (see docs/warnings.md).
    public var transferRatioPercent = 100
    /// WW-04…WW-06: the latest pay day of the following month (Chengdu: the 10th). A project that
    /// agreed on an earlier day is held to its own day; a later one to this.
    public var payDay = 10
    /// WW-04…WW-06 [I]: days after the pay day before a missing or short payment is warned about
    /// (bank feedback can take a day).
    public var graceDays = 0
    /// WW-09 (R6): days without any data before a worker must be trained again.
    public var inactivityDays = 365
    /// WW-08: how long a basic safety or site-entry training counts (as for site entry, R2).
    public var safetyTrainingValidityDays = 365
    /// WW-14 (Chengdu 2021): consecutive working days without attendance for a manager.
    public var managerAbsenceDays = 5
    /// WW-10, WW-11, WW-12 [I]: days after the project's start by which the labour officer, the
    /// rights board and the wage guarantee are expected (Chengdu: management staff within 30 days).
    public var setupDays = 30
    /// WW-12 [I]: whether the division requires a wage guarantee (65号 lets local rules exempt).
    public var guaranteeRequired = true
    /// WW-13: whether over-age workers without a recorded health certificate are warned about
    /// (the platform does not record certificates yet, so a regulator dismisses with a reason).
    public var healthCertificateWarnings = true
    /// Rules switched off in this division.
    public var disabledRules: Set<WarningRuleID> = []

    public init() {}

    public func isEnabled(_ rule: WarningRuleID) -> Bool { !disabledRules.contains(rule) }

    /// The setting names, as configuration and overrides spell them.
    public static let settingNames = [
        "account-days", "transfer-months", "transfer-ratio-percent", "pay-day", "grace-days", "inactivity-days",
        "safety-training-days", "manager-absence-days", "setup-days", "guarantee-required",
        "health-certificate-warnings",
    ]

    /// Applies one `name=value` setting; `WW-nn=on|off` switches a rule.
    public mutating func apply(_ name: String, _ value: String) throws(WarningPolicyError) {
        if let rule = WarningRuleID(rawValue: name.uppercased()) {
            switch value.lowercased() {
            case "on", "true", "1": disabledRules.remove(rule)
            case "off", "false", "0": disabledRules.insert(rule)
            default: throw .badValue(name: name, value: value, expected: "on 或 off")
            }
            return
        }
        func number(_ range: ClosedRange<Int>) throws(WarningPolicyError) -> Int {
            guard let number = Int(value), range.contains(number) else {
                throw .badValue(name: name, value: value, expected: "\(range.lowerBound) 到 \(range.upperBound) 之间的整数")
            }
            return number
        }
        func flag() throws(WarningPolicyError) -> Bool {
            switch value.lowercased() {
            case "true", "yes", "1", "on": return true
            case "false", "no", "0", "off": return false
            default: throw .badValue(name: name, value: value, expected: "true 或 false")
            }
        }
        switch name {
        case "account-days": accountDays = try number(1...365)
        case "transfer-months": transferMonths = try number(1...12)
        case "transfer-ratio-percent": transferRatioPercent = try number(1...200)
        case "pay-day": payDay = try number(1...31)
        case "grace-days": graceDays = try number(0...31)
        case "inactivity-days": inactivityDays = try number(30...3650)
        case "safety-training-days": safetyTrainingValidityDays = try number(1...3650)
        case "manager-absence-days": managerAbsenceDays = try number(1...60)
        case "setup-days": setupDays = try number(0...365)
        case "guarantee-required": guaranteeRequired = try flag()
        case "health-certificate-warnings": healthCertificateWarnings = try flag()
        default: throw .unknownSetting(name)
        }
    }
}

public enum WarningPolicyError: Error, Equatable, CustomStringConvertible {
    case unknownSetting(String)
    case badValue(name: String, value: String, expected: String)
    case malformedOverride(String)
    case badDivision(String)

    public var code: String {
        switch self {
        case .unknownSetting: "WARNING_POLICY_UNKNOWN_SETTING"
        case .badValue: "WARNING_POLICY_BAD_VALUE"
        case .malformedOverride: "WARNING_POLICY_MALFORMED"
        case .badDivision: "WARNING_POLICY_BAD_DIVISION"
        }
    }

    public var description: String {
        switch self {
        case .unknownSetting(let name):
            "没有名为“\(name)”的预警设置，可用的有：\(WarningPolicy.settingNames.joined(separator: "、"))，以及 WW-01=off 这样的规则开关"
        case .badValue(let name, let value, let expected): "预警设置 \(name) 的值“\(value)”无效，应为\(expected)"
        case .malformedOverride(let text):
            "分区预警设置“\(text)”格式有误，应为 区划代码:设置=值,设置=值，例如 510100:pay-day=10,manager-absence-days=5"
        case .badDivision(let text): "分区预警设置中的“\(text)”不是六位行政区划代码"
        }
    }
}

/// The policy of every division: a platform default and per-division overrides, resolved by the
/// most specific division, as `AgePolicyBook` resolves age policies. An override only changes the
/// settings it names; a county inherits what its city set.
public struct WarningPolicyBook: Sendable, Hashable {
    public var defaultPolicy: WarningPolicy
    /// Division → `name=value` settings, in the order given.
    public var overrides: [DivisionCode: [(String, String)]]
    /// How many pay months back WW-04…WW-06 look (a platform setting, not per division).
    public var lookbackMonths: Int

    public init(
        defaultPolicy: WarningPolicy = WarningPolicy(), overrides: [DivisionCode: [(String, String)]] = [:],
        lookbackMonths: Int = 12
    ) {
        self.defaultPolicy = defaultPolicy
        self.overrides = overrides
        self.lookbackMonths = lookbackMonths
    }

    public static func == (lhs: WarningPolicyBook, rhs: WarningPolicyBook) -> Bool {
        lhs.defaultPolicy == rhs.defaultPolicy && lhs.lookbackMonths == rhs.lookbackMonths
            && lhs.overrides.mapValues { $0.map { "\($0.0)=\($0.1)" } }
                == rhs.overrides.mapValues { $0.map { "\($0.0)=\($0.1)" } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(defaultPolicy)
        hasher.combine(lookbackMonths)
        for (division, settings) in overrides.sorted(by: { $0.key < $1.key }) {
            hasher.combine(division)
            for (name, value) in settings { hasher.combine("\(name)=\(value)") }
        }
    }

    /// The policy in force in `division`: the default, then each override from the province down.
    public func policy(for division: DivisionCode?) -> WarningPolicy {
        var policy = defaultPolicy
        guard let division else { return policy }
        let applicable = overrides.keys.filter { $0.reaches(division) }.sorted {
            $0.scopePrefix.count < $1.scopePrefix.count
        }
        for key in applicable {
            // Validated when parsed; a value that no longer applies is skipped rather than fatal.
            for (name, value) in overrides[key] ?? [] { try? policy.apply(name, value) }
        }
        return policy
    }

    /// Parses `510100:pay-day=10,manager-absence-days=5;510700:WW-14=off`.
    public static func parse(
        _ text: String, defaultPolicy: WarningPolicy = WarningPolicy(), lookbackMonths: Int = 12
    ) throws(WarningPolicyError) -> WarningPolicyBook {
        var overrides: [DivisionCode: [(String, String)]] = [:]
        for raw in text.split(separator: ";") {
            let entry = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if entry.isEmpty { continue }
            let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw .malformedOverride(entry) }
            guard let division = DivisionCode(parts[0]) else { throw .badDivision(parts[0]) }
            var probe = defaultPolicy
            var settings: [(String, String)] = []
            for pair in parts[1].split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, !kv[0].isEmpty else { throw .malformedOverride(entry) }
                try probe.apply(kv[0], kv[1])
                settings.append((kv[0], kv[1]))
            }
            overrides[division, default: []] += settings
        }
        return WarningPolicyBook(defaultPolicy: defaultPolicy, overrides: overrides, lookbackMonths: lookbackMonths)
    }

    /// Parses a list of rule ids (`WW-13,WW-14`) to switch off everywhere.
    public static func parseRules(_ text: String) throws(WarningPolicyError) -> Set<WarningRuleID> {
        var rules: Set<WarningRuleID> = []
        for raw in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }) {
            guard let rule = WarningRuleID(rawValue: raw.uppercased()) else {
                throw .badValue(name: "warnings.disabled-rules", value: String(raw), expected: "WW-01 到 WW-14 的规则编号")
            }
            rules.insert(rule)
        }
        return rules
    }
}
