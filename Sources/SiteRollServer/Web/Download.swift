import Foundation
import Hummingbird
import SiteRollCore
import SiteRollSpreadsheets

/// A table a page offers as a spreadsheet: what the ledger, the attendance month sheet and the
/// wage ledger export, written through one path (.xlsx or UTF-8 CSV with BOM).
struct ExportTable: Sendable {
    var fileName: String
    var sheetName: String
    var header: [String]
    var rows: [[SheetCell]]
}

enum ExportFormat: String, Sendable, CaseIterable {
    case xlsx, csv

    /// `?format=xlsx|csv`; nil when absent (the page itself), 400 for anything else.
    static func requested(by query: RequestQuery) throws -> ExportFormat? {
        try query.choice("format", in: Set(allCases.map(\.rawValue)), label: "导出格式").flatMap(Self.init)
    }
}

/// File downloads (exports, templates).
enum Download {
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let csvType = "text/csv; charset=utf-8"

    static func export(_ table: ExportTable, as format: ExportFormat) -> Response {
        switch format {
        case .xlsx:
            response(
                SpreadsheetWriter.xlsx(sheetName: table.sheetName, header: table.header, rows: table.rows),
                fileName: "\(table.fileName).xlsx", type: xlsxType)
        case .csv:
            response(
                SpreadsheetWriter.csv(header: table.header, rows: table.rows), fileName: "\(table.fileName).csv",
                type: csvType)
        }
    }

    /// A sealed scan, shown in the browser (not saved), never cached.
    static func inline(_ file: SealedDocument.Opened) -> Response {
        let encoded = file.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "scan"
        return Response(
            status: .ok,
            headers: [
                .contentType: file.type, .cacheControl: "no-store",
                .contentDisposition: "inline; filename*=UTF-8''\(encoded)",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }

    static func response(_ data: Data, fileName: String, type: String) -> Response {
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "export"
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-store",
                .contentDisposition:
                    "attachment; filename=\"export\(fileName.hasSuffix(".csv") ? ".csv" : ".xlsx")\"; filename*=UTF-8''\(encoded)",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
