import Foundation
import Testing

@testable import SiteRollSpreadsheets

/// Files that are no roster (old .xls, encrypted, HTML, pictures, empty) and the row, cell and size limits
/// (E2, issue 4). Zip bombs and broken containers are in `ZipReadingTests`.
extension SpreadsheetTests {
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
}
