import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer

/// Issue 14 item 4: a warning on a passed verification says what it means and who follows it up.
@Suite("Real name: a passed verification with a warning")
struct VerificationFollowUpTests {
    @Test("a worker over 60 passes; the page says the code is valid and the employer checks the health certificate")
    func olderWorker() async throws {
        try await TestPlatform.run { client, _ in
            let number = WorkerVerificationTests.number("510105", "19580412", "133")
            let fields = RealNamePageTests.form(
                number, birth: "1958-04-12", extra: ["mobile": "13900001111", "password": "Wu2026abc"])
            let (status, html) = try await PhoneRegistrationTests.register(client, fields)
            #expect(status == .ok, "\(html.prefix(600))")
            #expect(html.contains("实名核验通过") && html.contains("id=\"verification-warnings\""))
            #expect(html.contains("核验已通过，但有以下事项需要留意"))
            #expect(html.contains("不影响核验结果") && html.contains("用工单位办理进场时会逐项核对"))
        }
    }
}
