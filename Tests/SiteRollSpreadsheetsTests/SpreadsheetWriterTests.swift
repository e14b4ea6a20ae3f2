import Foundation
import Testing
import ZIPFoundation

@testable import SiteRollSpreadsheets

/// Ledger and roster exports (E2, issue 4; formats for issue 14): .xlsx and CSV writing, read back by the
/// reader and, for the package, by ZIPFoundation.
@Suite("Spreadsheet writing")
struct SpreadsheetWriterTests {
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
        let parts = try Self.parts(of: data)
        #expect(
            parts.keys.sorted() == [
                "[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
            ])
        let sheet = try #require(parts["xl/worksheets/sheet1.xml"])
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
        #expect(try #require(parts["xl/styles.xml"]).contains("<b/>"))
        let workbook = try #require(parts["xl/workbook.xml"])
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

    // MARK: Number formats, dates and totals (issue 14)

    @Test("amounts, days and dates are numbers with their formats; a totals row sums the column")
    func xlsxNumberFormats() throws {
        let header = ["姓名", "出勤天数", "应发金额", "进场日期", "日工资"]
        let rows: [[SheetCell]] = [
            [
                "张三", .decimal(21.5, places: 1), .amount(fen: 752_550), .date(year: 2024, month: 7, day: 1),
                .number(350),
            ],
            ["李四", .decimal(3.25, places: 1), .amount(fen: -1_005), .date(year: 1900, month: 2, day: 28), .number(0)],
            ["王五", .decimal(.nan, places: 1), .amount(fen: 7), .date(year: 2024, month: 2, day: 30), ""],
            [
                "合计", .columnTotal(24.75, places: 1), .columnTotal(7_515.52, places: 2), "",
                .columnTotal(350, places: 9),
            ],
        ]
        let data = SpreadsheetWriter.xlsx(sheetName: "工资表", header: header, rows: rows)
        let parts = try Self.parts(of: data)
        let sheet = try #require(parts["xl/worksheets/sheet1.xml"])
        let formats = try Self.numberFormats(try #require(parts["xl/styles.xml"]))
        /// The number format code of the cell at `reference`, with the cell's XML after its style.
        func cell(_ reference: String) throws -> (format: String, xml: String) {
            let start = try #require(sheet.range(of: #"<c r="\#(reference)" s=""#))
            let rest = sheet[start.upperBound...]
            let style = try #require(Int(rest.prefix { $0.isNumber }))
            let end = try #require(rest.range(of: "</c>"))
            return (formats[style] ?? "General", String(rest[..<end.lowerBound]))
        }
        #expect(try cell("B2") == ("0.0", #"4"><v>21.5</v>"#))
        #expect(try cell("B3") == ("0.0", #"4"><v>3.3</v>"#))  // rounded to what it shows
        #expect(try cell("C2") == ("0.00", #"5"><v>7525.50</v>"#))
        #expect(try cell("C3") == ("0.00", #"5"><v>-10.05</v>"#))
        #expect(try cell("C4") == ("0.00", #"5"><v>0.07</v>"#))
        #expect(try cell("D2") == ("yyyy-mm-dd", #"8"><v>45474</v>"#))
        #expect(try cell("D3") == ("yyyy-mm-dd", #"8"><v>59</v>"#))  // before Excel's phantom 1900-02-29
        #expect(try cell("B5") == ("0.0", #"4"><f>SUM(B2:B4)</f><v>24.8</v>"#))
        #expect(try cell("C5") == ("0.00", #"5"><f>SUM(C2:C4)</f><v>7515.52</v>"#))
        #expect(try cell("E5") == ("0.0000", #"7"><f>SUM(E2:E4)</f><v>350.0000</v>"#))  // places clamped to 4
        #expect(sheet.contains(#"<c r="E2"><v>350</v></c>"#))  // a plain number keeps the General format
        #expect(!sheet.contains(#"r="B4""#))  // NaN stays empty
        // Not a day: text, so that nothing disappears.
        #expect(sheet.contains(#"<c r="D4" s="2" t="s">"#))
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        // "2024-07-01" is 10 wide, "7525.50" 7 (at least 8), plus 2.
        #expect(sheet.contains(#"<col min="4" max="4" width="12" customWidth="1"/>"#))
        #expect(sheet.contains(#"<col min="3" max="3" width="10" customWidth="1"/>"#))

        #expect(
            try SpreadsheetReader.rows(from: data) == [
                header,
                ["张三", "21.5", "7525.5", "2024-07-01", "350"],
                ["李四", "3.3", "-10.05", "1900-02-28", "0"],
                ["王五", "", "0.07", "2024-02-30"],
                ["合计", "24.8", "7515.52", "", "350"],
            ])
    }

    @Test("CSV writes the same cells as their text, totals as their value")
    func csvNumberFormats() {
        let data = SpreadsheetWriter.csv(
            header: ["天数", "金额", "日期"],
            rows: [
                [.decimal(21.5, places: 1), .amount(fen: 752_550), .date(year: 2024, month: 7, day: 1)],
                [.columnTotal(21.5, places: 1), .amount(fen: -5), .date(year: -5, month: 1, day: 1)],
            ])
        #expect(
            String(decoding: data.dropFirst(3), as: UTF8.self)
                == "天数,金额,日期\r\n21.5,7525.50,2024-07-01\r\n21.5,-0.05,'-5-01-01\r\n")
    }

    // MARK: Helpers

    /// The parts of an .xlsx as text, unzipped by ZIPFoundation.
    static func parts(of data: Data) throws -> [String: String] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            #expect(entry.isCompressed)
            var contents = Data()
            let checksum = try archive.extract(entry) { contents.append($0) }
            #expect(checksum == entry.checksum)
            parts[entry.path] = String(decoding: contents, as: UTF8.self)
        }
        return parts
    }

    /// The number format code of each cell format (`cellXfs`) in `styles.xml`: custom codes by their id, the
    /// built-in ones the writer uses by name.
    static func numberFormats(_ styles: String) throws -> [Int: String] {
        var codes = [0: "General", 49: "@"]
        let pattern = #/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>/#
        for match in styles.matches(of: pattern) {
            codes[Int(match.output.1)!] = String(match.output.2)
        }
        let cellFormats = try #require(styles.firstMatch(of: #/<cellXfs[^>]*>(.*)</cellXfs>/#)).output.1
        var formats: [Int: String] = [:]
        for (index, match) in cellFormats.matches(of: #/<xf numFmtId="(\d+)"/#).enumerated() {
            formats[index] = codes[Int(match.output.1)!]
        }
        return formats
    }
}
