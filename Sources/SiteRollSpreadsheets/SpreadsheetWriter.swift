import Foundation

/// Writes exports (ledgers, rosters) that open directly in Excel, WPS and LibreOffice.
public enum SpreadsheetWriter {
    /// An .xlsx workbook with one worksheet: the header in bold and frozen, columns sized to their content,
    /// text cells formatted as text so that ID numbers and phone numbers stay exactly as given; amounts,
    /// decimals and dates are numbers with their number format, and `.columnTotal` cells sum the column
    /// above them (see `SheetCell`).
    ///
    /// - Parameter sheetName: Made valid for Excel: `[ ] : * ? / \` become "_", at most 31 characters.
    public static func xlsx(sheetName: String, header: [String], rows: [[SheetCell]]) -> Data {
        XLSXWriter.workbook(sheetName: sheetName, header: header, rows: rows)
    }

    /// CSV as Excel on a Chinese Windows opens it correctly by double-click: UTF-8 with a byte order mark
    /// (without one Excel assumes GBK and shows mojibake), CRLF line ends, fields quoted only when needed.
    ///
    /// Text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe.
    /// A spreadsheet program treats such a cell as a formula, so a worker's name or a remark typed as
    /// `=HYPERLINK(...)` or `=cmd|...` would run in the labour officer's Excel when the export is opened
    /// (CSV formula injection, OWASP). The apostrophe makes Excel show the text as text. In .xlsx text is
    /// stored as a string and never evaluated, so that writer needs no such guard (its only formulas are the
    /// `SUM`s of `.columnTotal`, built from column letters and row numbers). Here a `.columnTotal` is its value.
    ///
    /// Excel still turns a long digit string in a CSV into a rounded number when it opens the file; exports
    /// with ID numbers meant for people should be .xlsx.
    public static func csv(header: [String], rows: [[SheetCell]]) -> Data {
        Data(CSVWriter.document(header: header, rows: rows).utf8)
    }
}

enum CSVWriter {
    static func document(header: [String], rows: [[SheetCell]]) -> String {
        var text = "\u{FEFF}"
        append(header.map { field(text: $0) }, to: &text)
        for row in rows {
            append(row.map(field), to: &text)
        }
        return text
    }

    static func field(_ cell: SheetCell) -> String {
        switch cell {
        case .text(let text): field(text: text)
        case .date: field(text: cell.numberText ?? "")
        case .number, .integer, .decimal, .amount, .columnTotal: cell.numberText ?? ""
        }
    }

    static func field(text: String) -> String {
        let safe = text.unicodeScalars.first.map(isFormulaTrigger) == true ? "'" + text : text
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return safe
        }
        return "\"" + safe.replacing("\"", with: "\"\"") + "\""
    }

    private static func isFormulaTrigger(_ scalar: Unicode.Scalar) -> Bool {
        "=+-@\t\r".unicodeScalars.contains(scalar)
    }

    private static func append(_ fields: [String], to text: inout String) {
        text += fields.joined(separator: ",")
        text += "\r\n"
    }
}
