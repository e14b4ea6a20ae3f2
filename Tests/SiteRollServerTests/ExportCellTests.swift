import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import SiteRollStore
import Testing
import ZIPFoundation

@testable import SiteRollServer

/// Issue 14 item 2: the exports people compute with hold numbers as numbers (amounts with two
/// decimals, days with one), dates as dates, and a totals row Excel recalculates — read back from
/// the .xlsx the server sends, cell by cell.
@Suite("Exports: numbers, dates and totals Excel can work with")
struct ExportCellTests {
    /// `sheet1.xml` of an .xlsx.
    static func sheet(_ data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive["xl/worksheets/sheet1.xml"])
        var contents = Data()
        _ = try archive.extract(entry) { contents.append($0) }
        return String(decoding: contents, as: UTF8.self)
    }

    /// The XML of cell `reference` (`<c r="E2" …>…</c>`), nil when the cell is empty.
    static func cell(_ reference: String, in sheet: String) -> String? {
        guard let start = sheet.range(of: #"<c r="\#(reference)""#) else { return nil }
        guard let end = sheet[start.upperBound...].range(of: "</c>") else { return nil }
        return String(sheet[start.lowerBound..<end.upperBound])
    }

    static func isNumber(_ cell: String?) -> Bool {
        guard let cell else { return false }
        return !cell.contains(#"t="s""#) && !cell.contains("inlineStr") && cell.contains("<v>")
    }

    static func rowCount(_ sheet: String) -> Int { sheet.components(separatedBy: "<row ").count - 1 }

    static func download(_ client: some TestClientProtocol, _ uri: String, as session: ConsoleSession) async throws
        -> Data
    {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: session.cookieHeader]) { response in
            #expect(response.status == .ok, "\(uri)")
            return Data(buffer: response.body)
        }
    }

    @Test("the wage ledger: days and amounts are numbers, paid dates are dates, the last row sums each column")
    func wageLedger() async throws {
        try await TestPlatform.run(configure: PayrollTests.withWageHistory) { client, platform in
            let project = try #require(
                try await ProjectModel.query(on: platform.db).filter(\.$name == ProjectTests.projectOne).first())
            let gov = try await client.consoleLogin("gov", "jj_inspector")
            let uri = "/gov/projects/\(project.id!)/payrolls/ledger?format=xlsx"
            let sheet = try Self.sheet(try await Self.download(client, uri, as: gov))
            let rows = Self.rowCount(sheet)
            #expect(rows > 3, "the demo has paid months")
            for row in 2..<rows {
                for column in ["E", "F", "G", "I", "J"] {
                    #expect(Self.isNumber(Self.cell("\(column)\(row)", in: sheet)), "\(column)\(row) is a number")
                }
            }
            // Amounts carry two decimals, days one (the style's number format is checked in the
            // spreadsheet target's own tests); a paid line's date is a date serial, not text.
            #expect(Self.cell("F2", in: sheet)?.contains(".") == true)
            let paidDates = (2..<rows).compactMap { Self.cell("K\($0)", in: sheet) }
            #expect(paidDates.contains { Self.isNumber($0) }, "paid dates are dates")
            #expect(Self.cell("A\(rows)", in: sheet) != nil)
            for column in ["E", "F", "G", "I", "J"] {
                let total = try #require(Self.cell("\(column)\(rows)", in: sheet))
                #expect(total.contains("<f>SUM(\(column)2:\(column)\(rows - 1))</f>"), "\(column) has a total")
            }
            // No text in the summable columns anywhere: a text cell would make Excel's SUM skip it.
            #expect(!(Self.cell("I2", in: sheet) ?? "").contains(#"t="s""#))
        }
    }

    @Test("the attendance month: man-days are numbers with one decimal and the month's totals sum them")
    func attendanceMonth() async throws {
        try await TestPlatform.run { client, platform in
            let project = try #require(
                try await ProjectModel.query(on: platform.db).filter(\.$name == ProjectTests.projectOne).first())
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let month = PayMonth(containing: ProjectService.today()).nearAdding(months: -1)
            let uri = "/corp/projects/\(project.id!)/attendance?month=\(month)&format=xlsx"
            let sheet = try Self.sheet(try await Self.download(client, uri, as: corp))
            let rows = Self.rowCount(sheet)
            #expect(rows > 2, "the demo has a month of punches")
            // Columns D… are the days; the last two are days present and man-days.
            let days = month.dayCount
            let presentColumn = XLSXColumn.name(4 + days)
            let manDaysColumn = XLSXColumn.name(5 + days)
            for row in 2..<rows {
                #expect(Self.isNumber(Self.cell("\(presentColumn)\(row)", in: sheet)))
                #expect(Self.isNumber(Self.cell("\(manDaysColumn)\(row)", in: sheet)))
            }
            let total = try #require(Self.cell("\(manDaysColumn)\(rows)", in: sheet))
            #expect(total.contains("<f>SUM(\(manDaysColumn)2:\(manDaysColumn)\(rows - 1))</f>"))
            #expect(Self.cell("A\(rows)", in: sheet) != nil, "the totals row is labelled")
        }
    }
}

/// Spreadsheet column letters (1 → A, 27 → AA), for locating cells in the tests.
enum XLSXColumn {
    static func name(_ number: Int) -> String {
        var number = number
        var letters = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            number = (number - 1) / 26
        }
        return letters
    }
}
