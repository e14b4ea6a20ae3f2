import FluentKit
import Foundation
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// S4, issue 12 item 4: `siteroll serve --demo` killed while the demo loads came back serving a
/// demo with accounts but no projects (or no wages) as if it were whole, because the "loaded"
/// marker was written with the first part. The marker now says "loading" until every part is in.
@Suite("Demo: a load stopped half-way")
struct DemoLoadTests {
    @Test("a demo whose load was cut off is refused on the next start; a finished one is served")
    func interruptedLoad() async throws {
        // setup: the services `siteroll serve --demo` builds, on a fresh database with the schema
        let location = try await TestDatabase.fresh()
        let services = try await makeServices(
            TestPlatform.configuration(location: location, demo: true), logger: TestDatabase.quietLogger)
        do {
            try await services.database.migrate()
            let demo = DemoData(accounts: services.accounts, cipher: services.cipher)
            // act: the demo's own part loads, then the process stops before the rest and the mark
            guard case .seeded = try await demo.seedIfNeeded() else {
                Issue.record("a new database should take the demo")
                throw CancellationError()
            }
            // check: the next start refuses it with the reason, through the start-up work of `serve`
            await #expect(throws: DemoData.DemoIncomplete.self) { try await bootstrap(services) }
            let refusal = DemoData.DemoIncomplete().description
            #expect(refusal.contains("演示数据不完整") && refusal.contains("--data-dir"))
            // …and a load that finished is served on every later start
            try await demo.markComplete()
            let report = try await bootstrap(services)
            #expect(report.demoLogins.count == DemoData.logins.count)
        } catch {
            await services.database.shutdown()
            await TestDatabase.drop(location)
            throw error
        }
        await services.database.shutdown()
        await TestDatabase.drop(location)
    }

    @Test("a full start with --demo marks the demo complete")
    func completeLoad() async throws {
        try await TestPlatform.run { _, platform in
            let marker = try #require(try await SettingModel.find(DemoData.markerKey, on: platform.db))
            #expect(marker.value != DemoData.loadingValue)
        }
    }
}
