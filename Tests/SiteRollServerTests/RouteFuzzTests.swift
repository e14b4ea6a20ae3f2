import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Synchronization
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 12 item 2 (S1): every route of the router, as every audience, with real ids from the demo
/// and hostile ones, every query parameter the page reads (learnt by asking the page) and a fixed
/// list, every form field a handler reads with out-of-range values, with a valid CSRF token.
///
/// The route table comes from the router itself, and the parameters and fields from what the
/// handlers read (`RequestFieldLog`), so a new route or field is covered without editing this test.
/// Asserts: no 5xx anywhere, a refusal says what was wrong in Chinese, the server still answers,
/// and afterwards every page that reads what was stored still renders.
@Suite("Reliability: every route with hostile input", .serialized)
struct RouteFuzzTests {
    static let hostileQuery = [
        "0-01", "12345-01", "2026-13", "-1", "9223372036854775808", "", String(repeating: "年", count: 5000), "\u{0}",
        #"'"><script>alert(1)</script>"#, "２０２６-０１", "2026-02-30", "9999-12-31",
    ]
    static let hostileForm = [
        "0001-01-01", "9999-12-31", "nan", "inf", "1e308", "-20000000:00", "-1", "9223372036854775808",
        String(repeating: "工", count: 5000), #"'"><script>alert(1)</script>"#, "\u{0}", "１２３",
    ]
    static let hostileIDs = [
        UUID().uuidString, "abc", "-1", "9223372036854775808", String(repeating: "a", count: 5000), "%00",
        "%27%22%3E%3Cscript%3E", "%EF%BC%91",
    ]
    static let fixedQueryNames = ["month", "date", "day", "from", "to", "page", "q", "status"]

