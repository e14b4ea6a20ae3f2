import Foundation
import ZIPFoundation

/// Builds the smallest .xlsx package that Excel, WPS and LibreOffice open without complaint: content types,
/// package and workbook relationships, workbook, styles, shared strings and one worksheet, in a ZIP written
/// by ZIPFoundation.
enum XLSXWriter {
    /// Cell formats, the order of `cellXfs` in `styles.xml`.
    enum Style: Int, CaseIterable {
        case number, header, text
        case decimals0, decimals1, decimals2, decimals3, decimals4
        case date

        /// The style of a number with `places` decimals (clamped to what `SheetCell` allows).
        static func decimals(_ places: Int) -> Style {
            [.decimals0, .decimals1, .decimals2, .decimals3, .decimals4][SheetCell.clamped(places)]
        }
    }

    /// Excel's limit on the characters in one cell; a longer string makes it report the file as damaged.
    static let maximumCellLength = 32_767

    static func workbook(sheetName: String, header: [String], rows: [[SheetCell]]) -> Data {
        let firstDataRow = header.isEmpty ? 1 : 2
        var sheetData = SheetDataWriter(firstDataRow: firstDataRow)
        if !header.isEmpty {
            sheetData.appendRow(header.map(SheetCell.text), number: 1, textStyle: .header)
        }
        for (offset, row) in rows.enumerated() {
            sheetData.appendRow(row, number: firstDataRow + offset, textStyle: .text)
        }
        let lastRow = firstDataRow - 1 + rows.count
        let worksheet = worksheetXML(sheetData, lastRow: lastRow, frozenHeader: !header.isEmpty)
        return package([
            ("[Content_Types].xml", contentTypesXML),
            ("_rels/.rels", packageRelationshipsXML),
            ("xl/workbook.xml", workbookXML(sheetName: self.sheetName(sheetName))),
            ("xl/_rels/workbook.xml.rels", workbookRelationshipsXML),
            ("xl/styles.xml", stylesXML),
            ("xl/sharedStrings.xml", sheetData.strings.xml),
            ("xl/worksheets/sheet1.xml", worksheet),
        ])
    }

    /// 1980-01-01 00:00 UTC, the earliest time a ZIP entry can carry: a fixed time makes the same export
    /// byte-identical.
    private static let entryDate = Date(timeIntervalSince1970: 315_532_800)

    /// The parts as a ZIP of DEFLATE entries. ZIPFoundation throws here only if memory for the archive cannot
    /// be had or a part name passes 65,535 bytes; the names are ours. An export is no reason to stop the
    /// server, so that case gives an empty file rather than a trap.
    private static func package(_ parts: [(name: String, xml: String)]) -> Data {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for part in parts {
                let contents = Data(part.xml.utf8)
                try archive.addEntry(
                    with: part.name, type: .file, uncompressedSize: Int64(contents.count), modificationDate: entryDate,
                    compressionMethod: .deflate,
                    provider: { position, size in contents.subdata(in: Int(position)..<Int(position) + size) })
            }
            return archive.data ?? Data()
        } catch {
            return Data()
        }
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

    /// Number formats of the number styles, custom ids from 164 as Excel numbers them, each written out even
    /// where a built-in id exists, so that the file says what it shows.
    private static let numberFormats: [(style: Style, id: Int, code: String)] = [
        (.decimals0, 164, "0"), (.decimals1, 165, "0.0"), (.decimals2, 166, "0.00"), (.decimals3, 167, "0.000"),
        (.decimals4, 168, "0.0000"), (.date, 169, "yyyy-mm-dd"),
    ]

    /// 宋体 11 pt, the font every Chinese Windows and WPS has; number format 49 is "@", text.
    private static let stylesXML: String = {
        var formats: [Style: Int] = [.number: 0, .header: 49, .text: 49]
        var xml = xmlDeclaration + "<styleSheet xmlns=\"\(mainNamespace)\">"
        xml += "<numFmts count=\"\(numberFormats.count)\">"
        for format in numberFormats {
            formats[format.style] = format.id
            xml += "<numFmt numFmtId=\"\(format.id)\" formatCode=\"\(format.code)\"/>"
        }
        xml += "</numFmts>"
        xml += """
            <fonts count="2">\
            <font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
            <font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>\
            </fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill>\
            <fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
            """
        xml += "<cellXfs count=\"\(Style.allCases.count)\">"
        for style in Style.allCases {
            let format = formats[style] ?? 0
            let font = style == .header ? 1 : 0
            xml += "<xf numFmtId=\"\(format)\" fontId=\"\(font)\" fillId=\"0\" borderId=\"0\" xfId=\"0\""
            xml += (format == 0 ? "" : " applyNumberFormat=\"1\"") + (font == 0 ? "" : " applyFont=\"1\"") + "/>"
        }
        xml += "</cellXfs>"
        xml += "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        return xml + "</styleSheet>"
    }()
}
