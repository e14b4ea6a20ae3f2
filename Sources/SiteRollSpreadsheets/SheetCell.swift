import Foundation

/// One cell of an export. Text stays text in every format: an 18-digit ID number or a phone number with
/// a leading zero must never be turned into a number by the file we write.
///
/// For exports people compute with (issue 14: ledgers, attendance sheets), numbers stay numbers with a
/// number format, so that Excel sums, sorts and filters them: `.amount(fen:)` for money (`0.00`),
/// `.decimal(_:places:)` for days (`0.0`) and rates, `.date` for dates (a real date, `yyyy-mm-dd`), and
/// `.columnTotal` for a totals row under the data (a `SUM` of the column with its value cached). The header
/// row is bold and frozen and columns are sized to their content in every .xlsx the writer makes.
public enum SheetCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int64)
    /// A number shown with `places` decimals (0 to 4; others are clamped), rounded to them when written, so
    /// that the cell holds what it shows and a sum adds what people see. NaN and infinities stay empty.
    case decimal(Double, places: Int)
    /// Money in fen, written in yuan with two decimals; exact, since it starts from an integer.
    case amount(fen: Int64)
    /// A calendar date. A date Excel cannot hold as a date (before 1900, or no real day such as 2024-02-30)
    /// is written as the text `yyyy-mm-dd`, so nothing disappears.
    case date(year: Int, month: Int, day: Int)
    /// The sum of the cells above in this column, from the first row under the header, as a `SUM` formula;
    /// `value` is its result for programs that show formulas without recalculating (and the CSV value),
    /// shown with `places` decimals. Without data rows above, the value alone is written.
    case columnTotal(Double, places: Int)
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

    /// Decimals a `.decimal` or `.columnTotal` may ask for.
    static let decimalPlaces = 0...4

    /// The number as a spreadsheet shows it: integers without ".0", fixed decimals as asked, dates as
    /// `yyyy-mm-dd`; nil for text, NaN and infinities, which neither Excel nor CSV can represent.
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
        case .decimal(let value, let places), .columnTotal(let value, let places):
            guard value.isFinite else { return nil }
            // Halves away from zero, as Excel shows them (printf would round 3.25 to even, "3.2").
            let places = Self.clamped(places)
            let scale = pow(10, Double(places))
            let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
            return String(format: "%.\(places)f", scaled.isFinite ? scaled / scale : value)
        case .amount(let fen):
            let yuan = fen.magnitude / 100
            let cents = fen.magnitude % 100
            return (fen < 0 ? "-" : "") + "\(yuan)." + (cents < 10 ? "0" : "") + "\(cents)"
        case .date(let year, let month, let day):
            return CalendarDay(year: year, month: month, day: day)?.description
                ?? "\(year)-" + (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)"
        }
    }

    static func clamped(_ places: Int) -> Int {
        min(max(places, decimalPlaces.lowerBound), decimalPlaces.upperBound)
    }

    /// Excel's serial number of a date in the 1900 system (day 1 is 1900-01-01; day 60 is the 1900-02-29
    /// that Excel counts to stay compatible with Lotus 1-2-3, so from 1900-03-01 on, days run from
    /// 1899-12-30); nil for no real date or one before 1900.
    static func excelSerial(year: Int, month: Int, day: Int) -> Int? {
        guard year >= 1900, let date = CalendarDay(year: year, month: month, day: day) else { return nil }
        return date.dayNumber + (month <= 2 && year == 1900 ? 25_568 : 25_569)
    }
}
