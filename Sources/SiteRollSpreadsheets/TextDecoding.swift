import Foundation

/// Turns the bytes of an uploaded text table into a string. Excel on a Chinese Windows saves "CSV (逗号分隔)"
/// in the ANSI code page, GBK (a subset of GB 18030); "CSV UTF-8" with a BOM; "Unicode 文本" as UTF-16LE
/// with a BOM. WPS and most systems write UTF-8.
enum TextDecoding {
    /// GB 18030, a superset of GBK and GB 2312. `String.Encoding` has no named case for it; this raw value is
    /// `CFStringConvertEncodingToNSStringEncoding(kCFStringEncodingGB_18030_2000)`, which Foundation
    /// understands on Linux as on Apple platforms (CoreFoundation itself cannot be imported on Linux).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static func decode(_ bytes: [UInt8]) throws(SpreadsheetError) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(validating: bytes.dropFirst(3), as: UTF8.self) else { throw .encoding }
            return text
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let encoding: String.Encoding = bytes[0] == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            guard let text = String(data: Data(bytes.dropFirst(2)), encoding: encoding) else { throw .encoding }
            return text
        }
        // A text table has no NUL bytes; this is some binary file that is not a spreadsheet.
        guard !bytes.contains(0) else { throw .notSpreadsheet }
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        // Not UTF-8: almost always GBK from Excel. A rare-character name (䶮) needs GB 18030's four-byte forms.
        if let text = String(data: Data(bytes), encoding: gb18030) {
            return text
        }
        throw .encoding
    }
}
