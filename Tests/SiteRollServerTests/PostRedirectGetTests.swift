import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 14 item 5 (E2, S1): every successful console form answers 303 See Other to the page that
/// shows the result, with a one-time notice; a refresh of that page shows the result, not the
/// notice again, and submits nothing. A refusal comes back as the form with its reasons.
@Suite("Post, redirect, get")
struct PostRedirectGetTests {
    /// POSTs without following, as the first half of what a browser does.
    static func rawPost(
        _ client: some TestClientProtocol, _ uri: String, _ form: [String: String], as session: ConsoleSession
    ) async throws -> (HTTPResponse.Status, String?, HTTPFields, String) {
        let csrf = try await client.csrf(of: "/\(session.audience)", as: session)
        let body = form.merging(["_csrf": csrf]) { $1 }.map { "\($0.key)=\($0.value.formEncoded)" }
            .joined(separator: "&")
        return try await client.execute(
            uri: uri, method: .post,
            headers: [.cookie: session.cookieHeader, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { ($0.status, $0.headers[.location], $0.headers, String(buffer: $0.body)) }
    }

    @Test("a team is created once: 303 to the tab, the notice shown once, a refresh re-reads and submits nothing")
    func teamOnce() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = ProjectTests.Fixture(db: platform.db)
            let project = try await fixture.project(ProjectTests.projectOne)
            let unit = try await fixture.unit(of: project, type: "006")
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let before = try await TeamModel.query(on: platform.db).count()
            let tab = "/corp/projects/\(project.id!)/teams"
            let (status, location, headers, _) = try await Self.rawPost(
                client, tab,
                ["unitID": unit.id!.uuidString, "name": "回迁班组", "entryDate": ProjectTests.today.description],
                as: corp)
            #expect(status == .seeOther)
            #expect(location == tab)
            #expect(headers[Flash.header] == nil, "the internal flash header never leaves the server")
            let (firstStatus, first) = try await client.page(tab, as: corp)
            #expect(firstStatus == .ok && first.contains(#"id="notice""#) && first.contains("班组“回迁班组”已建立"))
            let (_, refreshed) = try await client.page(tab, as: corp)
            #expect(!refreshed.contains(#"id="notice""#), "the notice is shown once")
            #expect(refreshed.contains("回迁班组"), "the result is on the page itself")
            #expect(try await TeamModel.query(on: platform.db).count() == before + 1)
        }
    }

    @Test("a refused form is not redirected: the tab with the reasons and the status of the refusal")
    func refusalStays() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = ProjectTests.Fixture(db: platform.db)
            let project = try await fixture.project(ProjectTests.projectOne)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (status, location, _, page) = try await Self.rawPost(
                client, "/corp/projects/\(project.id!)/teams", ["unitID": "", "name": ""], as: corp)
            #expect(status.code >= 400 && status.code < 500)
            #expect(location == nil)
            #expect(page.contains(#"class="alert"#) && !page.contains(#"id="notice""#))
        }
    }

    @Test("a device's secret is shown once after the redirect, sealed while it waits, gone on refresh")
    func secretOnce() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = ProjectTests.Fixture(db: platform.db)
            let project = try await fixture.project(ProjectTests.projectOne)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (status, location, _, _) = try await Self.rawPost(
                client, "/corp/projects/\(project.id!)/attendance/devices", ["name": "北门闸机", "kind": "turnstile"],
                as: corp)
            #expect(status == .seeOther && location == "/corp/projects/\(project.id!)/attendance/review")
            let waiting = try await SessionModel.query(on: platform.db).filter(\.$flash != nil).all()
            #expect(waiting.count == 1)
            let (_, page) = try await client.page(try #require(location), as: corp)
            let secret = try #require(
                page.range(of: #"id="device-secret">"#).map { String(page[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(secret.count >= 16)
            #expect(waiting.allSatisfy { $0.flash?.contains(secret) == false }, "stored sealed, not in clear")
            let (_, again) = try await client.page(try #require(location), as: corp)
            #expect(!again.contains(secret))
            #expect(try await SessionModel.query(on: platform.db).filter(\.$flash != nil).count() == 0)
        }
    }

    @Test("a worker founds a team on the phone: 303 to 我的班组 with the notice once")
    func phoneTeam() async throws {
        try await TestPlatform.run { client, _ in
            let worker = try await client.consoleLogin("m", "worker_zhang")
            let (status, location, _, _) = try await Self.rawPost(client, "/m/teams", ["name": "张师傅班组"], as: worker)
            #expect(status == .seeOther && location == "/m/teams")
            let (_, after) = try await client.page("/m/teams", as: worker)
            #expect(after.contains(#"id="notice""#) && after.contains("班组“张师傅班组”已创建"))
        }
    }
}
