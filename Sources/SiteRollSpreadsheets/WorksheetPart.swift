/// What a worksheet's cells need from the rest of the workbook to become text.
struct CellContext: Sendable {
    var sharedStrings: [String] = []
    var styles = StylesPart()
    var usesDate1904 = false
}

/// Reads `<sheetData>` of a worksheet into rows of text. Rows and cells carry their position (`<row r="3">`,
/// `<c r="C3">`) and Excel leaves out the empty ones, so A1 followed by C1 means an empty B1 and row 1
/// followed by row 3 an empty row 2. Without a position, a row or cell follows the previous one.
enum WorksheetPart {
    /// Excel's last column, XFD.
    static let maximumColumns = 16_384

    static func rows(
        _ bytes: [UInt8], context: CellContext, limits: SpreadsheetLimits
    ) throws(SpreadsheetError) -> [[String]] {
        let reader = WorksheetReader(context: context, limits: limits)
        try reader.parse(bytes)
        return reader.table.rows
    }

    /// The zero-based column of a cell reference: "A1" → 0, "AB12" → 27; nil past XFD or without letters.
    static func columnIndex(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference.utf8 {
            let upper = byte & ~0x20
            guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(upper) else { break }
            guard letters < 3 else { return nil }
            column = column * 26 + Int(upper - UInt8(ascii: "A")) + 1
            letters += 1
        }
        guard letters > 0, column <= maximumColumns else { return nil }
        return column - 1
    }
}

private final class WorksheetReader: XMLPartReader {
    let context: CellContext
    var table: TableBuilder

    private var inSheetData = false
    private var rowNumber = 0
    private var cells: [String] = []
    private var nextColumn = 0

    private var column = 0
    private var type: String?
    private var style: Int?
    private var value = ""
    private var inValue = false
    private var inInlineString = false
    private var inText = false
    private var phoneticDepth = 0

    init(context: CellContext, limits: SpreadsheetLimits) {
        self.context = context
        self.table = TableBuilder(limits: limits)
    }

    override func start(_ element: String, attributes: [String: String]) {
        switch element {
        case "sheetData":
            inSheetData = true
        case "row" where inSheetData:
            if let position = attributes["r"] {
                guard let number = Int(position), number > rowNumber else { return fail(.damagedWorkbook) }
                rowNumber = number
            } else {
                rowNumber += 1
            }
            cells = []
            nextColumn = 0
        case "c" where inSheetData:
            if let reference = attributes["r"] {
                guard let index = WorksheetPart.columnIndex(of: reference) else { return fail(.damagedWorkbook) }
                column = index
            } else {
                guard nextColumn < WorksheetPart.maximumColumns else { return fail(.damagedWorkbook) }
                column = nextColumn
            }
            type = attributes["t"]
            style = attributes["s"].flatMap { Int($0) }
            value = ""
        case "v":
            inValue = true
        case "is":
            inInlineString = true
        case "rPh":
            phoneticDepth += 1
        case "t":
            inText = inInlineString && phoneticDepth == 0
        default:
            break
        }
    }

    override func end(_ element: String) {
        switch element {
        case "sheetData":
            inSheetData = false
        case "row" where inSheetData:
            do {
                try table.place(cells, number: rowNumber)
            } catch {
                fail(error)
            }
        case "c" where inSheetData:
            guard let text = cellText() else { return fail(.damagedWorkbook) }
            if !text.isEmpty {
                if column >= cells.count {
                    cells.append(contentsOf: repeatElement("", count: column + 1 - cells.count))
                }
                cells[column] = text
            }
            nextColumn = column + 1
        case "v":
            inValue = false
        case "is":
            inInlineString = false
        case "rPh":
            phoneticDepth -= 1
        case "t":
            inText = false
        default:
            break
        }
    }

    override func text(_ text: String) {
        if inValue || inText { value += text }
    }

    /// The cell as text, trimmed; nil when it points at a shared string that does not exist.
    private func cellText() -> String? {
        let text: String
        switch type {
        case "s":
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)),
                context.sharedStrings.indices.contains(index)
            else { return value.isEmpty ? "" : nil }
            text = context.sharedStrings[index]
        case "inlineStr", "str":
            text = ExcelValueText.unescapingXString(value)
        case "b":
            text = ExcelValueText.boolean(value)
        case "e":
            text = value
        case "d":
            text = ExcelValueText.isoDate(value)
        default:
            guard !value.isEmpty else { return "" }
            let kind = context.styles.kind(ofStyle: style)
            if kind != .general,
                let shown = ExcelValueText.dateTime(serial: value, kind: kind, date1904: context.usesDate1904)
            {
                text = shown
            } else {
                text = ExcelValueText.number(value)
            }
        }
        return CellText.trimmed(text)
    }
}
