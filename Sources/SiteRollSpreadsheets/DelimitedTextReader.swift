/// Reads CSV (RFC 4180) and tab-separated text: quoted fields, doubled quotes, delimiters and line breaks
/// inside quotes, CRLF, LF or CR line ends. A quote in the middle of an unquoted field, or text after a
/// closing quote, is kept as written, as Excel does; an unclosed quote is an error, since it would
/// silently swallow the rest of the file into one cell.
enum DelimitedTextReader {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let tab = UInt8(ascii: "\t")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")

    static func rows(from text: String, limits: SpreadsheetLimits) throws(SpreadsheetError) -> [[String]] {
        // All syntax is ASCII, so the UTF-8 bytes can be split without decoding, and every slice between
        // two ASCII bytes is itself valid UTF-8.
        let bytes = Array(text.utf8)
        let delimiter = self.delimiter(of: bytes)
        var table = TableBuilder(limits: limits)
        var row: [String] = []
        var field: [UInt8] = []
        var atFieldStart = true
        var lineHasContent = false
        var line = 1
        var index = 0

        func endField() {
            row.append(CellText.trimmed(String(decoding: field, as: UTF8.self)))
            field.removeAll(keepingCapacity: true)
            atFieldStart = true
        }

        while index < bytes.count {
            let byte = bytes[index]
            if atFieldStart, byte == quote {
                let openingLine = line
                index += 1
                lineHasContent = true
                atFieldStart = false
                while true {
                    guard index < bytes.count else { throw .unterminatedQuote(line: openingLine) }
                    let quoted = bytes[index]
                    index += 1
                    if quoted == quote {
                        guard index < bytes.count, bytes[index] == quote else { break }
                        field.append(quote)
                        index += 1
                    } else if quoted == carriageReturn {
                        // A line break inside a cell becomes "\n", whichever convention the file used.
                        if index < bytes.count, bytes[index] == lineFeed { index += 1 }
                        field.append(lineFeed)
                        line += 1
                    } else {
                        if quoted == lineFeed { line += 1 }
                        field.append(quoted)
                    }
                }
                continue
            }
            index += 1
            switch byte {
            case delimiter:
                endField()
                lineHasContent = true
            case carriageReturn, lineFeed:
                if byte == carriageReturn, index < bytes.count, bytes[index] == lineFeed { index += 1 }
                if lineHasContent || !field.isEmpty { endField() }
                try table.append(row)
                row.removeAll()
                lineHasContent = false
                line += 1
            default:
                field.append(byte)
                atFieldStart = false
                lineHasContent = true
            }
        }
        if lineHasContent || !field.isEmpty {
            endField()
            try table.append(row)
        }
        return table.rows
    }

    /// Comma, unless the first line has tabs and no commas (Excel's "文本文件（制表符分隔）" and "Unicode 文本").
    private static func delimiter(of bytes: [UInt8]) -> UInt8 {
        let firstLine = bytes.prefix { $0 != lineFeed && $0 != carriageReturn }
        return firstLine.contains(tab) && !firstLine.contains(comma) ? tab : comma
    }
}

/// Collects rows as a reader produces them: a row with no text becomes `[]`, trailing empty rows are dropped
/// (they are only counted until a row with text follows), and the row and cell limits are enforced as soon as
/// they are passed rather than after the whole file is held.
struct TableBuilder {
    private let limits: SpreadsheetLimits
    private(set) var rows: [[String]] = []
    private var pendingEmptyRows = 0
    private var cellCount = 0

    init(limits: SpreadsheetLimits) {
        self.limits = limits
    }

    /// Appends the next row; empty cells after the last one with text are dropped (callers pad short rows).
    mutating func append(_ row: [String]) throws(SpreadsheetError) {
        guard row.contains(where: { !$0.isEmpty }) else {
            pendingEmptyRows += 1
            return
        }
        try place(row, number: rows.count + pendingEmptyRows + 1)
    }

    /// Puts a row at row `number`, counted from 1 and greater than that of any row placed before (readers
    /// check this of their input); rows skipped before it are empty.
    mutating func place(_ row: [String], number: Int) throws(SpreadsheetError) {
        assert(number > rows.count, "rows must be placed in increasing order")
        guard let lastText = row.lastIndex(where: { !$0.isEmpty }) else { return }
        guard number <= limits.maximumRows else { throw .tooManyRows(limit: limits.maximumRows) }
        cellCount += lastText + 1
        guard cellCount <= limits.maximumCells else { throw .tooManyCells(limit: limits.maximumCells) }
        rows.append(contentsOf: repeatElement([], count: number - 1 - rows.count))
        rows.append(Array(row[...lastText]))
        pendingEmptyRows = 0
    }
}
