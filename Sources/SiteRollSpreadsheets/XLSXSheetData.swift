/// The `<sheetData>` rows of the worksheet being written, with the shared strings they use and the display
/// width of the widest text in each column.
struct SheetDataWriter {
    /// The row under the header, where a `.columnTotal`'s sum starts.
    let firstDataRow: Int
    var strings = SharedStringTable()
    private(set) var xml = ""
    private(set) var widths: [Int] = []

    mutating func appendRow(_ cells: [SheetCell], number: Int, textStyle: XLSXWriter.Style) {
        xml += "<row r=\"\(number)\">"
        for (column, cell) in cells.enumerated() {
            guard let shown = appendCell(cell, column: column, row: number, textStyle: textStyle) else { continue }
            if column >= widths.count { widths += repeatElement(0, count: column + 1 - widths.count) }
            widths[column] = max(widths[column], DisplayWidth.ofWidestLine(shown))
        }
        if cells.count > widths.count { widths += repeatElement(0, count: cells.count - widths.count) }
        xml += "</row>"
    }

    /// Appends one cell and returns its text as shown; nil for a cell left empty.
    private mutating func appendCell(
        _ cell: SheetCell, column: Int, row: Int, textStyle: XLSXWriter.Style
    ) -> String? {
        let reference = "\(XLSXWriter.columnName(column))\(row)"
        switch cell {
        case .text(let text):
            guard !text.isEmpty else { return nil }
            appendString(text, reference: reference, style: textStyle)
            return text
        case .integer(let value) where value.magnitude > SheetCell.largestExactSpreadsheetInteger.magnitude:
            let text = String(value)
            appendString(text, reference: reference, style: .text)
            return text
        case .date(let year, let month, let day):
            guard let serial = SheetCell.excelSerial(year: year, month: month, day: day) else {
                let text = cell.numberText ?? ""
                appendString(text, reference: reference, style: .text)
                return text
            }
            xml += "<c r=\"\(reference)\" s=\"\(XLSXWriter.Style.date.rawValue)\"><v>\(serial)</v></c>"
            return cell.numberText
        case .number, .integer, .decimal, .amount, .columnTotal:
            guard let value = cell.numberText else { return nil }
            let style: XLSXWriter.Style =
                switch cell {
                case .decimal(_, let places), .columnTotal(_, let places): .decimals(places)
                case .amount: .decimals2
                default: .number
                }
            xml += style == .number ? "<c r=\"\(reference)\">" : "<c r=\"\(reference)\" s=\"\(style.rawValue)\">"
            if case .columnTotal = cell, row > firstDataRow {
                let letters = XLSXWriter.columnName(column)
                xml += "<f>SUM(\(letters)\(firstDataRow):\(letters)\(row - 1))</f>"
            }
            xml += "<v>\(value)</v></c>"
            return value
        }
    }

    private mutating func appendString(_ text: String, reference: String, style: XLSXWriter.Style) {
        let index = strings.index(of: text)
        xml += "<c r=\"\(reference)\" s=\"\(style.rawValue)\" t=\"s\"><v>\(index)</v></c>"
    }
}

/// The shared strings of the workbook being written, each distinct text once, as Excel itself writes them.
struct SharedStringTable {
    private var strings: [String] = []
    private var indices: [String: Int] = [:]
    private var references = 0

    mutating func index(of text: String) -> Int {
        references += 1
        if let index = indices[text] { return index }
        let index = strings.count
        strings.append(text)
        indices[text] = index
        return index
    }

    var xml: String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        xml += "<sst xmlns=\"\(XLSXWriter.mainNamespace)\" count=\"\(references)\" uniqueCount=\"\(strings.count)\">"
        for text in strings {
            let content = XMLText.escaped(XMLText.excelLiteral(Self.clipped(text)))
            let needsPreserve = content.first.map(\.isWhitespace) == true || content.last.map(\.isWhitespace) == true
            xml += needsPreserve ? "<si><t xml:space=\"preserve\">\(content)</t></si>" : "<si><t>\(content)</t></si>"
        }
        xml += "</sst>"
        return xml
    }

    private static func clipped(_ text: String) -> String {
        guard text.utf16.count > XLSXWriter.maximumCellLength else { return text }
        var clipped = text
        while clipped.utf16.count > XLSXWriter.maximumCellLength { clipped.removeLast() }
        return clipped
    }
}
