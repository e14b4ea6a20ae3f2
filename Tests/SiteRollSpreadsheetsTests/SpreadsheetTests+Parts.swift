@testable import SiteRollSpreadsheets

/// The parts of the small workbooks the reading tests build, as a `TestZip` packs them.
extension SpreadsheetTests {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// A workbook package of stored entries from (part name, XML) pairs.
    static func workbook(_ parts: [(String, String)]) -> [UInt8] {
        TestZip(parts.map { TestZip.Entry.stored($0.0, $0.1) }).bytes
    }

    /// `minimalParts` as entries of a `TestZip`, for tests that change what the directory says.
    static func minimalEntries(sheetData: String) -> [TestZip.Entry] {
        minimalParts(sheetData: sheetData).map { TestZip.Entry.stored($0.0, $0.1) }
    }

    /// Package relationships, workbook, its relationships and one worksheet with `sheetData`.
    static func minimalParts(sheetData: String, workbookProperties: String = "") -> [(String, String)] {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        return [
            ("_rels/.rels", Self.relationships([("rId1", "officeDocument", "xl/workbook.xml")])),
            (
                "xl/workbook.xml",
                #"<workbook xmlns="\#(main)" xmlns:r="\#(relationships)">\#(workbookProperties)"#
                    + #"<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
            (
                "xl/worksheets/sheet1.xml",
                #"<worksheet xmlns="\#(main)"><sheetData>\#(sheetData)</sheetData></worksheet>"#
            ),
            ("xl/_rels/workbook.xml.rels", Self.relationships([("rId1", "worksheet", "worksheets/sheet1.xml")])),
        ]
    }

    static func relationships(_ entries: [(id: String, kind: String, target: String)]) -> String {
        let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        let items = entries.map { #"<Relationship Id="\#($0.id)" Type="\#(base)\#($0.kind)" Target="\#($0.target)"/>"# }
        return #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + items.joined() + "</Relationships>"
    }

    static func styles(numberFormatIDs: [Int]) -> String {
        let formats = numberFormatIDs.map { #"<xf numFmtId="\#($0)" fontId="0" fillId="0" borderId="0"/>"# }
        return #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + #"<cellXfs count="\#(formats.count)">\#(formats.joined())</cellXfs></styleSheet>"#
    }
}
