import Foundation
import Testing

@testable import SiteRollSpreadsheets

/// Roster import and ledger export (E2, issue 4): CSV and .xlsx reading, the DEFLATE inflater and ZIP reader
/// under it, the writers, and the limits that keep a hostile upload cheap.
@Suite("Spreadsheets")
struct SpreadsheetTests {
    // MARK: CRC-32

    @Test(
        "CRC-32 of known vectors",
        arguments: [
            ("", UInt32(0)),
            ("123456789", 0xCBF4_3926),  // the check value of CRC-32/ISO-HDLC
            ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
        ])
    func crc32(text: String, expected: UInt32) {
        #expect(CRC32.checksum(Array(text.utf8)) == expected)
    }

    @Test("CRC-32 computed in pieces equals CRC-32 of the whole")
    func crc32Incremental() {
        var crc = CRC32()
        crc.update(Array("12345".utf8))
        crc.update(Array("6789".utf8))
        #expect(crc.value == 0xCBF4_3926)
    }

    // MARK: Inflate

    @Test("inflates a small entry that Python's zipfile deflated (fixed Huffman)")
    func inflateSmallFixedHuffman() throws {
        let archive = try ZipArchive(SpreadsheetFixtures.smallDeflatedZip)
        let entry = try #require(archive.entry(named: "small.txt"))
        #expect(entry.method == 8)
        let contents = try #require(try archive.contents(of: "small.txt", limit: 1_000_000))
        #expect(String(decoding: contents, as: UTF8.self) == SpreadsheetFixtures.smallText)
    }

    @Test("inflates 100 KB of varied text spread over two dynamic Huffman blocks")
    func inflateLargeDynamicHuffman() throws {
        let expected = Array(SpreadsheetFixtures.largeText().utf8)
        #expect(expected.count >= 100_000)
        let archive = try ZipArchive(SpreadsheetFixtures.largeDeflatedZip)
        let entry = try #require(archive.entry(named: "large.txt"))
        #expect(entry.method == 8)
        #expect(entry.compressedSize < expected.count / 4)
        let contents = try #require(try archive.contents(of: "large.txt", limit: 1_000_000))
        #expect(contents.count == expected.count)
        #expect(contents == expected)
    }

    @Test("inflates stored blocks, the last one after a non-final one")
    func inflateStoredBlocks() throws {
        // BFINAL=0 BTYPE=00, LEN=3, NLEN; then BFINAL=1 BTYPE=00, LEN=2, NLEN.
        let stream: [UInt8] =
            [0x00, 3, 0, 0xFC, 0xFF] + Array("abc".utf8) + [0x01, 2, 0, 0xFD, 0xFF] + Array("de".utf8)
        #expect(try Inflater.inflate(stream, limit: 100) == Array("abcde".utf8))
    }

