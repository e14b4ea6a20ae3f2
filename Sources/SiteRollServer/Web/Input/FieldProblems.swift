import Foundation
import SiteRollCore

/// A form's faults, collected so that every one is reported at once, each naming its field in
/// Chinese; the parsers (text, code tables, dates, decimals, money through Core's `Money`, phone
/// numbers through Core's `PhoneNumber`) are shared by every subsystem's forms.
struct FieldProblems: Sendable {
    private(set) var messages: [String] = []
    /// The stable code of each problem that has its own (e.g. GEOFENCE_…), nil for the rest.
    private var codes: [String?] = []

    var isEmpty: Bool { messages.isEmpty }

    mutating func add(_ message: String, code: String? = nil) {
        messages.append(message)
        codes.append(code)
    }

    /// After `throwIfAny`: a field that every problem-free form has was still missing. Cannot
    /// happen while each parser adds a problem for what it returns nil for; a refusal, not a trap,
    /// if a later change breaks that.
    static func incomplete(_ code: String) -> AppError {
        AppError(.unprocessableContent, code: code, message: "表单内容不完整，请检查后重新提交")
    }

    /// Throws the problems as one refusal: under the single problem's own code when there is one
    /// such problem, otherwise under `code`.
    func throwIfAny(_ code: String) throws {
        guard !messages.isEmpty else { return }
        let specific = codes.count == 1 ? codes[0] : nil
        throw AppError(.unprocessableContent, code: specific ?? code, message: messages.joined(separator: "；"))
    }

    /// A required text of at most `max` characters.
    mutating func required(_ value: String, _ label: String, max: Int = 200) -> String {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { add("请填写\(label)") } else if text.count > max { add("\(label)不能超过 \(max) 个字") }
        return text
    }

    /// An optional text; nil when empty.
    mutating func optional(_ value: String, _ label: String, max: Int = 200) -> String? {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > max { add("\(label)不能超过 \(max) 个字") }
        return text.isEmpty ? nil : text
    }

    /// A code that must be in `table`.
    mutating func code(_ value: String, in table: CodeTable, _ label: String, required: Bool = true) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请选择\(label)") }
            return nil
        }
        guard table.contains(text) else {
            add("\(label)代码“\(text)”不在国家代码表中")
            return nil
        }
        return text
    }

    /// A date `yyyy-MM-dd` (also accepts `yyyy/M/d` and `yyyy.M.d`) within `RequestBounds.years`.
    mutating func date(_ value: String, _ label: String, required: Bool = false) -> LocalDate? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        guard let date = RequestBounds.date(text) else {
            add(RequestBounds.dateError(label).message, code: "DATE_INVALID")
            return nil
        }
        return date
    }

    /// A date as people type it, within `RequestBounds.years`; nil otherwise.
    static func parseDate(_ text: String) -> LocalDate? { RequestBounds.date(text) }

    /// A decimal number typed by a person (`DecimalText`: no `nan`, `inf` or exponents) within
    /// `range`; nil when empty.
    mutating func decimal(
        _ value: String, _ label: String, in range: ClosedRange<Double>, maxFractionDigits: Int = 2,
        required: Bool = false
    ) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        guard let number = DecimalText.parse(text, in: range, maxFractionDigits: maxFractionDigits) else {
            add(
                "\(label)应为 \(DecimalText.text(range.lowerBound)) 到 \(DecimalText.text(range.upperBound)) 之间的数字，最多 \(maxFractionDigits) 位小数"
            )
            return nil
        }
        return number
    }

    /// Money in yuan with at most two decimals, as fen; `unit` multiplies (万元 → 10 000).
    mutating func money(
        _ value: String, _ label: String, required: Bool, unit: Int64 = 1, limit: Int64 = Money.limitFen
    ) -> Int64? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        guard let fen = Money.fen(fromYuan: text, unit: unit, limit: limit) else {
            add("\(label)应为 0 到 \(Money.yuan(limit)) 元之间的金额，最多两位小数")
            return nil
        }
        return fen
    }

    /// A contact number: a mobile number by `PhoneNumber`'s one rule, or a landline.
    mutating func phone(_ value: String, _ label: String, required: Bool = false) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        if let problem = PhoneNumber.contactProblem(text) {
            add(label + problem)
            return nil
        }
        return text
    }
}
