/// One cell of an export. Text stays text in every format: an 18-digit ID number or a phone number with
/// a leading zero must never be turned into a number by the file we write.
public enum SheetCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int64)
}

extension SheetCell: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

/// `"第\(n)班组"` is text too.
extension SheetCell: ExpressibleByStringInterpolation {}

extension SheetCell {
    /// Excel keeps 15 significant digits; an integer with more would be rounded (a 16- to 19-digit bank card
    /// number exported as `.integer` would lose its last digits), so such integers are written as text.
    static let largestExactSpreadsheetInteger: Int64 = 999_999_999_999_999

    /// The number as a spreadsheet shows it: integers without ".0"; nil for NaN and infinities, which
    /// neither Excel nor CSV can represent.
    var numberText: String? {
        switch self {
        case .text:
            return nil
        case .integer(let value):
            return String(value)
        case .number(let value):
            guard value.isFinite else { return nil }
            if value == value.rounded(.towardZero), abs(value) <= Double(Self.largestExactSpreadsheetInteger) {
                return String(Int64(value))
            }
            return String(value)
        }
    }
}