    @Test("inflates a back reference that overlaps its own output")
    func inflateOverlappingCopy() throws {
        let stream = FixedHuffmanStream.repeating(UInt8(ascii: "x"), runs: 3)
        #expect(
            try Inflater.inflate(stream, limit: 10_000) == [UInt8](repeating: UInt8(ascii: "x"), count: 1 + 3 * 258))
    }

    @Test(
        "rejects malformed DEFLATE data",
        arguments: [
            [0x07] as [UInt8],  // reserved block type 3
            [0x01, 3, 0, 0xFF, 0xFF, 0x61, 0x62, 0x63],  // stored length and its complement disagree
            [0x01, 9, 0, 0xF6, 0xFF, 0x61],  // stored block longer than the data
            [0x03],  // fixed block cut off before its end-of-block code
            [],
        ])
    func inflateRejectsMalformed(stream: [UInt8]) {
        #expect {
            try Inflater.inflate(stream, limit: 1000)
        } throws: { error in
            if case .malformed = error as? Inflater.Failure { true } else { false }
        }
    }

    @Test("rejects a truncated dynamic Huffman stream")
    func inflateRejectsTruncated() throws {
        let raw = try Self.rawDeflate(of: "large.txt", in: SpreadsheetFixtures.largeDeflatedZip)
        #expect(throws: Inflater.Failure.self) {
            try Inflater.inflate(Array(raw.prefix(raw.count / 2)), limit: 1_000_000)
        }
    }

    @Test("stops inflating at the output limit")
    func inflateStopsAtLimit() throws {
        let raw = try Self.rawDeflate(of: "large.txt", in: SpreadsheetFixtures.largeDeflatedZip)
        #expect(throws: Inflater.Failure.outputLimitExceeded) {
            try Inflater.inflate(raw, limit: 50_000)
        }
    }

    // MARK: ZIP

    @Test("the ZIP writer's archives read back, CRC-32 checked")
    func zipRoundTrip() throws {
        var writer = ZipWriter()
        writer.add(name: "a.txt", contents: Array("甲".utf8))
        writer.add(name: "dir/B.xml", contents: [])
        let archive = try ZipArchive(writer.finish())
        #expect(archive.entryNames == ["a.txt", "dir/B.xml"])
        #expect(try archive.contents(of: "A.TXT", limit: 10) == Array("甲".utf8))
        #expect(try archive.contents(of: "dir/b.xml", limit: 10) == [])
        #expect(try archive.contents(of: "missing", limit: 10) == nil)
    }

    @Test("a corrupted entry fails its CRC-32 check")
    func zipCRCMismatch() throws {
        var writer = ZipWriter()
        writer.add(name: "a.txt", contents: Array("hello".utf8))
        var bytes = writer.finish()
        bytes[30 + 5] ^= 0x20  // first content byte, after the 30-byte header and "a.txt"
        let archive = try ZipArchive(bytes)
        #expect {
            try archive.contents(of: "a.txt", limit: 100)
        } throws: { error in
            if case .malformed = error as? ZipArchive.Failure { true } else { false }
        }
    }

    @Test("an entry that declares more than the limit is refused before inflating")
    func zipDeclaredSizeOverLimit() throws {
        let archive = try ZipArchive(SpreadsheetFixtures.largeDeflatedZip)
        #expect(throws: ZipArchive.Failure.entryTooLarge) {
            try archive.contents(of: "large.txt", limit: 50_000)
        }
    }

    @Test("an entry that lies about its size is stopped by the inflater's limit")
    func zipLyingSizeStopped() throws {
        var bytes = SpreadsheetFixtures.largeDeflatedZip
        let directory = try #require(Self.centralDirectoryOffset(bytes))
        bytes.replaceSubrange(directory + 24..<directory + 28, with: [100, 0, 0, 0])  // uncompressed size: 100
        let archive = try ZipArchive(bytes)
        #expect(throws: ZipArchive.Failure.entryTooLarge) {
            try archive.contents(of: "large.txt", limit: 50_000)
        }
    }

    @Test("a ZIP-encrypted entry is reported as encrypted")
    func zipEncryptedEntry() throws {
        var bytes = Self.workbook(
            Self.minimalParts(sheetData: #"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>"#))
        let directory = try #require(Self.centralDirectoryOffset(bytes))
        bytes[directory + 8] |= 1  // flag bit 0 of the first entry
        #expect(throws: SpreadsheetError.encrypted) {
            try SpreadsheetReader.rows(from: Data(bytes))
        }
    }

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

    // MARK: Refused files and limits

    @Test("an old binary .xls is refused with advice to save as .xlsx or CSV")
    func legacyXLS() {
        let bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        #expect(throws: SpreadsheetError.legacyExcel) {
            try SpreadsheetReader.rows(from: Data(bytes), fileName: "花名册.xls")
        }
        #expect(SpreadsheetError.legacyExcel.code == "SHEET_LEGACY_XLS")
        #expect(SpreadsheetError.legacyExcel.message == "不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV")
    }

    @Test("a password-protected workbook is told apart from an old .xls")
    func passwordProtected() {
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        for byte in "EncryptedPackage".utf8 { bytes += [byte, 0] }
        #expect(throws: SpreadsheetError.encrypted) {
            try SpreadsheetReader.rows(from: Data(bytes), fileName: "花名册.xlsx")
        }
    }

    @Test(
        "HTML and Excel 2003 XML named .xls are refused with a specific message",
        arguments: [
            "<html><body><table><tr><td>姓名</td></tr></table></body></html>",
            "\u{FEFF}\n  <TABLE border=1><tr><td>姓名</td></tr></TABLE>",
            #"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>"#,
        ])
    func disguisedSpreadsheet(text: String) {
        #expect(throws: SpreadsheetError.disguisedSpreadsheet) {
            try SpreadsheetReader.rows(from: Data(text.utf8), fileName: "export.xls")
        }
    }

    @Test("pictures and PDFs are not spreadsheets")
    func otherBinary() {
        #expect(throws: SpreadsheetError.notSpreadsheet) {
            try SpreadsheetReader.rows(from: Data("%PDF-1.7\n%âãÏÓ\n".utf8))
        }
        #expect(throws: SpreadsheetError.notSpreadsheet) {
            try SpreadsheetReader.rows(from: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
    }

    @Test("empty files and tables without text are reported as empty")
    func empty() {
        for data in [Data(), Data("\r\n , ,\r\n\u{3000}\n".utf8), Data([0xEF, 0xBB, 0xBF])] {
            #expect(throws: SpreadsheetError.empty) {
                try SpreadsheetReader.rows(from: data)
            }
        }
        let parts = Self.minimalParts(sheetData: #"<row r="1"><c r="A1" s="0"/></row>"#)
        #expect(throws: SpreadsheetError.empty) {
            try SpreadsheetReader.rows(from: Data(Self.workbook(parts)))
        }
    }

    @Test("files over 10 MB are refused before reading")
    func fileTooLarge() {
        let data = Data(repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024 + 1)
        #expect(throws: SpreadsheetError.fileTooLarge(limit: 10 * 1024 * 1024)) {
            try SpreadsheetReader.rows(from: data)
        }
        #expect(SpreadsheetError.fileTooLarge(limit: 10 * 1024 * 1024).code == "SHEET_TOO_LARGE")
        #expect(SpreadsheetError.fileTooLarge(limit: 10 * 1024 * 1024).message.contains("10 MB"))
    }

    @Test("at most 20,000 rows; trailing empty lines do not count")
    func tooManyRows() throws {
        let allowed =
            String(repeating: "张三,11010519491231002X\r\n", count: 20_000) + String(repeating: ",\r\n", count: 50)
        #expect(try SpreadsheetReader.rows(from: Data(allowed.utf8)).count == 20_000)
        let tooMany = String(repeating: "张三,11010519491231002X\r\n", count: 20_001)
        #expect(throws: SpreadsheetError.tooManyRows(limit: 20_000)) {
            try SpreadsheetReader.rows(from: Data(tooMany.utf8))
        }
    }

    @Test("the row limit counts the position of a workbook row, empty rows between included")
    func tooManyRowsInWorkbook() throws {
        var limits = SpreadsheetLimits.standard
        limits.maximumRows = 3
        let farRow = #"<row r="1"><c r="A1"><v>1</v></c></row><row r="4"><c r="A4"><v>1</v></c></row>"#
        #expect(throws: SpreadsheetError.tooManyRows(limit: 3)) {
            try SpreadsheetReader.rows(
                from: Data(Self.workbook(Self.minimalParts(sheetData: farRow))), fileName: nil, limits: limits)
        }
        // Formatting far below the table is no row of text.
        let formattedOnly = #"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="A1048576" s="0"/></row>"#
        let rows = try SpreadsheetReader.rows(
            from: Data(Self.workbook(Self.minimalParts(sheetData: formattedOnly))), fileName: nil, limits: limits)
        #expect(rows == [["1"]])
    }

    @Test("a cell far to the right cannot multiply memory")
    func tooManyCells() {
        var limits = SpreadsheetLimits.standard
        limits.maximumCells = 20_000
        let sheetData = (1...3).map { #"<row r="\#($0)"><c r="XFD\#($0)"><v>1</v></c></row>"# }.joined()
        #expect(throws: SpreadsheetError.tooManyCells(limit: 20_000)) {
            try SpreadsheetReader.rows(
                from: Data(Self.workbook(Self.minimalParts(sheetData: sheetData))), fileName: nil, limits: limits)
        }
    }

    @Test("a zip bomb is stopped at 50 MB of output")
    func zipBomb() throws {
        // 350 KB of DEFLATE data that inflates to 51 MB of "x", declaring a harmless 1 KB.
        let runs = 51 * 1024 * 1024 / 258
        let stream = FixedHuffmanStream.repeating(UInt8(ascii: "x"), runs: runs)
        var parts = Self.minimalParts(sheetData: "")
        parts.removeAll { $0.0 == "xl/worksheets/sheet1.xml" }
        var bytes = Self.workbook(parts)
        bytes = Self.appendingDeflatedEntry(
            to: bytes, name: "xl/worksheets/sheet1.xml", deflated: stream, declaredSize: 1024, crc: 0)
        #expect(bytes.count < 1024 * 1024)
        #expect(throws: SpreadsheetError.contentTooLarge(limit: 50 * 1024 * 1024)) {
            try SpreadsheetReader.rows(from: Data(bytes))
        }
    }

    // MARK: Writing .xlsx

    static let exportHeader = ["姓名", "身份证号", "手机号", "日工资", "出勤天数", "备注"]
    static let exportRows: [[SheetCell]] = [
        ["张三", "11010519491231002X", "013800138000", .number(350.5), .integer(22), ""],
        ["王䶮", "510104198503121232", "", .number(-0.25), .integer(-3), "夜班\n班组长"],
        [.text("  前后空格 "), "a<b & \"c\" > d", "_x0041_", .number(1e20), .integer(1_234_567_890_123_456_789)],
        [],
        ["𠀀", .text("控制\u{1}字符\u{FFFE}"), "=1+1", .number(.nan), .number(3)],
    ]

    @Test("an .xlsx export reads back as written: text stays text")
    func xlsxRoundTrip() throws {
        let data = SpreadsheetWriter.xlsx(sheetName: "工资台账", header: Self.exportHeader, rows: Self.exportRows)
        let rows = try SpreadsheetReader.rows(from: data)
        #expect(
            rows == [
                Self.exportHeader,
                ["张三", "11010519491231002X", "013800138000", "350.5", "22"],
                ["王䶮", "510104198503121232", "", "-0.25", "-3", "夜班\n班组长"],
                ["前后空格", "a<b & \"c\" > d", "_x0041_", "1e+20", "1234567890123456789"],
                [],
                ["𠀀", "控制字符", "=1+1", "", "3"],
            ])
    }

    @Test("the .xlsx package has every part, a bold frozen header, and widths that count Chinese double")
    func xlsxStructure() throws {
        let data = SpreadsheetWriter.xlsx(sheetName: "台账", header: Self.exportHeader, rows: Self.exportRows)
        let archive = try ZipArchive(Array(data))
        #expect(
            archive.entryNames == [
                "[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
            ])
        for name in archive.entryNames {
            let entry = try #require(archive.entry(named: name))
            #expect(entry.method == 0)
        }
        let sheet = String(
            decoding: try #require(try archive.contents(of: "xl/worksheets/sheet1.xml", limit: 1 << 20)), as: UTF8.self)
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(sheet.contains(#"<dimension ref="A1:F6"/>"#))
        #expect(sheet.contains(#"<c r="A1" s="1" t="s">"#))
        // ID numbers are strings with the text format, never numbers.
        #expect(sheet.contains(#"<c r="B2" s="2" t="s">"#))
        #expect(!sheet.contains("<v>11010519491231002"))
        #expect(sheet.contains(#"<c r="D2"><v>350.5</v></c>"#))
        #expect(sheet.contains(#"<c r="E2"><v>22</v></c>"#))
        // 19 digits would be rounded by Excel: written as text.
        #expect(sheet.contains(#"<c r="E4" s="2" t="s">"#))
        // Widths are content plus 2, at least 8: "  前后空格 " is 11 wide, an ID number 18, 夜班/班组长 6.
        #expect(sheet.contains(#"<col min="1" max="1" width="13" customWidth="1"/>"#))
        #expect(sheet.contains(#"<col min="2" max="2" width="20" customWidth="1"/>"#))
        #expect(sheet.contains(#"<col min="6" max="6" width="8" customWidth="1"/>"#))
        let styles = String(
            decoding: try #require(try archive.contents(of: "xl/styles.xml", limit: 1 << 20)), as: UTF8.self)
        #expect(styles.contains("<b/>"))
        let workbook = String(
            decoding: try #require(try archive.contents(of: "xl/workbook.xml", limit: 1 << 20)), as: UTF8.self)
        #expect(workbook.contains(#"<sheet name="台账" sheetId="1" r:id="rId1"/>"#))
    }

    @Test("writing the same export twice gives the same bytes")
    func xlsxDeterministic() {
        let first = SpreadsheetWriter.xlsx(sheetName: "a", header: Self.exportHeader, rows: Self.exportRows)
        let second = SpreadsheetWriter.xlsx(sheetName: "a", header: Self.exportHeader, rows: Self.exportRows)
        #expect(first == second)
    }

    @Test("an export without rows, or without a header, is still a valid workbook")
    func xlsxEdgeShapes() throws {
        let headerOnly = SpreadsheetWriter.xlsx(sheetName: "空", header: ["姓名"], rows: [])
        #expect(try SpreadsheetReader.rows(from: headerOnly) == [["姓名"]])
        let noHeader = SpreadsheetWriter.xlsx(sheetName: "无表头", header: [], rows: [["a", .integer(1)]])
        #expect(try SpreadsheetReader.rows(from: noHeader) == [["a", "1"]])
        let nothing = SpreadsheetWriter.xlsx(sheetName: "", header: [], rows: [])
        #expect(throws: SpreadsheetError.empty) {
            try SpreadsheetReader.rows(from: nothing)
        }
    }

    @Test("integers beyond Excel's 15 digits are written as text, the most negative one included")
    func xlsxLargeIntegers() throws {
        let data = SpreadsheetWriter.xlsx(
            sheetName: "a", header: [], rows: [[.integer(.min), .integer(.max), .integer(999_999_999_999_999)]])
        let rows = try SpreadsheetReader.rows(from: data)
        #expect(rows == [["-9223372036854775808", "9223372036854775807", "999999999999999"]])
    }

    @Test(
        "sheet names are made valid for Excel",
        arguments: [
            ("工资台账", "工资台账"),
            ("2024/05 考勤", "2024_05 考勤"),
            (#"[项目]:*?\一"#, "_项目_____一"),
            ("'引号'", "引号"),
            ("  ", "Sheet1"),
            ("history", "Sheet1"),
            ("换\n行", "换行"),
            (String(repeating: "长", count: 40), String(repeating: "长", count: 31)),
            (String(repeating: "𠀀", count: 20), String(repeating: "𠀀", count: 15)),
        ])
    func sheetName(proposed: String, expected: String) {
        #expect(XLSXWriter.sheetName(proposed) == expected)
    }

    @Test("display width counts Chinese and full-width characters as two")
    func displayWidth() {
        #expect(DisplayWidth.of("11010519491231002X") == 18)
        #expect(DisplayWidth.of("张三") == 4)
        #expect(DisplayWidth.of("Ａ１，") == 6)
        #expect(DisplayWidth.of("𠀀a") == 3)
        #expect(DisplayWidth.ofWidestLine("夜班\n班组长") == 6)
    }

    @Test("XML text escaping drops characters XML 1.0 cannot hold")
    func xmlEscaping() {
        #expect(
            XMLText.escaped("a<b&\"c\">\r\u{0}\u{B}\u{FFFF}\u{10000}") == "a&lt;b&amp;&quot;c&quot;&gt;&#13;\u{10000}")
        #expect(XMLText.excelLiteral("_x0041_ and _x12") == "_x005F_x0041_ and _x12")
    }

    // MARK: Writing CSV

    @Test("CSV export: BOM, CRLF, quoting, formula injection neutralised")
    func csvExport() {
        let data = SpreadsheetWriter.csv(
            header: ["姓名", "备注"],
            rows: [
                ["张三", "a,b"],
                ["李四", "说\"好\"的"],
                ["王五", "两\n行"],
                ["=HYPERLINK(\"http://x\")", "+86 138"],
                ["-", "@SUM(A1)"],
                ["\tx", "\rcr"],
                [.integer(-5), .number(-2.5)],
                [.number(3), .number(.infinity)],
                [.number(0.1), .integer(1_234_567_890_123_456_789)],
            ])
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(
            text
                == "姓名,备注\r\n张三,\"a,b\"\r\n李四,\"说\"\"好\"\"的\"\r\n王五,\"两\n行\"\r\n"
                + "\"'=HYPERLINK(\"\"http://x\"\")\",'+86 138\r\n'-,'@SUM(A1)\r\n'\tx,\"'\rcr\"\r\n"
                + "-5,-2.5\r\n3,\r\n0.1,1234567890123456789\r\n")
    }

    @Test("a CSV export reads back as written")
    func csvRoundTrip() throws {
        let data = SpreadsheetWriter.csv(header: Self.exportHeader, rows: Self.exportRows)
        let rows = try SpreadsheetReader.rows(from: data)
        #expect(
            rows == [
                Self.exportHeader,
                ["张三", "11010519491231002X", "013800138000", "350.5", "22"],
                ["王䶮", "510104198503121232", "", "-0.25", "-3", "夜班\n班组长"],
                ["前后空格", "a<b & \"c\" > d", "_x0041_", "1e+20", "1234567890123456789"],
                [],
                ["𠀀", "控制\u{1}字符\u{FFFE}", "'=1+1", "", "3"],
            ])
    }
}

// MARK: - Helpers

extension SpreadsheetTests {
    /// A workbook package of stored entries from (part name, XML) pairs.
    static func workbook(_ parts: [(String, String)]) -> [UInt8] {
        var writer = ZipWriter()
        for (name, xml) in parts {
            writer.add(name: name, contents: Array(xml.utf8))
        }
        return writer.finish()
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

    /// The raw DEFLATE data of an entry, found through its local header.
    static func rawDeflate(of name: String, in zip: [UInt8]) throws -> [UInt8] {
        let archive = try ZipArchive(zip)
        let entry = try #require(archive.entry(named: name))
        let header = entry.localHeaderOffset
        let nameLength = Int(try #require(zip.uint16(at: header + 26)))
        let extraLength = Int(try #require(zip.uint16(at: header + 28)))
        let start = header + 30 + nameLength + extraLength
        return Array(zip[start..<start + entry.compressedSize])
    }

    static func centralDirectoryOffset(_ zip: [UInt8]) -> Int? {
        guard let end = (0...(zip.count - 22)).last(where: { zip.uint32(at: $0) == 0x0605_4B50 }) else { return nil }
        return zip.uint32(at: end + 16).map(Int.init)
    }

    /// Re-packs `zip` (stored entries from `ZipWriter`) with one more entry of method 8 whose sizes are declared
    /// as given, however much the data really inflates to.
    static func appendingDeflatedEntry(
        to zip: [UInt8], name: String, deflated: [UInt8], declaredSize: UInt32, crc: UInt32
    ) -> [UInt8] {
        guard let directory = centralDirectoryOffset(zip), let count = zip.uint16(at: zip.count - 22 + 8) else {
            return zip
        }
        var bytes = Array(zip[..<directory])
        var centralDirectory = Array(zip[directory..<(zip.count - 22)])
        let offset = bytes.count
        let nameBytes = Array(name.utf8)
        func common(_ target: inout [UInt8]) {
            target.appendLittleEndian(UInt16(0))  // flags
            target.appendLittleEndian(UInt16(8))  // deflate
            target.appendLittleEndian(UInt32(0))  // time and date
            target.appendLittleEndian(crc)
            target.appendLittleEndian(UInt32(deflated.count))
            target.appendLittleEndian(declaredSize)
            target.appendLittleEndian(UInt16(nameBytes.count))
            target.appendLittleEndian(UInt16(0))  // extra
        }
        bytes.appendLittleEndian(UInt32(0x0403_4B50))
        bytes.appendLittleEndian(UInt16(20))
        common(&bytes)
        bytes += nameBytes + deflated
        centralDirectory.appendLittleEndian(UInt32(0x0201_4B50))
        centralDirectory.appendLittleEndian(UInt16(20))
        centralDirectory.appendLittleEndian(UInt16(20))
        common(&centralDirectory)
        centralDirectory += [UInt8](repeating: 0, count: 10)  // comment length, disk, attributes
        centralDirectory.appendLittleEndian(UInt32(offset))
        centralDirectory += nameBytes
        let directoryStart = bytes.count
        bytes += centralDirectory
        bytes.appendLittleEndian(UInt32(0x0605_4B50))
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(count + 1)
        bytes.appendLittleEndian(count + 1)
        bytes.appendLittleEndian(UInt32(centralDirectory.count))
        bytes.appendLittleEndian(UInt32(directoryStart))
        bytes.appendLittleEndian(UInt16(0))
        return bytes
    }
}

/// Writes fixed-Huffman DEFLATE data by hand (RFC 1951 3.2.6): one literal, then `runs` copies of 258 bytes at
/// distance 1, then end of block. Thirteen bits per 258 output bytes: the shape of a zip bomb.
enum FixedHuffmanStream {
    static func repeating(_ byte: UInt8, runs: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, width: 1)  // BFINAL
        writer.write(1, width: 2)  // BTYPE 01: fixed Huffman
        writer.writeCode(0x30 + Int(byte), width: 8)  // literals 0–143 are 00110000 + value
        for _ in 0..<runs {
            writer.writeCode(0xC5, width: 8)  // symbol 285, length 258: 11000000 + (285 - 280)
            writer.writeCode(0, width: 5)  // distance code 0: distance 1
        }
        writer.writeCode(0, width: 7)  // symbol 256, end of block
        return writer.bytes
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        private var used = 8

        /// Appends `width` bits of `value`, least significant first (header fields and extra bits).
        mutating func write(_ value: Int, width: Int) {
            for bit in 0..<width {
                if used == 8 {
                    bytes.append(0)
                    used = 0
                }
                bytes[bytes.count - 1] |= UInt8((value >> bit) & 1) << UInt8(used)
                used += 1
            }
        }

        /// Appends a Huffman code, most significant bit first, as DEFLATE packs codes.
        mutating func writeCode(_ code: Int, width: Int) {
            var reversed = 0
            for bit in 0..<width { reversed |= ((code >> bit) & 1) << (width - 1 - bit) }
            write(reversed, width: width)
        }
    }
}
