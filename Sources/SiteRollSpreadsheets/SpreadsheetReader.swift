import Foundation

/// Reads a roster table from an uploaded file: the first worksheet of an .xlsx workbook, or a CSV or
/// tab-separated text file. The format is told from the content, not the file name, because names lie:
/// systems export HTML named ".xls", and people rename files to get past an upload form.
public enum SpreadsheetReader {
    /// All rows, header included, each cell trimmed. Empty rows inside the table are `[]`; rows after the last
    /// one with text are dropped; a row ends at its last non-empty cell, so callers pad short rows.
    ///
    /// - Parameter fileName: The name the file was uploaded under. Never decides how the file is read; it
    ///   only makes the message for unreadable bytes fit what the user thinks they uploaded.
    public static func rows(from data: Data, fileName: String? = nil) throws(SpreadsheetError) -> [[String]] {
        try rows(from: data, fileName: fileName, limits: .standard)
    }

    /// The same with other limits than `SpreadsheetLimits.standard`.
    public static func rows(
        from data: Data, fileName: String?, limits: SpreadsheetLimits
    ) throws(SpreadsheetError) -> [[String]] {
        guard data.count <= limits.maximumFileSize else { throw .fileTooLarge(limit: limits.maximumFileSize) }
        let bytes = [UInt8](data)
        let rows: [[String]]
        switch FileKind(sniffing: bytes) {
        case .zip:
            rows = try XLSXReader.rows(from: bytes, limits: limits)
        case .compoundDocument:
            throw bytes.containsUTF16("EncryptedPackage") ? .encrypted : .legacyExcel
        case .markup:
            throw .disguisedSpreadsheet
        case .otherBinary:
            throw .notSpreadsheet
        case .text:
            let text: String
            do {
                text = try TextDecoding.decode(bytes)
            } catch {
                // Undecodable bytes under a workbook's name are a damaged workbook, not a CSV in a strange
                // encoding: advice about saving as "CSV UTF-8" would only confuse.
                throw hasWorkbookExtension(fileName) ? .damagedWorkbook : error
            }
            rows = try DelimitedTextReader.rows(from: text, limits: limits)
        }
        guard !rows.isEmpty else { throw .empty }
        return rows
    }

    private static func hasWorkbookExtension(_ fileName: String?) -> Bool {
        guard let fileName, let dot = fileName.lastIndex(of: ".") else { return false }
        return [".xlsx", ".xls", ".xlsm", ".et"].contains(fileName[dot...].lowercased())
    }
}

/// What the first bytes of an upload say it is.
enum FileKind: Equatable {
    /// `PK\3\4`: a ZIP archive, as every .xlsx is.
    case zip
    /// `D0 CF 11 E0`: an OLE2 compound document: an old binary .xls (Excel 97–2003), or any Office file
    /// encrypted with a password to open, .xlsx included.
    case compoundDocument
    /// An HTML table or Excel 2003 XML, typically named ".xls" by the system that exported it.
    case markup
    /// A picture, PDF or archive that is no table at all.
    case otherBinary
    case text

    init(sniffing bytes: [UInt8]) {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            self = .zip
        } else if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            self = .compoundDocument
        } else if Self.binarySignatures.contains(where: { bytes.starts(with: $0) }) {
            self = .otherBinary
        } else if Self.isMarkup(bytes) {
            self = .markup
        } else {
            self = .text
        }
    }

    /// PDF, PNG, JPEG, GIF, RAR, 7z, gzip, and the ZIP of an empty or spanned archive.
    private static let binarySignatures: [[UInt8]] = [
        Array("%PDF".utf8), [0x89, 0x50, 0x4E, 0x47], [0xFF, 0xD8, 0xFF], Array("GIF8".utf8), Array("Rar!".utf8),
        [0x37, 0x7A, 0xBC, 0xAF], [0x1F, 0x8B], [0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x07, 0x08],
    ]

    private static func isMarkup(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        let start = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        guard start.hasPrefix("<") else { return false }
        return ["<html", "<!doctype html", "<table", "<?xml", "<meta"].contains { start.hasPrefix($0) }
            || head.contains("urn:schemas-microsoft-com:office:spreadsheet")
    }
}

extension [UInt8] {
    /// Whether the UTF-16LE form of an ASCII `name` occurs, as stream names do in an OLE2 directory.
    func containsUTF16(_ name: String) -> Bool {
        var pattern: [UInt8] = []
        for byte in name.utf8 { pattern += [byte, 0] }
        guard count >= pattern.count else { return false }
        let first = pattern[0]
        for start in 0...(count - pattern.count) where self[start] == first {
            if self[start..<start + pattern.count].elementsEqual(pattern) { return true }
        }
        return false
    }
}
