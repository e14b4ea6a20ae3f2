import Foundation
import Testing

@testable import SiteRollSpreadsheets

/// Roster import (E2, issue 4): CSV and .xlsx reading, the files refused, and the limits on rows and cells.
/// The ZIP container is tested in `ZipReadingTests`, the writers in `SpreadsheetWriterTests`.
@Suite("Spreadsheets")
struct SpreadsheetTests {
    // MARK: CSV

    @Test(
        "reads CSV as RFC 4180 says, the way Excel writes it",
        arguments: [
            ("姓名,身份证号\r\n张三,11010519491231002X\r\n", [["姓名", "身份证号"], ["张三", "11010519491231002X"]]),
            ("a,b\nc,d", [["a", "b"], ["c", "d"]]),  // LF, no final line end
            ("a,b\rc,d\r", [["a", "b"], ["c", "d"]]),  // classic Mac CR
            ("\u{FEFF}姓名,工种\r\n李四,木工\r\n", [["姓名", "工种"], ["李四", "木工"]]),  // UTF-8 BOM
            ("\"王,五\",\"说\"\"好\"\"的\"\n", [["王,五", "说\"好\"的"]]),  // quoted comma, doubled quotes
            ("a,\"第一行\r\n第二行\",c\r\nd,e,f\r\n", [["a", "第一行\n第二行", "c"], ["d", "e", "f"]]),
            ("a,\"x\ny\",c\n", [["a", "x\ny", "c"]]),
            ("a,\"\",c\n", [["a", "", "c"]]),
            ("a,b\n\nc,d\n", [["a", "b"], [], ["c", "d"]]),  // blank line inside: an empty row
            ("a,b\n,,\n\r\n \n", [["a", "b"]]),  // trailing empty rows dropped
            ("a,b,,\nc\n", [["a", "b"], ["c"]]),  // short rows stay short
            ("  张三 ,\u{3000}木工\u{3000}, 1 \n", [["张三", "木工", "1"]]),  // ASCII and ideographic spaces
            ("\u{200B}11010519491231002X\u{FEFF},x\n", [["11010519491231002X", "x"]]),  // invisible characters
            ("ab\"c,d\n", [["ab\"c", "d"]]),  // a quote inside an unquoted field is kept
            ("\"ab\"c,d\n", [["abc", "d"]]),  // text after a closing quote is kept
            ("姓名\t身份证号\n张三\t11010519491231002X\n", [["姓名", "身份证号"], ["张三", "11010519491231002X"]]),
            ("a\tb,c\nd\te,f\n", [["a\tb", "c"], ["d\te", "f"]]),  // commas win over tabs
            ("\"a\tb\"\tc\n", [["a\tb", "c"]]),  // TSV with a quoted tab
        ])
    func csv(text: String, expected: [[String]]) throws {
        #expect(try SpreadsheetReader.rows(from: Data(text.utf8)) == expected)
    }

