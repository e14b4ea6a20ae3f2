import ArgumentParser
import Foundation
import SiteRollClient

/// `siteroll conformance` (issue 15 item 6): runs `Conformance` against a platform and prints each
/// step as it is decided; exit 0 only when every step passed.
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract:
            "Run the national-interface conformance sequence against a SiteRoll or national-compatible platform.")

    @Option(help: "The platform's /open.api URL (a base URL without a path gets /open.api).")
    var url: String

    @Option(help: "The appid (on SiteRoll: the project code; `serve --demo` prints the demo's).")
    var appid: String

    @Option(help: "The appsecret that goes with the appid.")
    var secret: String

    @Option(help: "Seconds to wait for each asynchronous result.")
    var pollTimeout: Double = 30

    @Option(help: "The project's dedicated wage account number, paying account of Payroll.Add (default: made up).")
    var payAccount: String?

    @Option(help: "Bank code (c.20) of the dedicated wage account.")
    var payBankCode = "102"

    @Option(help: "Branch name of the dedicated wage account.")
    var payBankName = "中国工商银行成都锦江支行"

    func run() async throws {
        let endpoint = Self.endpoint(url)
        print("国家接口一致性检查：\(endpoint)  appid \(appid)")
        fflush(nil)
        var options = Conformance.Options()
        options.pollTimeout = max(1, pollTimeout)
        options.payAccount = payAccount.map { ($0, payBankCode, payBankName) }
        let conformance = Conformance(
            client: NationalClient(url: endpoint, appID: appid, secret: secret), options: options)
        let report = await conformance.run { step in
            print(step.line)
            fflush(nil)
        }
        print(report.summary)
        if !report.allPassed { throw ExitCode(1) }
    }

    /// `http://host:8080` → `http://host:8080/open.api`; a URL with a path is used as it is.
    static func endpoint(_ url: String) -> String {
        guard let components = URLComponents(string: url), components.path.isEmpty || components.path == "/" else {
            return url
        }
        return url.hasSuffix("/") ? url + "open.api" : url + "/open.api"
    }
}
