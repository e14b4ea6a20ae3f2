import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SiteRollCore

@testable import SiteRollServer

/// Every GET page of every audience on the demo (with its wage history), as each demo user on a
/// fixed day: the tour `PageSnapshotTests` compares with golden files and `ScreenWordsTests`
/// reads for words people should not see. The routes come from the router and the ids from the
/// demo (`RouteFuzzTests`), so a new page joins both tests without editing them.
enum DemoPageTour {
    /// One HTML page as one user saw it.
    struct Page {
        /// `cd_admin-gov-projects-id`: the user and the route, the snapshot's file name.
        var name: String
        var route: String
        var status: HTTPResponse.Status
        var html: String
    }

    /// 2026-11-18, a Wednesday, 10:00 in Sichuan.
    static let day = Date(timeIntervalSince1970: 1_794_967_200)

    static let roles = [
        ("gov", "cd_admin"), ("corp", "sj_admin"), ("corp", "sj_labour"), ("corp", "jc_admin"), ("m", "worker_zhang"),
    ]

    /// Boots the demo on `day` and returns each HTML page once, in a stable order.
    static func pages() async throws -> [Page] {
        let clock = ServerClock.Fixed(Self.day)
        return try await ServerClock.$fixed.withValue(clock) {
            try await TestPlatform.run(configure: PayrollTests.withWageHistory) { client, platform in
                try await Self.walk(client, platform)
            }
        }
    }

    static func walk(_ client: some TestClientProtocol, _ platform: TestPlatform) async throws -> [Page] {
        let router = try buildRouter(platform.services)
        let routes = router.routes.filter { $0.method == .get }.map { $0.path.description }.sorted()
        let ids = try await RouteFuzzTests.realIDs(platform)
        var pages: [Page] = []
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
                pages.append(Page(name: name, route: route, status: status, html: body))
            }
        }
        return pages
    }

    /// `/corp/projects/{id}/payrolls/{payroll}` → `-corp-projects-id-payrolls-payroll`.
    static func slug(_ route: String) -> String {
        route.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "/", with: "-")
    }
}
