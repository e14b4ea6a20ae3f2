import Foundation

extension AgePolicyBook {
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformedEntry(String)

        public var description: String {
            switch self {
            case .malformedEntry(let entry):
                "年龄政策配置有误：“\(entry)”，应为 区划代码:最低年龄:需健康证明年龄[:最高年龄]，例如 510100:16:60"
            }
        }
    }

    /// Reads per-division policies from configuration text: entries separated by commas or
    /// semicolons, each `division:minimumAge:healthCertificateAge[:maximumAge]`, for example
    /// `510100:16:60,513400:18:55`. Standards.md d.4: local rules differ, so this is data.
    public static func parse(_ text: String, defaultPolicy: AgePolicy = .sichuanDefault) throws(ParseError)
        -> AgePolicyBook
    {
        var policies: [DivisionCode: AgePolicy] = [:]
        for entry in text.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let parts = entry.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3 || parts.count == 4, let division = DivisionCode(parts[0]),
                let minimum = Int(parts[1]), let health = Int(parts[2]), minimum >= 0, health >= minimum
            else { throw .malformedEntry(String(entry)) }
            var maximum: Int?
            if parts.count == 4 {
                guard let value = Int(parts[3]), value >= minimum else { throw .malformedEntry(String(entry)) }
                maximum = value
            }
            policies[division] = AgePolicy(minimumAge: minimum, healthCertificateAge: health, maximumAge: maximum)
        }
        return AgePolicyBook(defaultPolicy: defaultPolicy, policies: policies)
    }
}
