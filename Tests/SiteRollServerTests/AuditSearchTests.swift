import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SiteRollServer

/// Issue 14 item 7 (S5): the audit search finds a person by part of a name or username, groups the
/// actions by subsystem, pages through everything within reach and exports what it found.
@Suite("Audit search: names, groups, pages, export")
struct AuditSearchTests {
    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test("part of a name or a username finds the person's events; pages and exports follow the filter")
    func search() async throws {
        try await TestPlatform.run { client, _ in
            let gov = try await client.consoleLogin("gov", "cd_admin")
            _ = try await client.consoleLogin("corp", "sj_admin")
            for needle in ["成都市住建", "cd_ad", "CD_AD"] {
                let (status, page) = try await client.page("/gov/audit?actor=\(Self.encoded(needle))", as: gov)
                #expect(status == .ok)
                #expect(page.contains("<td>cd_admin</td>"), "\(needle) finds cd_admin")
                #expect(!page.contains("<td>sj_admin</td>"), "\(needle) finds nobody else")
            }
            let (_, all) = try await client.page("/gov/audit", as: gov)
            #expect(all.contains("<optgroup label=\"工资\">") && all.contains("<optgroup label=\"考勤\">"))
            #expect(all.contains("<td>sj_admin</td>"), "the enterprise's sign-in is within the city's reach")
            #expect(all.contains("当前第 1–"))
            #expect(try await client.page("/gov/audit?page=0", as: gov).0 == .badRequest)
            let (_, far) = try await client.page("/gov/audit?page=9999", as: gov)
            #expect(!far.contains("<td>cd_admin</td>") && far.contains("id=\"audit-previous\""))
            try await client.execute(
                uri: "/gov/audit?actor=cd_ad&format=csv", method: .get, headers: [.cookie: gov.cookieHeader]
            ) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("\u{FEFF}序号,时间,操作人,操作"))
                #expect(text.contains("cd_admin") && !text.contains("sj_admin"))
            }
        }
    }
}
