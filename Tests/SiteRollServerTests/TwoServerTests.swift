import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// DESIGN.md, Scale: no state that matters lives in a process. Two SiteRoll applications, each
/// with its own pools and services, share one PostgreSQL database: a session opened on one is
/// honoured by the other, a lock-out counted on both holds on both, and the audit chain written
/// by both at once stays one unbroken chain (issue 2, item 7).
@Suite("Two servers, one PostgreSQL", .enabled(if: TestDatabase.isPostgres))
struct TwoServerTests {
    @Test("sessions, lock-out and the audit chain hold across two servers")
    func shared() async throws {
        let location = try await TestDatabase.fresh()
        let configuration = TestPlatform.configuration(location: location, demo: true)
        let first = try await makeServices(configuration, logger: TestDatabase.quietLogger)
        let second = try await makeServices(configuration, logger: TestDatabase.quietLogger)
        let appA = try await buildApplication(services: first, logger: TestDatabase.quietLogger)
        let appB = try await buildApplication(services: second, logger: TestDatabase.quietLogger)
        do {
            try await appA.test(.router) { a in
                try await appB.test(.router) { b in
                    // A session opened on A is a session on B.
                    let session = try await a.consoleLogin("gov", "cd_admin")
                    let (status, html) = try await b.page("/gov", as: session)
                    #expect(status == .ok)
                    #expect(html.contains("成都市住建局管理员"))

                    // Failures counted on both servers make the name wait on both (S1).
                    for client in [a, b, a, b, a] {
                        #expect(try await client.apiLoginStatus("fc_admin", password: "wrong") == 401)
                    }
                    #expect(try await b.apiLoginStatus("fc_admin", password: "Demo@2026") == 429)
                    #expect(try await a.apiLoginStatus("fc_admin", password: "Demo@2026") == 429)

                    // Both servers append to the chain at the same time.
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in 0..<16 {
                            let client: any TestClientProtocol = index.isMultiple(of: 2) ? a : b
                            let user = ["sc_admin", "cd_admin", "jj_inspector", "my_admin"][index % 4]
                            group.addTask { _ = try await client.apiToken(user) }
                        }
                        try await group.waitForAll()
                    }
                    let report = try await AuditVerifier().verify(on: second.database.database())
                    #expect(report.isIntact)
                    let events = try await AuditEventModel.query(on: second.database.database()).sort(\.$sequence).all()
                    #expect(events.map(\.sequence) == Array(1...Int64(events.count)))
                    #expect(events.filter { $0.action == "login.succeeded" }.count >= 17)
                }
            }
        } catch {
            await TestDatabase.drop(location)
            throw error
        }
        await TestDatabase.drop(location)
    }
}
