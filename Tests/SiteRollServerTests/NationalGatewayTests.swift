import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollNational
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 15 items 1, 3 and 6 (G9, S3, A1): `POST /open.api` over HTTP on both databases — the
/// national envelope, signature and answer codes, the checks in the order a vendor can act on,
/// replay once per (appid, nonce, timestamp), and the project's own data through Project.Query.
@Suite("National gateway: /open.api")
struct NationalGatewayTests {
    struct Credentials {
        var appID: String
        var secret: String
    }

    static func credentials(_ platform: TestPlatform) async throws -> (Credentials, ProjectModel) {
        let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
        let app = try await platform.services.nationalApps.ensure(for: project)
        return (Credentials(appID: app.appID, secret: app.secret), project)
    }

    static func fields(
        _ credentials: Credentials, method: String, data: String, nonce: String = UUID().uuidString,
        at date: Date = Date()
    ) -> [String: String] {
        var fields = [
            "appid": credentials.appID, "method": method, "data": data, "format": "json", "version": "1.0",
            "nonce": nonce.replacingOccurrences(of: "-", with: "").lowercased(),
            "timestamp": NationalTimestamp.format(date),
        ]
        fields["sign"] = NationalSignature.sign(fields, secret: credentials.secret)
        return fields
    }

    /// Posts the form as vendors do (every value percent-encoded) and returns the parsed answer.
    static func call(_ client: some TestClientProtocol, _ fields: [String: String]) async throws -> [String: Any] {
        let body = fields.map { "\($0.key)=\($0.value.formEncoded)" }.joined(separator: "&")
        return try await client.execute(
            uri: "/open.api", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { response in
            #expect(response.status == .ok)
            return (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        }
    }

    static func code(_ answer: [String: Any]) -> Int? { (answer["code"] as? NSNumber)?.intValue }

    @Test("CheckSign.Query and Project.Query answer 0 with the project's own data; code is a JSON number")
    func queries() async throws {
        try await TestPlatform.run { client, platform in
            let (app, project) = try await Self.credentials(platform)
            #expect(app.appID == project.code && app.secret.count == 32, "一项目一密钥: the appid is the project code")
            let check = try await Self.call(client, Self.fields(app, method: "CheckSign.Query", data: "{}"))
            #expect(Self.code(check) == 0 && (check["code"] is NSNumber))
            let answer = try await Self.call(
                client,
                Self.fields(
                    app, method: "Project.Query",
                    data: #"{"pageIndex": 0, "pageSize": 10, "projectCode": "\#(project.code)"}"#))
            #expect(Self.code(answer) == 0, "\(answer)")
            let data = try #require(answer["data"] as? [String: Any])
            let rows = try #require(data["rows"] as? [[String: Any]])
            #expect((data["totalCount"] as? NSNumber)?.intValue == 1 && rows.count == 1)
            #expect(rows.first?["projectCode"] as? String == project.code)
            #expect(rows.first?["name"] as? String == project.name)
            #expect(rows.first?["areaCode"] as? String == project.divisionCode)
            #expect(rows.first?["contractorCorpCode"] as? String == project.contractorCreditCode)
            let tooBig = try await Self.call(
                client, Self.fields(app, method: "Project.Query", data: #"{"pageIndex":0,"pageSize":51}"#))
            #expect(Self.code(tooBig) == -1 && (tooBig["message"] as? String)?.contains("pageSize") == true)
            let other = try await Self.call(
                client, Self.fields(app, method: "Project.Query", data: #"{"projectCode":"510000000000000"}"#))
            #expect(Self.code(other) == -1)
        }
    }

    @Test(
        "every refusal code: missing fields and unknown appid -1, tampered -2, stale or UTC clock -1 with the server's time"
    )
    func refusals() async throws {
        try await TestPlatform.run { client, platform in
            let (app, _) = try await Self.credentials(platform)
            var missing = Self.fields(app, method: "CheckSign.Query", data: "{}")
            missing["nonce"] = nil
            #expect(Self.code(try await Self.call(client, missing)) == -1)
            var unknown = Self.fields(
                Credentials(appID: "nobody", secret: app.secret), method: "CheckSign.Query", data: "{}")
            unknown["appid"] = "nobody"
            #expect(Self.code(try await Self.call(client, unknown)) == -1)
            var tampered = Self.fields(app, method: "Project.Query", data: #"{"pageIndex":0,"pageSize":10}"#)
            tampered["data"] = #"{"pageIndex":0,"pageSize":50}"#
            #expect(Self.code(try await Self.call(client, tampered)) == -2)
            let utc = Self.fields(app, method: "CheckSign.Query", data: "{}", at: Date().addingTimeInterval(-8 * 3600))
            let stale = try await Self.call(client, utc)
            #expect(Self.code(stale) == -1 && (stale["message"] as? String)?.contains("平台时间为") == true)
            var withSecret = Self.fields(app, method: "CheckSign.Query", data: "{}")
            withSecret["appsecret"] = app.secret
            #expect(Self.code(try await Self.call(client, withSecret)) == 0, "a posted appsecret is tolerated (b.4a)")
            let counted = try await NationalCallModel.query(on: platform.db).filter(\.$appID == app.appID).all()
            #expect(Set(counted.map(\.code)) == [-1, -2, 0], "every call is counted with its code")
        }
    }

    @Test("a resend is answered once: same answer, one request recorded; a reused nonce for other data is refused")
    func replay() async throws {
        try await TestPlatform.run { client, platform in
            let (app, _) = try await Self.credentials(platform)
            let first = Self.fields(app, method: "Project.Query", data: #"{"pageIndex":0,"pageSize":10}"#, nonce: "123")
            let a = try await Self.call(client, first)
            let b = try await Self.call(client, first)
            #expect(Self.code(a) == 0 && Self.code(b) == 0)
            #expect(
                (a["data"] as? [String: Any])?["totalCount"] as? NSNumber == (b["data"] as? [String: Any])?[
                    "totalCount"] as? NSNumber)
            #expect(try await NationalRequestModel.query(on: platform.db).filter(\.$nonce == "123").count() == 1)
            var reused = Self.fields(app, method: "CheckSign.Query", data: "{}", nonce: "123")
            reused["timestamp"] = first["timestamp"]
            reused["sign"] = nil
            reused["sign"] = NationalSignature.sign(reused, secret: app.secret)
            #expect(Self.code(try await Self.call(client, reused)) == -1)
        }
    }

    @Test("per-app permission -3, source address -4 and call rate -5, held in the database")
    func protection() async throws {
        try await TestPlatform.run { client, platform in
            let (app, _) = try await Self.credentials(platform)
            let model = try #require(
                try await AppCredentialModel.query(on: platform.db).filter(\.$appID == app.appID)
                    .filter(\.$kind == "national").first())
            model.methods = "CheckSign.Query"
            model.ratePerMinute = 3
            try await model.update(on: platform.db)
            #expect(
                Self.code(try await Self.call(client, Self.fields(app, method: "CheckSign.Query", data: "{}"))) == 0)
            #expect(Self.code(try await Self.call(client, Self.fields(app, method: "Project.Query", data: "{}"))) == -3)
            _ = try await Self.call(client, Self.fields(app, method: "CheckSign.Query", data: "{}"))
            #expect(
                Self.code(try await Self.call(client, Self.fields(app, method: "CheckSign.Query", data: "{}"))) == -5)
            model.allowedIPs = "10.9.8.7"
            model.ratePerMinute = nil
            try await model.update(on: platform.db)
            #expect(
                Self.code(try await Self.call(client, Self.fields(app, method: "CheckSign.Query", data: "{}"))) == -4)
        }
    }

    /// Polls `AsyncHandleResult.Query` until the job is decided (the gateway processes it at once).
    static func result(_ client: some TestClientProtocol, _ app: Credentials, serial: String) async throws
        -> [String: Any]
    {
        for _ in 0..<100 {
            let answer = try await Self.call(
                client,
                Self.fields(app, method: "AsyncHandleResult.Query", data: #"{"requestSerialCode":"\#(serial)"}"#))
            if let data = answer["data"] as? [String: Any], (data["status"] as? NSNumber)?.intValue != 0 {
                return data
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return [:]
    }

    @Test("WorkerAttendance.Add: a serial at once, the swipes through the gate rules, 20 or 10 with what to fix")
    func attendanceAdd() async throws {
        try await TestPlatform.run { client, platform in
            let (app, project) = try await Self.credentials(platform)
            let onSite = try await ProjectWorkerModel.query(on: platform.db).filter(\.$projectID == project.id!)
                .filter(\.$status == "active").first()
            let worker = try #require(try await WorkerModel.find(onSite?.workerID, on: platform.db))
            let number = try NationalFieldCipher.encrypt(
                try platform.services.cipher.open(worker.idNumberCipher), secret: app.secret)
            let foreign = try NationalFieldCipher.encrypt(
                "11010519491231002X", secret: String(repeating: "f", count: 32))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = NationalTimestamp.timeZone
            let swipe = Date().addingTimeInterval(-300)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: swipe)
            let date = String(
                format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
                c.minute ?? 0, c.second ?? 0)
            let good =
                #"{"projectCode":"\#(project.code)","teamSysNo":1,"dataList":[{"idCardType":"01","idCardNumber":"\#(number)","date":"\#(date)","direction":"01"}]}"#
            let answer = try await Self.call(client, Self.fields(app, method: "WorkerAttendance.Add", data: good))
            let serial = try #require((answer["data"] as? [String: Any])?["requestSerialCode"] as? String)
            #expect(serial.hasPrefix("workerattendance-add-"))
            let done = try await Self.result(client, app, serial: serial)
            #expect((done["status"] as? NSNumber)?.intValue == 20, "\(done)")
            let stored = try await AttendancePunchModel.query(on: platform.db).filter(\.$workerID == worker.id!)
                .filter(\.$source == "device").count()
            #expect(stored >= 1)

            let bad =
                #"{"projectCode":"\#(project.code)","teamSysNo":1,"dataList":[{"idCardType":"01","idCardNumber":"\#(foreign)","date":"\#(date)","direction":"01"},{"idCardType":"01","idCardNumber":"\#(number)","date":"2099-01-01 08:00:00","direction":"01"}]}"#
            let second = try await Self.call(client, Self.fields(app, method: "WorkerAttendance.Add", data: bad))
            let badSerial = try #require((second["data"] as? [String: Any])?["requestSerialCode"] as? String)
            let failed = try await Self.result(client, app, serial: badSerial)
            #expect((failed["status"] as? NSNumber)?.intValue == 10)
            let reason = failed["result"] as? String ?? ""
            #expect(reason.contains("第 1 条") && reason.contains("appsecret") && reason.contains("第 2 条"), "\(reason)")

            let missing = try await Self.call(
                client, Self.fields(app, method: "WorkerAttendance.Add", data: #"{"projectCode":"x"}"#))
            #expect(Self.code(missing) == -1 && (missing["message"] as? String)?.contains("dataList") == true)
        }
    }

    @Test(
        "what deployed clients send (b.4a): spaced JSON with \\u escapes, only data and sign encoded, nonces of every shape"
    )
    func deployedClients() async throws {
        try await TestPlatform.run { client, platform in
            let (app, project) = try await Self.credentials(platform)
            // Python's json.dumps default: ", " and ": " with \uXXXX for Chinese; signed as sent.
            let spaced = #"{"pageIndex": 0, "pageSize": 10, "projectCode": "\#(project.code)", "note": "\u9879\u76ee"}"#
            let answer = try await Self.call(client, Self.fields(app, method: "Project.Query", data: spaced))
            #expect(Self.code(answer) == 0, "\(answer)")
            // encodeURIComponent on data, corpsign and sign only; the rest as typed.
            let fields = Self.fields(app, method: "Project.Query", data: #"{"pageIndex":0,"pageSize":10}"#)
            let body = fields.map { key, value in
                "\(key)=\(["data", "sign"].contains(key) ? value.formEncoded : value)"
            }.joined(separator: "&")
            let partly = try await client.execute(
                uri: "/open.api", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body)
            ) { response in
                (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            }
            #expect(Self.code(partly) == 0, "\(partly)")
            // 32-hex UUIDs, 20 characters, and unpadded numbers of 1 to 6 digits.
            for nonce in [UUID().uuidString, "a1B2c3D4e5F6g7H8i9J0", "7", "42", "123456"] {
                let answer = try await Self.call(
                    client, Self.fields(app, method: "CheckSign.Query", data: "{}", nonce: nonce))
                #expect(Self.code(answer) == 0, "nonce \(nonce): \(answer)")
            }
            // The same short nonce again a second later is another request, not a replay.
            let later = try await Self.call(
                client,
                Self.fields(app, method: "CheckSign.Query", data: "{}", nonce: "7", at: Date().addingTimeInterval(1)))
            #expect(Self.code(later) == 0)
        }
    }
}
