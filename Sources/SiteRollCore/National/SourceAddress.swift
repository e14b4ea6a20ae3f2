import Foundation

/// A source address a connected system may call the national gateway from (A1, S3: the -4 check).
/// Written in the one canonical text the gateway compares with the connection's peer address:
/// IPv4 dotted decimal, IPv6 as RFC 5952 writes it (lower case, no leading zeros, the longest run
/// of two or more zero groups as `::`, an IPv4-mapped address with its IPv4 tail in dots).
public struct SourceAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable { case v4, v6 }

    public let family: Family
    /// The canonical text.
    public let text: String

    public var description: String { text }

    /// Why a line is not a usable address, in Chinese with the line quoted.
    public enum Problem: Error, Sendable, Equatable {
        case malformed(String)
        case range(String)
        case unspecified(String)
        case zone(String)

        public var message: String {
            switch self {
            case .malformed(let line): "“\(line)”不是有效的 IPv4 或 IPv6 地址"
            case .range(let line): "“\(line)”是网段；请逐个填写调用系统的出口地址，不支持网段"
            case .unspecified(let line): "“\(line)”是未指定地址，不能作为来源地址"
            case .zone(let line): "“\(line)”带有网卡区域标识（%），请填写不带 % 的地址"
            }
        }
    }

    /// Parses one address; leading zeros in an IPv4 part are refused (some systems read them as octal).
    public static func parse(_ raw: String) -> Result<SourceAddress, Problem> {
        let line = String(raw.trimmingPrefixSpaces().trimmingSuffixSpaces().prefix(80))
        if line.contains("/") { return .failure(.range(line)) }
        if line.contains("%") { return .failure(.zone(line)) }
        if let parts = ipv4(line) {
            guard parts != [0, 0, 0, 0] else { return .failure(.unspecified(line)) }
            return .success(SourceAddress(family: .v4, text: parts.map(String.init).joined(separator: ".")))
        }
        if let groups = ipv6(line) {
            guard groups.contains(where: { $0 != 0 }) else { return .failure(.unspecified(line)) }
            return .success(SourceAddress(family: .v6, text: canonical(groups)))
        }
        return .failure(.malformed(line))
    }

    /// The same IPv4 address as a dual-stack listener reports it (`::ffff:a.b.c.d`); nil for IPv6.
    public var mappedIPv6: String? { family == .v4 ? "::ffff:" + text : nil }

    static func ipv4(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var values: [Int] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                part.utf8.count == 1 || part.utf8.first != 0x30, let value = Int(part), value <= 255
            else { return nil }
            values.append(value)
        }
        return values
    }

    /// Eight 16-bit groups, or nil.
    static func ipv6(_ text: String) -> [Int]? {
        guard text.contains(":"), text.utf8.count <= 45 else { return nil }
        var head = text
        var tail: [Int] = []
        // An IPv4 tail (`::ffff:192.0.2.1`) counts as two groups.
        if text.contains("."), let colon = text.lastIndex(of: ":") {
            guard let v4 = ipv4(String(text[text.index(after: colon)...])) else { return nil }
            tail = [v4[0] << 8 | v4[1], v4[2] << 8 | v4[3]]
            head = String(text[...colon])
            if head.hasSuffix(":"), !head.hasSuffix("::") { head.removeLast() }
        }
        func groups(_ part: Substring) -> [Int]? {
            guard !part.isEmpty else { return [] }
            var values: [Int] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.utf8.count), group.utf8.allSatisfy(\.isHexDigit),
                    let value = Int(group, radix: 16)
                else { return nil }
                values.append(value)
            }
            return values
        }
        let halves = head.components(separatedBy: "::")
        switch halves.count {
        case 1:
            guard let all = groups(Substring(head)), all.count + tail.count == 8 else { return nil }
            return all + tail
        case 2:
            guard let left = groups(Substring(halves[0])), let right = groups(Substring(halves[1])) else {
                return nil
            }
            let missing = 8 - left.count - right.count - tail.count
            guard missing >= 1 else { return nil }
            return left + Array(repeating: 0, count: missing) + right + tail
        default:
            return nil
        }
    }

    /// RFC 5952 text of eight groups.
    static func canonical(_ groups: [Int]) -> String {
        // IPv4-mapped: ::ffff:a.b.c.d
        if groups.prefix(5).allSatisfy({ $0 == 0 }), groups.count == 8, groups[5] == 0xffff {
            return "::ffff:\(groups[6] >> 8).\(groups[6] & 0xff).\(groups[7] >> 8).\(groups[7] & 0xff)"
        }
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let left = hex[..<bestStart].joined(separator: ":")
        let right = hex[(bestStart + bestLength)...].joined(separator: ":")
        return left + "::" + right
    }
}

/// The source addresses of one application, as typed: one per line (commas, semicolons and spaces
/// also separate), each parsed, duplicates dropped, at most `limit`.
public struct SourceAddressList: Sendable, Equatable {
    public var addresses: [SourceAddress]
    public var problems: [String]

    public static let limit = 20

    public init(parsing text: String) {
        addresses = []
        problems = []
        // "\r\n" is one Character in Swift: a browser's textarea sends it between lines.
        let separators: Set<Character> = ["\r\n", "\n", "\r", ",", "，", ";", "；", " ", "\t", "、"]
        let lines = text.split(whereSeparator: { separators.contains($0) }).map(String.init)
        var seen: Set<String> = []
        for line in lines.prefix(Self.limit * 2) {
            switch SourceAddress.parse(line) {
            case .success(let address):
                if seen.insert(address.text).inserted { addresses.append(address) }
            case .failure(let problem):
                problems.append(problem.message)
            }
        }
        if lines.count > Self.limit * 2 || addresses.count > Self.limit {
            problems.append("来源地址最多 \(Self.limit) 个")
        }
    }

    /// Comma-separated canonical texts, as `app_credentials.allowed_ips` keeps them.
    public var stored: String { addresses.map(\.text).joined(separator: ",") }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

extension StringProtocol {
    fileprivate func trimmingPrefixSpaces() -> SubSequence { drop(while: { $0.isWhitespace }) }
}

extension Substring {
    fileprivate func trimmingSuffixSpaces() -> Substring {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