    /// What one run covered, for docs/RELIABILITY.md.
    final class Tally: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        private let problems = Mutex<[String]>([])
        func count(_ key: String) { counts.withLock { $0[key, default: 0] += 1 } }
        func fail(_ text: String) { problems.withLock { if $0.count < 50 { $0.append(text) } } }
        var summary: [String: Int] { counts.withLock { $0 } }
        var failures: [String] { problems.withLock { $0 } }
    }

    struct Role {
        var audience: String
        var username: String
    }

    @Test("S1: no route, role, id, query parameter or form field value gets a 5xx or stops the server")
    func everyRoute() async throws {
        try await TestPlatform.run(configure: PayrollTests.withWageHistory) { client, platform in
            let router = try buildRouter(platform.services)
            let routes = router.routes.map { (method: $0.method, path: $0.path.description) }
            let ids = try await Self.realIDs(platform)
            let tally = Tally()
            var forms: [String: [String: String]] = [:]
            // Enterprise roles first: a regulator's hostile POSTs may suspend enterprises or accounts.
            let roles = [
                Role(audience: "corp", username: "sj_labour"), Role(audience: "corp", username: "sj_admin"),
                Role(audience: "m", username: "worker_zhang"), Role(audience: "gov", username: "cd_admin"),
            ]
            for role in roles {
                var session = try await client.consoleLogin(role.audience, role.username)
                // The CSRF token belongs to the session: read once, again after a new sign-in.
                var csrf = try await client.csrf(of: "/\(role.audience)/password", as: session)
                let mine = routes.filter { $0.path.hasPrefix("/\(role.audience)/") || $0.path == "/\(role.audience)" }
                // GET: real ids with every query parameter the page reads, then hostile ids.
                for route in mine where route.method == .get {
                    let path = Self.fill(route.path, ids: ids, audience: role.audience)
                    let recorder = RequestFieldLog.Recorder()
                    let (status, body) = try await RequestFieldLog.$current.withValue(recorder) {
                        try await client.page(path, as: session)
                    }
                    Self.check(status, body, "GET \(path)", tally)
                    if status == .seeOther, body.isEmpty, try await Self.signedOut(client, session) {
                        session = try await client.consoleLogin(role.audience, role.username)
                        csrf = try await client.csrf(of: "/\(role.audience)/password", as: session)
                    }
                    for (action, fields) in Self.forms(in: body) { forms[action] = fields }
                    let read = recorder.read.subtracting(["_csrf"])
                    for name in read.sorted() {
                        for value in Self.hostileQuery {
                            let uri = path + "?" + name + "=" + value.formEncoded
                            let (status, body) = try await client.page(uri, as: session)
                            Self.check(status, body, "GET \(path)?\(name)=…", tally)
                        }
                    }
                    for value in Self.hostileQuery.prefix(6) {
                        let query = Self.fixedQueryNames.map { "\($0)=\(value.formEncoded)" }.joined(separator: "&")
                        let (status, body) = try await client.page(path + "?" + query, as: session)
                        Self.check(status, body, "GET \(path)?fixed=…", tally)
                    }
                    for hostile in Self.variants(of: route.path, ids: ids, audience: role.audience) {
                        let (status, body) = try await client.page(hostile, as: session)
                        Self.check(status, body, "GET \(hostile.prefix(120))", tally)
                    }
                }
                // POST: empty, garbled, then each field read with each out-of-range value, the other
                // fields as the page's own form fills them.
                for route in mine where route.method == .post && !route.path.hasSuffix("/logout") {
                    let path = Self.fill(route.path, ids: ids, audience: role.audience)
                    let recorder = RequestFieldLog.Recorder()
                    let (status, body) = try await RequestFieldLog.$current.withValue(recorder) {
                        try await client.post(path, form: ["_csrf": csrf], as: session)
                    }
                    Self.check(status, body, "POST \(path) (empty)", tally)
                    let garbled = try await client.execute(
                        uri: path, method: .post,
                        headers: [.cookie: session.cookieHeader, .contentType: "multipart/form-data; boundary=x"],
                        body: ByteBuffer(bytes: (0..<512).map { _ in UInt8.random(in: 0...255) })
                    ) { ($0.status, String(buffer: $0.body)) }
                    Self.check(garbled.0, garbled.1, "POST \(path) (garbled)", tally)
                    let baseline = forms[path] ?? [:]
                    let fields = recorder.read.union(baseline.keys).subtracting(["_csrf"])
                    for field in fields.sorted() {
                        for value in Self.hostileForm {
                            var form = baseline
                            form[field] = value
                            form["_csrf"] = csrf
                            let (status, body) = try await client.post(path, form: form, as: session)
                            Self.check(status, body, "POST \(path) \(field)=\(value.prefix(20))", tally)
                            if status == .seeOther || status == .found, try await Self.signedOut(client, session) {
                                session = try await client.consoleLogin(role.audience, role.username)
                                csrf = try await client.csrf(of: "/\(role.audience)/password", as: session)
                            }
                        }
                    }
                }
                try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            }
            // Without a session: every route, GET and POST, answers without a 5xx.
            for route in routes {
                let path = Self.fill(route.path, ids: ids, audience: "")
                let status = try await client.execute(uri: path, method: route.method) { $0.status }
                #expect(status.code < 500, "anonymous \(route.method) \(path): \(status)")
                tally.count("anonymous")
            }
            // Afterwards every page that reads what the run stored still renders.
            for role in roles {
                let session = try await client.consoleLogin(role.audience, role.username)
                guard session.cookie != nil else { continue }  // suspended by a regulator's POST above
                for route in routes where route.method == .get && route.path.hasPrefix("/\(role.audience)/") {
                    let path = Self.fill(route.path, ids: ids, audience: role.audience)
                    let (status, body) = try await client.page(path, as: session)
                    Self.check(status, body, "after: GET \(path)", tally)
                }
            }
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            for failure in tally.failures { Issue.record("\(failure)") }
            print("route fuzz: \(routes.count) routes; requests by kind: \(tally.summary.sorted { $0.key < $1.key })")
        }
    }

    // MARK: Checks

    static func check(_ status: HTTPResponse.Status, _ body: String, _ what: String, _ tally: Tally) {
        tally.count(status.code >= 500 ? "5xx" : "\(status.code / 100)xx")
        tally.count("\(what.prefix(4)) \(status.code)")
        if status.code >= 500 {
            tally.fail("\(what): \(status) \(body.prefix(300))")
        } else if [400, 404, 409, 413, 422].contains(status.code), !body.isEmpty {
            // A refusal says what was wrong in Chinese.
            if !body.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) {
                tally.fail("\(what): \(status) without a Chinese message: \(body.prefix(200))")
            }
        }
    }

    /// Whether the session was ended (a logout, or a password change that revoked it).
    static func signedOut(_ client: some TestClientProtocol, _ session: ConsoleSession) async throws -> Bool {
        let (status, _) = try await client.page("/\(session.audience)", as: session)
        return status == .seeOther || status == .found
    }

    // MARK: Ids

    /// Real ids from the demo's first project, by the capture's name and the segment before it.
    static func realIDs(_ platform: TestPlatform) async throws -> [String: String] {
        let db = platform.db
        let project = try await ProjectTests.Fixture(db: db).project(ProjectTests.projectOne)
        let pid = try #require(project.id)
        var ids: [String: String] = ["projects": pid.uuidString]
        func put(_ key: String, _ id: UUID?) { if let id { ids[key] = id.uuidString } }
        put(
            "units",
            try await ProjectUnitModel.query(on: db).filter(\.$projectID == pid).filter(\.$participationType == "006")
                .first()?.id)
        put("teams", try await TeamModel.query(on: db).filter(\.$projectID == pid).first()?.id)
        put(
            "entries",
            try await ProjectWorkerModel.query(on: db).filter(\.$projectID == pid).filter(\.$status == "active")
                .first()?.id)
        put("contracts", try await LabourContractModel.query(on: db).filter(\.$projectID == pid).first()?.id)
        let payroll = try await PayrollModel.query(on: db).filter(\.$projectID == pid).filter(\.$status != "draft")
            .first()
        put("payrolls", payroll?.id)
        if let payrollID = payroll?.id {
            put("lines", try await PayrollLineModel.query(on: db).filter(\.$payrollID == payrollID).first()?.id)
            put("payments", try await WagePaymentBatchModel.query(on: db).filter(\.$payrollID == payrollID).first()?.id)
        }
        put("punches", try await AttendancePunchModel.query(on: db).filter(\.$projectID == pid).first()?.id)
        put("requests", try await ManualPunchRequestModel.query(on: db).filter(\.$projectID == pid).first()?.id)
        put("bindings", try await WorkerPhoneDeviceModel.query(on: db).first()?.id)
        put("agreements", try await WageAgencyAgreementModel.query(on: db).filter(\.$projectID == pid).first()?.id)
        put("warnings", try await WageWarningModel.query(on: db).first()?.id)
        put("restrictions", try await RestrictionModel.query(on: db).first()?.id)
        // Accounts and enterprises nobody in this run signs in with (a regulator's POST may stop them).
        put("accounts", try await AccountModel.query(on: db).filter(\.$username == "my_admin").first()?.id)
        let other = try await AccountModel.query(on: db).filter(\.$username == "fc_admin").first()
        put("enterprises", other?.$enterprise.id)
        // The demo's pending access application (锦城劳务) and the project's national app.
        put(
            "applications",
            try await NationalAccessApplicationModel.query(on: db).filter(\.$status == "pending").first()?.id)
        put(
            "apps",
            try await AppCredentialModel.query(on: db).filter(\.$appID == project.code).filter(\.$kind == "national")
                .first()?.id)
        let zhang = try await AccountModel.query(on: db).filter(\.$username == "worker_zhang").first()
        put("workers", zhang?.$worker.id)
        if let worker = zhang?.$worker.id {
            put("m-lines", try await PayrollLineModel.query(on: db).filter(\.$workerID == worker).first()?.id)
            put("m-teams", try await TeamModel.query(on: db).filter(\.$leaderWorkerID == worker).first()?.id)
        }
        return ids
    }

    /// The route with each capture replaced by a real id: the capture's own name (`:payroll` →
    /// payrolls) or, for `:id`, the segment before it (`/gov/workers/:id` → workers).
    static func fill(_ pattern: String, ids: [String: String], audience: String) -> String {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var filled: [String] = []
        for (index, part) in parts.enumerated() {
            guard part.hasPrefix(":") || part.hasPrefix("{") else {
                filled.append(part)
                continue
            }
            let name = part.trimmingCharacters(in: CharacterSet(charactersIn: ":{}"))
            let previous = index > 0 ? parts[index - 1] : ""
            let plural = name == "id" ? previous : name.hasSuffix("y") ? String(name.dropLast()) + "ies" : name + "s"
            let key =
                switch plural {
                case "batchs": "payments"
                case "entrys": "entries"
                case "punchs": "punches"
                case "bindings", "binding": "bindings"
                default: plural
                }
            let audienceKey = "\(audience)-\(key)"
            if ids[audienceKey] == nil, ids[key] == nil { print("route fuzz: no real id for \(part) in \(pattern)") }
            filled.append(ids[audienceKey] ?? ids[key] ?? UUID().uuidString)
        }
        return filled.joined(separator: "/")
    }

    /// The route with one capture at a time replaced by each hostile value.
    static func variants(of pattern: String, ids: [String: String], audience: String) -> [String] {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var paths: [String] = []
        for (index, part) in parts.enumerated() where part.hasPrefix(":") || part.hasPrefix("{") {
            for value in hostileIDs {
                var copy = parts
                copy[index] = value
                paths.append(fill(copy.joined(separator: "/"), ids: ids, audience: audience))
            }
        }
        return paths
    }

    // MARK: Forms

    /// Each POST form of a page: its action and the values the page itself fills in, with empty
    /// fields given a plausible value by their type, as a person would fill them.
    static func forms(in html: String) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for form in matches(#"<form[^>]*method="post"[^>]*>([\s\S]*?)</form>"#, in: html) {
            guard let action = attribute("action", in: form.opening) else { continue }
            var fields: [String: String] = [:]
            for input in matches(#"<input[^>]*>"#, in: form.body).map(\.opening) {
                guard let name = attribute("name", in: input) else { continue }
                let type = attribute("type", in: input) ?? "text"
                if type == "file" || type == "submit" { continue }
                let value = attribute("value", in: input) ?? ""
                fields[name] = value.isEmpty ? plausible(type: type, name: name) : value
            }
            for select in matches(#"<select[^>]*>([\s\S]*?)</select>"#, in: form.body) {
                guard let name = attribute("name", in: select.opening) else { continue }
                let options = matches(#"<option[^>]*>"#, in: select.body).compactMap {
                    attribute("value", in: $0.opening)
                }
                fields[name] = options.first { !$0.isEmpty } ?? ""
            }
            for area in matches(#"<textarea[^>]*>([\s\S]*?)</textarea>"#, in: form.body) {
                guard let name = attribute("name", in: area.opening) else { continue }
                fields[name] = area.body.isEmpty ? "测试说明" : area.body
            }
            result[action] = fields
        }
        return result
    }

    static func plausible(type: String, name: String) -> String {
        switch type {
        case "date": ProjectService.today().description
        case "month": PayMonth(containing: ProjectService.today()).description
        case "time": "08:00"
        case "number": "1"
        case "tel": "13800138000"
        case "password": "Passw0rd1"
        default: name.lowercased().contains("date") ? ProjectService.today().description : "测试"
        }
    }

    struct Match {
        var opening: String
        var body: String
    }

    static func matches(_ pattern: String, in text: String) -> [Match] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            let whole = ns.substring(with: match.range)
            let body =
                match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound
                ? ns.substring(with: match.range(at: 1)) : ""
            let opening = String(whole.prefix { $0 != ">" }) + ">"
            return Match(opening: opening, body: body)
        }
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let match = matches(#"\s\#(name)="([^"]*)""#, in: tag).first else { return nil }
        return match.body.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
    }
}
