/// Builds the smallest .xlsx package that Excel, WPS and LibreOffice open without complaint: content types,
/// package and workbook relationships, workbook, styles, shared strings and one worksheet, in a ZIP of
/// stored entries.
enum XLSXWriter {
    /// Cell formats in `styles.xml`: 0 default (numbers), 1 bold text (header), 2 text.
    enum Style: Int {
        case number = 0
        case header = 1
        case text = 2
    }

    /// Excel's limit on the characters in one cell; a longer string makes it report the file as damaged.
    static let maximumCellLength = 32_767

    static func workbook(sheetName: String, header: [String], rows: [[SheetCell]]) -> [UInt8] {
        var sheetData = SheetDataWriter()
        if !header.isEmpty {
            sheetData.appendRow(header.map(SheetCell.text), number: 1, textStyle: .header)
        }
        let firstDataRow = header.isEmpty ? 1 : 2
        for (offset, row) in rows.enumerated() {
            sheetData.appendRow(row, number: firstDataRow + offset, textStyle: .text)
        }
        let lastRow = firstDataRow - 1 + rows.count
        let worksheet = worksheetXML(sheetData, lastRow: lastRow, frozenHeader: !header.isEmpty)
        var zip = ZipWriter()
        zip.add(name: "[Content_Types].xml", contents: Array(contentTypesXML.utf8))
        zip.add(name: "_rels/.rels", contents: Array(packageRelationshipsXML.utf8))
        zip.add(name: "xl/workbook.xml", contents: Array(workbookXML(sheetName: self.sheetName(sheetName)).utf8))
        zip.add(name: "xl/_rels/workbook.xml.rels", contents: Array(workbookRelationshipsXML.utf8))
        zip.add(name: "xl/styles.xml", contents: Array(stylesXML.utf8))
        zip.add(name: "xl/sharedStrings.xml", contents: Array(sheetData.strings.xml.utf8))
        zip.add(name: "xl/worksheets/sheet1.xml", contents: Array(worksheet.utf8))
        return zip.finish()
    }

    /// A name Excel accepts for a sheet: none of `[ ] : * ? / \` (replaced by "_"), no control characters, not
    /// starting or ending with an apostrophe, 1 to 31 characters (UTF-16 units, as Excel counts), not the
    /// reserved "History".
    static func sheetName(_ proposed: String) -> String {
        var name = ""
        for scalar in proposed.unicodeScalars where XMLText.isAllowed(scalar) && scalar.value >= 0x20 {
            name.unicodeScalars.append("[]:*?/\\".unicodeScalars.contains(scalar) ? "_" : scalar)
        }
        name = CellText.trimmed(name)
        while name.hasPrefix("'") { name.removeFirst() }
        while name.utf16.count > 31 { name.removeLast() }
        while name.hasSuffix("'") { name.removeLast() }
        name = CellText.trimmed(name)
        return name.isEmpty || name.lowercased() == "history" ? "Sheet1" : name
    }

    /// "A" for 0, "Z" for 25, "AA" for 26.
    static func columnName(_ index: Int) -> String {
        var name = ""
        var remaining = index + 1
        while remaining > 0 {
            let letter = (remaining - 1) % 26
            name.unicodeScalars.insert(
                Unicode.Scalar(UInt8(ascii: "A") + UInt8(letter)), at: name.unicodeScalars.startIndex)
            remaining = (remaining - 1) / 26
        }
        return name
    }

    // MARK: Worksheet

