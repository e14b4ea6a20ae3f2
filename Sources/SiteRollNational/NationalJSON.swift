import Foundation

/// A JSON value for the national interface's `data`: its objects have no fixed Swift shape on
/// the way out (query rows differ per method) and arrive as arbitrary JSON on the way in. Shared by
/// the gateway and `NationalClient`, so both read and write `data` the same way.
public enum NationalJSON: Sendable, Equatable, Codable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([NationalJSON])
    case object([String: NationalJSON])
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([NationalJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: NationalJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// The `data` form field parsed; nil when it is not a JSON object.
    public static func object(from text: String) -> [String: NationalJSON]? {
        guard case .object(let fields)? = try? JSONDecoder().decode(NationalJSON.self, from: Data(text.utf8)) else {
            return nil
        }
        return fields
    }

    /// An optional text value: nil for absent or empty.
    public static func text(_ value: String?) -> NationalJSON {
        value.map { $0.isEmpty ? .null : .string($0) } ?? .null
    }
}

extension Dictionary where Key == String, Value == NationalJSON {
    /// An integer field, accepting `3` and `"3"` (deployed clients send both).
    public func integer(_ name: String) -> Int? {
        switch self[name] {
        case .int(let value)?: value
        case .double(let value)? where value == value.rounded() && abs(value) < 1e9: Int(value)
        case .string(let text)?: Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    public func string(_ name: String) -> String? {
        switch self[name] {
        case .string(let text)?: text
        case .int(let value)?: String(value)
        default: nil
        }
    }
}
