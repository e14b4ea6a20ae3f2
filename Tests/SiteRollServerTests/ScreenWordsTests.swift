import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SiteRollServer

/// Issue 14 item 6: the words people read are Simplified Chinese. Every GET page of every audience
/// on the demo (`DemoPageTour`) and every public page is reduced to the text a person reads (no
/// tags, attributes, scripts or styles), and must hold no requirement or rule IDs (E4, WW-06, R2,
/// [I]), no English words outside `allowed`, and no internal code except in the one muted line
/// `错误代码：CODE` that support asks for.
@Suite("Pages: the words people read", .serialized)
struct ScreenWordsTests {
    /// English a Chinese reader meets as it is, kept short: file types and size units printed on the
    /// file itself and in the upload dialogs (PDF, JPG, PNG, CSV, xlsx, xls, KB, MB), the
    /// spreadsheet programs by their names (Excel, WPS), the text encoding exactly as Excel's
    /// "CSV UTF-8" save option names it, the WGS-84 coordinate system the fence must be drawn in,
    /// the browser setting by the name the browser's own settings page gives it (JavaScript), the
    /// platform's own name (SiteRoll), and the national interface's credential field names a
    /// vendor types into its system exactly so (appid, appsecret).
    static let allowed: Set<String> = [
        "pdf", "jpg", "jpeg", "png", "csv", "xlsx", "xls", "kb", "mb", "excel", "wps", "utf", "wgs", "javascript",
        "siteroll", "appid", "appsecret",
    ]

    @Test("no requirement IDs, English words or internal codes on any console or phone page")
    func consolePages() async throws {
        guard !TestDatabase.isPostgres else { return }
        var faults: [String] = []
        for page in try await DemoPageTour.pages() {
            faults += try Self.faults(in: Self.readableText(page.html)).map { "\(page.name): \($0)" }
        }
        #expect(faults.isEmpty, "words people should not read:\n\(faults.joined(separator: "\n"))")
    }

    /// Sign-in, registration and the other pages without a session. `/docs` is left out: it documents
    /// `/api/v1` for the developers of connected systems, whose names are English by contract.
    @Test("no requirement IDs, English words or internal codes on public pages")
    func publicPages() async throws {
        let faults = try await TestPlatform.run { client, platform in
            let router = try buildRouter(platform.services)
            let routes = router.routes.filter { $0.method == .get }.map { $0.path.description }
                .filter { !$0.contains("{") && !$0.contains(":") && !$0.hasPrefix("/api") && $0 != "/docs" }
            var faults: [String] = []
            for route in Set(routes).sorted() {
                let (type, body) = try await client.execute(uri: route, method: .get) {
                    ($0.headers[.contentType] ?? "", String(buffer: $0.body))
                }
                guard type.hasPrefix("text/html") else { continue }
                faults += try Self.faults(in: Self.readableText(body)).map { "\(route): \($0)" }
            }
            return faults
        }
        #expect(faults.isEmpty, "words people should not read:\n\(faults.joined(separator: "\n"))")
    }

    @Test(
        "the checker finds what it is for",
        arguments: [
            ("本项目尚未登记工资代发协议（E4）。", ["requirement ID E4"]),
            ("WW-06 未按规定开设专户", ["requirement ID WW-06"]),
            ("依据 R2 办理", ["requirement ID R2"]),
            ("[I] 建市〔2019〕18号", ["requirement ID [I]"]),
            ("代发失败：卡号有误（WRONG_CARD）", ["internal code WRONG_CARD"]),
            ("错误码：NOT_FOUND", ["internal code NOT_FOUND", "error code not in the form 错误代码：CODE"]),
            ("请先 submit 工资表", ["English word submit"]),
        ]
    )
    func checker(text: String, faults: [String]) throws {
        #expect(try Self.faults(in: text) == faults)
    }

    @Test(
        "the checker lets readable text pass",
        arguments: [
            "找不到该页面。\n错误代码：NOT_FOUND", "打印时请选择 A3 纸张", "导入 Excel（.xlsx）或 CSV（UTF-8）文件",
            "操作人 sj_labour", "流水号 SIMTX2026091000000002", "统一社会信用代码 91510104MA61XTB21P",
            "设备调用 /api/v1/auth/token 换取令牌", "实名核验码 W3K7PQ2M9XT", "实名核验码 WXYPSNAUBXF",
            "代发指令 GZ-2026-09-01-BEDACF",
        ]
    )
    func checkerPasses(text: String) throws {
        #expect(try Self.faults(in: text).isEmpty)
    }

    /// The text of `<title>` and `<body>` as a person reads it: scripts, styles and tags (with their
    /// attributes) removed, the common entities decoded, one line per block.
    static func readableText(_ html: String) -> String {
        var text = html
        for (pattern, replacement) in [
            (#"(?is)<(script|style)\b.*?</\1>"#, " "), (#"(?s)<!--.*?-->"#, " "),
            (#"(?i)</?(p|div|li|tr|h[1-6]|dt|dd|section|header|footer|label|option|br)\b[^>]*>"#, "\n"),
            (#"<[^>]*>"#, " "),
        ] {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    /// A requirement or rule ID standing alone: `E4`, `WW-06`, `R2`, `M8`, and citation marks `[I]`.
    /// Paper sizes (`A3 纸`) are not IDs.
    static let requirementID = #"(?<![A-Za-z0-9_.\-])[A-Z]{1,2}-?[0-9]{1,2}(?![A-Za-z0-9_\-])(?!\s?纸)|\[[A-Z]{1,2}\]"#
    /// An internal code: upper-case words joined by underscores (`ENTRY_NO_CONTRACT`).
    static let internalCode = #"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"#
    /// The one place an internal code may stand.
    static let supportLine = #"错误代码：[A-Z][A-Z0-9_]*"#
    /// A word of three or more ASCII letters; a token joined to digits, underscores, dots or dashes
    /// is data (a username, a bank's serial number, a credit code, a file name's extension, a payment
    /// instruction's number), not a word.
    static let englishWord = #"(?<![A-Za-z0-9_.\-])[A-Za-z]{3,}(?![A-Za-z0-9_])"#
    /// Addresses and values to type or quote rather than words to read: a path (`/api/v1/auth/token`)
    /// and a verification code (`W` or `E` and ten letters or digits without look-alikes).
    static let data = #"(?<![A-Za-z0-9_])/[A-Za-z0-9_\-./]+|\b[WE][23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}\b"#

    /// Each fault once, in order of first appearance.
    static func faults(in text: String) throws -> [String] {
        var faults: [String] = []
        func note(_ fault: String) { if !faults.contains(fault) { faults.append(fault) } }
        let withoutSupport = try Self.replacing(Self.supportLine, in: text)
        for match in try Self.matches(Self.requirementID, in: withoutSupport) { note("requirement ID \(match)") }
        for match in try Self.matches(Self.internalCode, in: withoutSupport) { note("internal code \(match)") }
        for form in ["错误码", "错误代码"] where withoutSupport.contains(form) {
            note("error code not in the form 错误代码：CODE")
        }
        let words = try Self.replacing(Self.data, in: withoutSupport)
        for match in try Self.matches(Self.englishWord, in: words) where !Self.allowed.contains(match.lowercased()) {
            note("English word \(match)")
        }
        return faults
    }

    static func matches(_ pattern: String, in text: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            ns.substring(with: $0.range)
        }
    }

    static func replacing(_ pattern: String, in text: String) throws -> String {
        try NSRegularExpression(pattern: pattern).stringByReplacingMatches(
            in: text, range: NSRange(location: 0, length: (text as NSString).length), withTemplate: " "
        )
    }
}