    /// The worksheet around its rows: dimension, frozen header, column widths.
    private static func worksheetXML(_ sheetData: SheetDataWriter, lastRow: Int, frozenHeader: Bool) -> String {
        let widths = sheetData.widths
        var xml = xmlDeclaration
        xml += "<worksheet xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
        let dimension = widths.isEmpty || lastRow == 0 ? "A1" : "A1:\(columnName(widths.count - 1))\(lastRow)"
        xml += "<dimension ref=\"\(dimension)\"/>"
        xml += "<sheetViews><sheetView workbookViewId=\"0\" tabSelected=\"1\">"
        if frozenHeader {
            xml += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            xml += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
        }
        xml += "</sheetView></sheetViews>"
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if !widths.isEmpty {
            xml += "<cols>"
            for (index, width) in widths.enumerated() {
                // Two characters of padding; between 8 (Excel's default) and 60 (long remarks wrap instead).
                let columnWidth = min(max(width + 2, 8), 60)
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(columnWidth)\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>" + sheetData.xml + "</sheetData>"
        xml += "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        xml += "</worksheet>"
        return xml
    }

    // MARK: Fixed parts

    private static let xmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    private static let contentTypesXML = """
        \(xmlDeclaration)<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/sharedStrings.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
        </Types>
        """

    private static let packageRelationshipsXML = """
        \(xmlDeclaration)<Relationships xmlns="\(packageRelationshipNamespace)">\
        <Relationship Id="rId1" Type="\(relationshipNamespace)/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    private static let workbookRelationshipsXML = """
        \(xmlDeclaration)<Relationships xmlns="\(packageRelationshipNamespace)">\
        <Relationship Id="rId1" Type="\(relationshipNamespace)/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="\(relationshipNamespace)/styles" Target="styles.xml"/>\
        <Relationship Id="rId3" Type="\(relationshipNamespace)/sharedStrings" Target="sharedStrings.xml"/>\
        </Relationships>
        """

    private static func workbookXML(sheetName: String) -> String {
        """
        \(xmlDeclaration)<workbook xmlns="\(mainNamespace)" xmlns:r="\(relationshipNamespace)">\
        <bookViews><workbookView activeTab="0"/></bookViews>\
        <sheets><sheet name="\(XMLText.escaped(sheetName))" sheetId="1" r:id="rId1"/></sheets>\
        </workbook>
        """
    }

    /// 宋体 11 pt, the font every Chinese Windows and WPS has; number format 49 is "@", text.
    private static let stylesXML = """
        \(xmlDeclaration)<styleSheet xmlns="\(mainNamespace)">\
        <fonts count="2">\
        <font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
        <font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
        </fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill>\
        <fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="3">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}

/// The `<sheetData>` rows of the worksheet being written, with the shared strings they use and the display
/// width of the widest text in each column.
private struct SheetDataWriter {
    var strings = SharedStringTable()
    private(set) var xml = ""
    private(set) var widths: [Int] = []

    mutating func appendRow(_ cells: [SheetCell], number: Int, textStyle: XLSXWriter.Style) {
        xml += "<row r=\"\(number)\">"
        for (column, cell) in cells.enumerated() {
            let reference = "\(XLSXWriter.columnName(column))\(number)"
            guard let shown = appendCell(cell, reference: reference, textStyle: textStyle) else { continue }
            if column >= widths.count { widths += repeatElement(0, count: column + 1 - widths.count) }
            widths[column] = max(widths[column], DisplayWidth.ofWidestLine(shown))
        }
        if cells.count > widths.count { widths += repeatElement(0, count: cells.count - widths.count) }
        xml += "</row>"
    }

    /// Appends one cell and returns its text as shown; nil for a cell left empty.
    private mutating func appendCell(_ cell: SheetCell, reference: String, textStyle: XLSXWriter.Style) -> String? {
        switch cell {
        case .text(let text):
            guard !text.isEmpty else { return nil }
            appendString(text, reference: reference, style: textStyle)
            return text
        case .integer(let value) where value.magnitude > SheetCell.largestExactSpreadsheetInteger.magnitude:
            let text = String(value)
            appendString(text, reference: reference, style: .text)
            return text
        case .number, .integer:
            guard let value = cell.numberText else { return nil }
            xml += "<c r=\"\(reference)\"><v>\(value)</v></c>"
            return value
        }
    }

    private mutating func appendString(_ text: String, reference: String, style: XLSXWriter.Style) {
        let index = strings.index(of: text)
        xml += "<c r=\"\(reference)\" s=\"\(style.rawValue)\" t=\"s\"><v>\(index)</v></c>"
    }
}

/// The shared strings of the workbook being written, each distinct text once, as Excel itself writes them.
private struct SharedStringTable {
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
