import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 13 item 1: every console and phone page, rendered on the demo (with its wage history) as
/// each audience on a fixed day (`DemoPageTour`), compared with the golden file under `Snapshots/`.
/// A new page is snapshotted without editing this test (its golden file is written on the first
/// run and then reviewed).
///
/// A snapshot is the page's title, its active navigation entry and its `<main>`: the layout around
/// them is the same on every page. Ids, tokens and verification codes are replaced by numbered
/// placeholders in order of appearance, so a page that links the same worker twice still shows it.
///
/// `SITEROLL_RECORD_SNAPSHOTS=1 swift test --filter PageSnapshotTests` rewrites the golden files;
/// review the diff before committing. A mismatch writes `<name>.actual.html` beside the golden file.
/// SQLite only: PostgreSQL orders rows that tie on every sort key differently, which the pages do
/// not promise.
@Suite("Pages: HTML snapshots on the demo", .serialized)
struct PageSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static var recording: Bool { ProcessInfo.processInfo.environment["SITEROLL_RECORD_SNAPSHOTS"] == "1" }

    @Test("every GET page of every audience matches its golden file")
    func pages() async throws {
        guard !TestDatabase.isPostgres else { return }
        var mismatches: [String] = []
        for page in try await DemoPageTour.pages() {
            if let mismatch = try Self.compare(page) { mismatches.append(mismatch) }
        }
        #expect(mismatches.isEmpty, "pages differ from their snapshots:\n\(mismatches.joined(separator: "\n"))")
    }

    /// Writes or compares the page's golden file; the page's name when it differs.
    static func compare(_ page: DemoPageTour.Page) throws -> String? {
        let snapshot = "GET \(page.route) → \(page.status.code)\n" + Self.normalize(Self.essence(of: page.html))
        let file = Self.folder.appendingPathComponent(page.name + ".html")
        let golden = try? String(contentsOf: file, encoding: .utf8)
        if Self.recording || golden == nil {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try snapshot.write(to: file, atomically: true, encoding: .utf8)
            return golden == nil && !Self.recording ? "\(page.name): new snapshot written, review it" : nil
        }
        guard golden != snapshot else { return nil }
        try snapshot.write(
            to: Self.folder.appendingPathComponent(page.name + ".actual.html"), atomically: true, encoding: .utf8
        )
        return page.name
    }

    /// Title, active navigation entry and `<main>`; the whole page when it has no layout.
    static func essence(of html: String) -> String {
        let title = html.range(of: "<title>").flatMap { start in
            html.range(of: "</title>", range: start.upperBound..<html.endIndex).map {
                String(html[start.upperBound..<$0.lowerBound])
            }
        }
        let active = html.range(of: #"class="active">"#).flatMap { start in
            html.range(of: "</a>", range: start.upperBound..<html.endIndex).map {
                // The phone's bottom bar draws an icon before the label: the label's text only.
                String(html[start.upperBound..<$0.lowerBound])
                    .replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            }
        }
        guard let main = html.range(of: "<main>"), let end = html.range(of: "</main>", options: .backwards) else {
            return html
        }
        return "title: \(title ?? "")\nnav: \(active ?? "")\n" + String(html[main.lowerBound..<end.upperBound])
    }

    static let volatile: [(name: String, pattern: String)] = [
        ("id", "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"),
        ("csrf", #"(?<=name="_csrf" value=")[^"]*|(?<=data-csrf=")[^"]*"#),
        ("code", #"\b[WE][23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}\b"#),
        ("payroll", #"\bGZ[0-9]{18}[0-9A-F]{4}\b"#),
        ("instruction", #"(?<=-01-)[0-9A-F]{6}\b"#),
        ("request", #"\bVR[0-9]{8}[0-9A-Z]{8}\b"#),
    ]

    /// Volatile values replaced by `⟨name-N⟩`, numbered by first appearance.
    static func normalize(_ text: String) -> String {
        var result = text
        for (name, pattern) in volatile {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            var numbers: [String: Int] = [:]
            let ns = result as NSString
            var output = ""
            var last = 0
            for match in regex.matches(in: result, range: NSRange(location: 0, length: ns.length)) {
                let value = ns.substring(with: match.range).lowercased()
                let number = numbers[value] ?? (numbers.count + 1)
                numbers[value] = number
                output += ns.substring(with: NSRange(location: last, length: match.range.location - last))
                output += "⟨\(name)-\(number)⟩"
                last = match.range.location + match.range.length
            }
            output += ns.substring(from: last)
            result = output
        }
        return result
    }
}
