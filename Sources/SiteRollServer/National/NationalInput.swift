import Foundation
import SiteRollCore
import SiteRollNational

/// One national object read field by field (b.6): every fault is collected with the field's
/// national name, so that the vendor learns all of them from one answer, in its own field names.
struct NationalInput {
    let fields: [String: NationalJSON]
    /// nil: AES fields arrive plain (`/api/v1`).
    let secret: String?
    /// Where the object sits in the request, e.g. `workerList 第 2 条：`; empty at the top.
    let place: String
    private(set) var problems: [String] = []

    init(_ fields: [String: NationalJSON], secret: String?, place: String = "") {
        self.fields = fields
        self.secret = secret
        self.place = place
    }

    mutating func add(_ problem: String) { problems.append(place + problem) }

    /// Text as sent, trimmed; nil when absent or empty. Numbers are accepted as text.
    func text(_ name: String) -> String? {
        let value: String?
        switch fields[name] {
        case .string(let text)?: value = text
        case .int(let number)?: value = String(number)
        case .double(let number)?: value = String(number)
        default: value = nil
        }
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    mutating func required(_ name: String, max: Int = 200) -> String? {
        guard let value = text(name) else {
            add("缺少 \(name)")
            return nil
        }
        guard value.count <= max else {
            add("\(name) 不能超过 \(max) 个字符")
            return nil
        }
        return value
    }

    mutating func optional(_ name: String, max: Int = 200) -> String? {
        guard let value = text(name) else { return nil }
        guard value.count <= max else {
            add("\(name) 不能超过 \(max) 个字符")
            return nil
        }
        return value
    }

    /// `yyyy-MM-dd`, or `yyyy-MM-dd HH:mm:ss` of which the day is taken (deployed clients send both).
    mutating func date(_ name: String, required: Bool) -> LocalDate? {
        guard let value = text(name) else {
            if required { add("缺少 \(name)") }
            return nil
        }
        let day = value.split(separator: " ").first.map(String.init) ?? value
        guard let date = LocalDate(day) else {
            add("\(name) 应为 yyyy-MM-dd 格式的日期")
            return nil
        }
        return date
    }

    /// `yyyy-MM`.
    mutating func month(_ name: String, required: Bool) -> PayMonth? {
        guard let value = text(name) else {
            if required { add("缺少 \(name)") }
            return nil
        }
        guard let month = PayMonth(value) else {
            add("\(name) 应为 yyyy-MM 格式的月份")
            return nil
        }
        return month
    }

    /// A code of a national code table.
    mutating func code(_ name: String, in table: CodeTable, required: Bool) -> String? {
        guard let value = text(name) else {
            if required { add("缺少 \(name)") }
            return nil
        }
        guard table.name(of: value) != nil else {
            add("\(name)“\(value.prefix(20))”不在代码表中")
            return nil
        }
        return value
    }

    /// 1 or 0 (c.3).
    mutating func flag(_ name: String, required: Bool) -> Bool? {
        switch text(name) {
        case "1": return true
        case "0": return false
        case nil:
            if required { add("缺少 \(name)") }
            return nil
        default:
            add("\(name) 应为 1（是）或 0（否）")
            return nil
        }
    }

    /// An integer (accepts `3` and `"3"`).
    mutating func integer(_ name: String, required: Bool) -> Int? {
        guard fields[name] != nil, fields[name] != .null else {
            if required { add("缺少 \(name)") }
            return nil
        }
        guard let value = fields.integer(name) else {
            add("\(name) 应为整数")
            return nil
        }
        return value
    }

    /// A decimal as text (amounts, hours), kept as text for the services' own parsers.
    mutating func decimal(_ name: String, required: Bool) -> String? {
        guard let value = text(name) else {
            if required { add("缺少 \(name)") }
            return nil
        }
        guard Double(value).map({ $0.isFinite }) == true else {
            add("\(name) 应为数字")
            return nil
        }
        return value
    }

    /// An AES field (b.3) opened with the app's secret; a value that does not open names the field.
    mutating func decrypted(_ name: String, required: Bool) -> String? {
        guard let value = text(name) else {
            if required { add("缺少 \(name)") }
            return nil
        }
        guard let secret else { return value }
        do {
            return try NationalFieldCipher.decrypt(value, secret: secret)
        } catch {
            add("\(name) 无法用该应用的 appsecret 解密（应为 AES-128-CBC 加密后的 Base64，密钥见接口规范 b.3）")
            return nil
        }
    }

    /// Base64 image bytes (jpg/jpeg/png) of at most `maxKilobytes`.
    mutating func image(_ name: String, required: Bool, maxKilobytes: Int) -> Data? {
        guard let value = text(name) else {
            if required { add("缺少 \(name)") }
            return nil
        }
        let body = value.range(of: "base64,").map { String(value[$0.upperBound...]) } ?? value
        guard let data = Data(base64Encoded: body, options: .ignoreUnknownCharacters), !data.isEmpty else {
            add("\(name) 应为 Base64 编码的图片")
            return nil
        }
        guard data.count <= maxKilobytes * 1024 else {
            add("\(name) 不能超过 \(maxKilobytes) KB")
            return nil
        }
        guard data.starts(with: [0xFF, 0xD8, 0xFF]) || data.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            add("\(name) 只能是 jpg、jpeg 或 png 图片")
            return nil
        }
        return data
    }

    /// An array of objects; each non-object entry is named.
    mutating func list(_ name: String, required: Bool, max: Int) -> [[String: NationalJSON]] {
        guard case .array(let items)? = fields[name] else {
            if required || fields[name] != nil { add("\(name) 应为非空数组") }
            return []
        }
        if required && items.isEmpty { add("\(name) 应为非空数组") }
        if items.count > max {
            add("\(name) 每次最多 \(max) 条")
            return []
        }
        var objects: [[String: NationalJSON]] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else {
                add("\(name) 第 \(index + 1) 条应为对象")
                continue
            }
            objects.append(object)
        }
        return objects
    }

    /// Stops with every fault found, as the failure text of the asynchronous result.
    func throwIfAny() throws {
        guard !problems.isEmpty else { return }
        throw NationalGateway.Refusal(code: .invalidParameters, message: problems.joined(separator: "；"))
    }
}
