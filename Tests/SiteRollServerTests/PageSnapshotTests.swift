import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 13 item 1: every console and phone page, rendered on the demo (with its wage history) as
/// each audience on a fixed day, compared with the golden file under `Snapshots/`. The routes come
/// from the router and the ids from the demo (`RouteFuzzTests`), so a new page is snapshotted
/// without editing this test (its golden file is written on the first run and then reviewed).
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
    /// 2026-11-18, a Wednesday, 10:00 in Sichuan.
    static let day = Date(timeIntervalSince1970: 1_794_967_200)
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static var recording: Bool { ProcessInfo.processInfo.environment["SITEROLL_RECORD_SNAPSHOTS"] == "1" }

    @Test("every GET page of every audience matches its golden file")
    func pages() async throws {
        guard !TestDatabase.isPostgres else { return }
        let clock = ServerClock.Fixed(Self.day)
        let mismatches = try await ServerClock.$fixed.withValue(clock) {
            try await TestPlatform.run(configure: PayrollTests.withWageHistory) { client, platform in
                try await Self.compareAll(client, platform)
            }
        }
        #expect(mismatches.isEmpty, "pages differ from their snapshots:\n\(mismatches.joined(separator: "\n"))")
    }

    static let roles = [
        ("gov", "cd_admin"), ("corp", "sj_admin"), ("corp", "sj_labour"), ("corp", "jc_admin"), ("m", "worker_zhang"),
    ]

    static func compareAll(_ client: some TestClientProtocol, _ platform: TestPlatform) async throws -> [String] {
        let router = try buildRouter(platform.services)
        let routes = router.routes.filter { $0.method == .get }.map { $0.path.description }.sorted()
        let ids = try await RouteFuzzTests.realIDs(platform)
        var mismatches: [String] = []
        var seen: Set<String> = []
        for (audience, user) in roles {
            let session = try await client.consoleLogin(audience, user)
            for route in routes where route.hasPrefix("/\(audience)/") || route == "/\(audience)" {
                let path = RouteFuzzTests.fill(route, ids: ids, audience: audience)
                let (status, type, body) = try await client.execute(
                    uri: path, method: .get, headers: [.cookie: session.cookieHeader]
                ) { ($0.status, $0.headers[.contentType] ?? "", String(buffer: $0.body)) }
                guard type.hasPrefix("text/html") else { continue }
                let name = "\(user)" + Self.slug(route)
                guard seen.insert(name).inserted else { continue }
                let snapshot = "GET \(route) → \(status.code)\n" + Self.normalize(Self.essence(of: body))
                let file = Self.folder.appendingPathComponent(name + ".html")
                let golden = try? String(contentsOf: file, encoding: .utf8)
                if Self.recording || golden == nil {
                    try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                    try snapshot.write(to: file, atomically: true, encoding: .utf8)
                    if golden == nil, !Self.recording { mismatches.append("\(name): new snapshot written, review it") }
                } else if golden != snapshot {
                    try snapshot.write(
                        to: Self.folder.appendingPathComponent(name + ".actual.html"), atomically: true, encoding: .utf8
                    )
                    mismatches.append(name)
                }
            }
        }
        return mismatches
    }

    /// `/corp/projects/{id}/payrolls/{payroll}` → `-corp-projects-id-payrolls-payroll`.
    static func slug(_ route: String) -> String {
        route.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "/", with: "-")
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
                String(html[start.upperBound..<$0.lowerBound])
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