    @Test("an unclosed quote is an error naming the line it opened on")
    func csvUnclosedQuote() {
        let text = "姓名,备注\n张三,\"班组长\n李四,木工\n"
        #expect(throws: SpreadsheetError.unterminatedQuote(line: 2)) {
            try SpreadsheetReader.rows(from: Data(text.utf8))
        }
        #expect(SpreadsheetError.unterminatedQuote(line: 2).message.contains("第 2 行"))
    }

    @Test("reads GB 18030 (GBK) CSV, as Excel on a Chinese Windows saves it, four-byte characters included")
    func csvGB18030() throws {
        let bytes = SpreadsheetFixtures.gb18030CSV
        #expect(String(validating: bytes, as: UTF8.self) == nil)
        #expect(try SpreadsheetReader.rows(from: Data(bytes)) == SpreadsheetFixtures.gb18030Rows)
    }

    @Test("Foundation on this platform decodes GB 18030")
    func gb18030IsAvailable() {
        let decoded = String(
            data: Data([0xD5, 0xC5, 0xC8, 0xFD, 0x95, 0x32, 0x82, 0x36]), encoding: TextDecoding.gb18030)
        #expect(decoded == "张三𠀀")
    }

    @Test("reads Excel's \"Unicode 文本\": UTF-16LE with a BOM, tab-separated")
    func utf16TabSeparated() throws {
        let text = "姓名\t身份证号\r\n张三\t11010519491231002X\r\n"
        let data = Data([0xFF, 0xFE]) + (text.data(using: .utf16LittleEndian) ?? Data())
        #expect(try SpreadsheetReader.rows(from: data) == [["姓名", "身份证号"], ["张三", "11010519491231002X"]])
    }

    @Test("bytes that are neither UTF-8 nor GB 18030 ask for CSV UTF-8")
    func csvUnknownEncoding() {
        let bytes: [UInt8] = Array("姓名,".utf8) + [0x80, 0xFF, 0x41, 0x0A]
        #expect(throws: SpreadsheetError.encoding) {
            try SpreadsheetReader.rows(from: Data(bytes))
        }
        #expect(SpreadsheetError.encoding.message.contains("CSV UTF-8（逗号分隔）"))
        #expect(throws: SpreadsheetError.encoding) {
            try SpreadsheetReader.rows(from: Data([0xEF, 0xBB, 0xBF, 0xC3, 0x28]))
        }
        // The same bytes under a workbook's name are a damaged workbook, not an encoding problem.
        #expect(throws: SpreadsheetError.damagedWorkbook) {
            try SpreadsheetReader.rows(from: Data(bytes), fileName: "花名册.XLSX")
        }
    }

    // MARK: XLSX

    @Test("reads a workbook as Excel writes it: shared strings, styles, dates, gaps")
    func xlsxExcelLike() throws {
        let rows = try SpreadsheetReader.rows(from: Data(SpreadsheetFixtures.excelLikeWorkbook), fileName: "花名册.xlsx")
        #expect(rows == SpreadsheetFixtures.excelLikeRows)
    }

    @Test("the format comes from the content, not the name")
    func formatFromContent() throws {
        let data = Data(SpreadsheetFixtures.excelLikeWorkbook)
        #expect(try SpreadsheetReader.rows(from: data, fileName: "名单.csv") == SpreadsheetFixtures.excelLikeRows)
        #expect(try SpreadsheetReader.rows(from: Data("a,b\n".utf8), fileName: "名单.xlsx") == [["a", "b"]])
    }

    @Test("reads namespace prefixes, absolute targets and cells without positions (Open XML SDK style)")
    func xlsxPrefixedParts() throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let parts = [
            ("_rels/.rels", Self.relationships([("R0", "officeDocument", "/xl/book.xml")])),
            (
                "xl/book.xml",
                #"<x:workbook xmlns:x="\#(main)" xmlns:rel="\#(relationships)"><x:sheets>"#
                    + #"<x:sheet name="数据" sheetId="7" rel:id="Rs"/></x:sheets></x:workbook>"#
            ),
            ("xl/_rels/book.xml.rels", Self.relationships([("Rs", "worksheet", "/xl/data/roster.xml")])),
            (
                "xl/data/roster.xml",
                #"<x:worksheet xmlns:x="\#(main)"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>姓名</x:t>"#
                    + #"</x:is></x:c><x:c t="inlineStr"><x:is><x:r><x:t>工</x:t></x:r><x:r><x:t>种</x:t></x:r>"#
                    + #"</x:is></x:c></x:row><x:row><x:c t="inlineStr"><x:is><x:t><![CDATA[张<三>]]></x:t></x:is>"#
                    + #"</x:c><x:c><x:v>42</x:v></x:c></x:row></x:sheetData></x:worksheet>"#
            ),
        ]
        #expect(try SpreadsheetReader.rows(from: Data(Self.workbook(parts))) == [["姓名", "工种"], ["张<三>", "42"]])
    }

    @Test("a workbook from old Mac Excel counts dates from 1904")
    func xlsxDate1904() throws {
        var parts = Self.minimalParts(
            sheetData: #"<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43646</v></c></row>"#,
            workbookProperties: #"<workbookPr date1904="1"/>"#)
        parts.append(("xl/styles.xml", Self.styles(numberFormatIDs: [0, 14])))
        #expect(try SpreadsheetReader.rows(from: Data(Self.workbook(parts))) == [["1904-01-01", "2023-07-01"]])
    }

    @Test("the first visible worksheet is read; a hidden first sheet holds lookup lists")
    func xlsxHiddenFirstSheet() throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let sheet = { (text: String) in
            #"<worksheet xmlns="\#(main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\#(text)</t>"#
                + "</is></c></row></sheetData></worksheet>"
        }
        let parts = [
            ("_rels/.rels", Self.relationships([("rId1", "officeDocument", "xl/workbook.xml")])),
            (
                "xl/workbook.xml",
                #"<workbook xmlns="\#(main)" xmlns:r="\#(relationships)">"#
                    + #"<sheets><sheet name="图表" sheetId="1" r:id="rId1"/>"#
                    + #"<sheet name="字典" sheetId="2" state="hidden" r:id="rId2"/>"#
                    + #"<sheet name="花名册" sheetId="3" r:id="rId3"/></sheets></workbook>"#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                Self.relationships([
                    ("rId1", "chartsheet", "chartsheets/sheet1.xml"), ("rId2", "worksheet", "worksheets/sheet1.xml"),
                    ("rId3", "worksheet", "worksheets/sheet2.xml"),
                ])
            ),
            ("xl/chartsheets/sheet1.xml", "<chartsheet/>"),
            ("xl/worksheets/sheet1.xml", sheet("字典")),
            ("xl/worksheets/sheet2.xml", sheet("花名册")),
        ]
        #expect(try SpreadsheetReader.rows(from: Data(Self.workbook(parts))) == [["花名册"]])
    }

    @Test(
        "refuses damaged workbooks",
        arguments: [
            #"<row r="1"><c r="A1" t="s"><v>5</v></c></row>"#,  // no shared string 5
            #"<row r="1"><c r="A1"><v>1</v></c>"#,  // not well-formed
            #"<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>"#,  // rows out of order
            #"<row r="1"><c r="XFE1"><v>1</v></c></row>"#,  // past the last column
        ])
    func xlsxDamaged(sheetData: String) {
        #expect(throws: SpreadsheetError.damagedWorkbook) {
            try SpreadsheetReader.rows(from: Data(Self.workbook(Self.minimalParts(sheetData: sheetData))))
        }
    }

    @Test("refuses a part with a document type declaration (entity expansion)")
    func xlsxDoctype() {
        var parts = Self.minimalParts(sheetData: #"<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>"#)
        parts[2].1 = parts[2].1.replacing(
            "<worksheet", with: "<!-- x --><!DOCTYPE worksheet [<!ENTITY lol \"lol\">]><worksheet")
        #expect(throws: SpreadsheetError.damagedWorkbook) {
            try SpreadsheetReader.rows(from: Data(Self.workbook(parts)))
        }
    }

    @Test("a ZIP that is no workbook, and a workbook with no worksheet")
    func xlsxNotAWorkbook() {
        #expect(throws: SpreadsheetError.notSpreadsheet) {
            try SpreadsheetReader.rows(from: Data(Self.workbook([("word/document.xml", "<document/>")])))
        }
        let parts = Self.minimalParts(sheetData: "").filter { !$0.0.hasPrefix("xl/worksheets") }
        #expect(throws: SpreadsheetError.noWorksheet) {
            try SpreadsheetReader.rows(from: Data(Self.workbook(parts)))
        }
        #expect(throws: SpreadsheetError.damagedWorkbook) {
            try SpreadsheetReader.rows(from: Data(SpreadsheetFixtures.excelLikeWorkbook.prefix(2000)))
        }
    }

    @Test(
        "number cells read as Excel shows them",
        arguments: [
            ("13800138000", "13800138000"),
            ("1.3800138E+10", "13800138000"),
            ("350", "350"),
            ("-12", "-12"),
            ("-0", "-0"),
            ("288.5", "288.5"),
            ("0.30000000000000004", "0.3"),
            ("1E-3", "0.001"),
            ("100000000000000", "100000000000000"),
            // Excel kept 15 digits of an ID number: returned as written, for the identity check to reject.
            ("5.10104198503121E+17", "5.10104198503121E+17"),
            ("1.1010519491231E+17", "1.1010519491231E+17"),
            // A writer that stored every digit as a number lost nothing.
            ("510104198503121232", "510104198503121232"),
        ])
    func numberText(raw: String, shown: String) {
        #expect(ExcelValueText.number(raw) == shown)
    }

    @Test(
        "date serials in the 1900 and 1904 systems",
        arguments: [
            (1, false, "1900-01-01"),
            (59, false, "1900-02-28"),
            (61, false, "1900-03-01"),
            (18_263, false, "1949-12-31"),
            (36_586, false, "2000-03-01"),
            (45_474, false, "2024-07-01"),
            (2_958_465, false, "9999-12-31"),
            (0, true, "1904-01-01"),
            (44_012, true, "2024-07-01"),
        ])
    func dateSerial(serial: Int, date1904: Bool, expected: String) {
        #expect(ExcelValueText.calendarDate(serialDay: serial, date1904: date1904)?.description == expected)
    }

    @Test("serials that are no date stay numbers")
    func dateSerialOutOfRange() throws {
        // 1900-02-29 exists only in Excel, which copied Lotus 1-2-3's leap-year bug.
        #expect(ExcelValueText.calendarDate(serialDay: 60, date1904: false) == nil)
        #expect(ExcelValueText.calendarDate(serialDay: 0, date1904: false) == nil)
        #expect(ExcelValueText.dateTime(serial: "-1", kind: .date, date1904: false) == nil)
        #expect(ExcelValueText.dateTime(serial: "2958466", kind: .date, date1904: false) == nil)
        #expect(ExcelValueText.dateTime(serial: "45474.75", kind: .date, date1904: false) == "2024-07-01")
        #expect(ExcelValueText.dateTime(serial: "45474.999999", kind: .date, date1904: false) == "2024-07-02")
        #expect(ExcelValueText.dateTime(serial: "0.3541666666666667", kind: .time, date1904: false) == "08:30")
        #expect(
            ExcelValueText.dateTime(serial: "45474.5003", kind: .dateTime, date1904: false) == "2024-07-01 12:00:26")
    }

    @Test(
        "custom number formats: date, time or neither",
        arguments: [
            ("yyyy/m/d;@", NumberFormatKind.date),
            (#"[$-804]yyyy"年"m"月"d"日";@"#, .date),
            (#"[DBNum1][$-804]m"月"d"日""#, .date),
            ("mmm-yy", .date),
            ("yyyy-mm-dd hh:mm", .dateTime),
            ("h:mm:ss", .time),
            ("mm:ss", .time),
            ("[h]:mm", .time),
            (#"上午/下午h"时"mm"分""#, .time),
            ("General", .general),
            ("0.00_ ", .general),
            ("#,##0.00;[Red]-#,##0.00", .general),
            ("0.00E+00", .general),
            (#""day "0"#, .general),
            (#"\d0"#, .general),
            ("@", .general),
            ("0;yyyy", .general),
        ])
    func customFormat(code: String, kind: NumberFormatKind) {
        #expect(NumberFormatKind(formatCode: code) == kind)
    }

    @Test("built-in number formats, East Asian dates included")
    func builtInFormats() {
        #expect(NumberFormatKind(builtInID: 0) == .general)
        #expect(NumberFormatKind(builtInID: 14) == .date)
        #expect(NumberFormatKind(builtInID: 22) == .dateTime)
        #expect(NumberFormatKind(builtInID: 20) == .time)
        #expect(NumberFormatKind(builtInID: 31) == .date)
        #expect(NumberFormatKind(builtInID: 57) == .date)
        #expect(NumberFormatKind(builtInID: 49) == .general)
    }

    @Test(
        "cell references",
        arguments: [("A1", 0), ("Z9", 25), ("AA1", 26), ("ab12", 27), ("XFD1048576", 16_383)])
    func columnIndex(reference: String, index: Int) {
        #expect(WorksheetPart.columnIndex(of: reference) == index)
        #expect(XLSXWriter.columnName(index) == reference.uppercased().prefix { $0.isLetter }.description)
    }

    @Test("cell references past XFD or without letters are invalid")
    func columnIndexInvalid() {
        #expect(WorksheetPart.columnIndex(of: "XFE1") == nil)
        #expect(WorksheetPart.columnIndex(of: "AAAA1") == nil)
        #expect(WorksheetPart.columnIndex(of: "12") == nil)
    }

    @Test("shared-string escapes _xHHHH_ are decoded")
    func xStringEscapes() {
        #expect(ExcelValueText.unescapingXString("a_x000D_b") == "a\rb")
        #expect(ExcelValueText.unescapingXString("_x005F_x0041_") == "_x0041_")
        #expect(ExcelValueText.unescapingXString("my_xfile_x12") == "my_xfile_x12")
    }
}
