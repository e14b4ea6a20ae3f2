import Foundation
import Hummingbird
import SiteRollCore

/// A request's query parameters, read through typed parsers (S1): a value that is present but
/// malformed or out of range is refused with a Chinese 400 naming the parameter, never passed on
/// to arithmetic that could trap. An absent or empty parameter reads as nil: the page's default.
struct RequestQuery: Sendable {
    private let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            values[String(name)] = String(value)
        }
        self.values = values
    }

    init(_ values: [String: String]) { self.values = values }

    /// Trimmed text cut to `max` characters; "" when absent.
    func text(_ name: String, max: Int = 100) -> String {
        RequestFieldLog.note(name)
        // A NUL cannot be stored or searched for in PostgreSQL text; no person types one.
        let value = (values[name] ?? "").replacingOccurrences(of: "\u{0}", with: "")
        return String(value.trimmingCharacters(in: .whitespacesAndNewlines).prefix(max))
    }

    /// Whether the parameter is present at all (flags such as `?registered=1`).
    func has(_ name: String) -> Bool {
        RequestFieldLog.note(name)
        return values[name] != nil
    }

    private func present(_ name: String) -> String? {
        let text = text(name, max: 200)
        return text.isEmpty ? nil : text
    }

    /// `yyyy-MM` within `RequestBounds.months`.
    func month(_ name: String, label: String = "月份") throws -> PayMonth? {
        guard let text = present(name) else { return nil }
        guard let month = RequestBounds.month(text) else { throw RequestBounds.monthError(label, name: name) }
        return month
    }

    /// `yyyy-MM-dd` within `RequestBounds.years`.
    func date(_ name: String, label: String = "日期") throws -> LocalDate? {
        guard let text = present(name) else { return nil }
        guard let date = RequestBounds.date(text) else { throw RequestBounds.dateError(label, name: name) }
        return date
    }

    func uuid(_ name: String) throws -> UUID? {
        guard let text = present(name) else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw AppError.badRequest("QUERY_INVALID", "参数 \(name) 不是有效的编号，请从页面上的链接进入")
        }
        return id
    }

    /// A page number 1…10 000 (default 1).
    func page(_ name: String = "page") throws -> Int {
        guard let text = present(name) else { return 1 }
        guard text.count <= 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let page = Int(text),
            (1...10_000).contains(page)
        else { throw AppError.badRequest("QUERY_INVALID", "页码应为 1 到 10000 之间的整数") }
        return page
    }

    /// One of `allowed`, or nil when absent; anything else is refused.
    func choice(_ name: String, in allowed: Set<String>, label: String) throws -> String? {
        guard let text = present(name) else { return nil }
        guard allowed.contains(text) else {
            throw AppError.badRequest("QUERY_INVALID", "\(label)“\(String(text.prefix(20)))”不是可选的值")
        }
        return text
    }
}
