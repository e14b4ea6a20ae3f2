import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 5: gate devices, phone punches with plausibility checks and offline replay, the review
/// queue, manual registration and the sheets, through the real router (M3, E2, G2, R7).
@Suite("Attendance")
struct AttendanceTests {
    static let projectOne = "锦江区东大街安置房项目"
    static let demoPhone = "5a11e0de00000000000000000000a001"

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    struct Phone {
        let client: any TestClientProtocol
        let session: ConsoleSession
        let project: ProjectModel

        /// A point inside the project's fence, nudged off the demo punches' exact spot.
        var inside: GeoPoint {
            let centre = (try? Geofence.parse(project.geofence ?? ""))?.centroid ?? GeoPoint(latitude: 0, longitude: 0)
            return GeoPoint(latitude: centre.latitude + 0.00011, longitude: centre.longitude + 0.00007)
        }

        func punch(
            event: String = UUID().uuidString, at point: GeoPoint? = nil, accuracy: Double = 15,
            direction: String = "in", clientTime: Date = Date(), sentTime: Date = Date(), device: String = demoPhone
        ) async throws -> (HTTPResponse.Status, [String: String]) {
            let csrf = try await client.csrf(of: "/m/punch", as: session)
            let position = point ?? inside
            let (status, body) = try await client.post(
                "/m/punches",
                form: [
                    "_csrf": csrf, "clientEventId": event, "projectId": project.id!.uuidString, "direction": direction,
                    "latitude": String(position.latitude), "longitude": String(position.longitude),
                    "accuracy": String(accuracy), "clientTime": AttendanceTests.iso(clientTime),
                    "clientSentTime": AttendanceTests.iso(sentTime), "deviceId": device,
                ], as: session)
            let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: String] ?? [:]
            return (status, json)
        }
    }

    static func phone(_ client: some TestClientProtocol, _ platform: TestPlatform) async throws -> Phone {
        let project = try await ProjectTests.Fixture(db: platform.db).project(projectOne)
        return Phone(client: client, session: try await client.consoleLogin("m", "worker_zhang"), project: project)
    }

    // MARK: Phone punches

    @Test("M3: a punch inside the fence is accepted; the same client event id replayed is stored once")
    func phonePunchIdempotent() async throws {
        try await TestPlatform.run { client, platform in
            let phone = try await Self.phone(client, platform)
            let (_, page) = try await client.page("/m/punch", as: phone.session)
            #expect(page.contains(Self.projectOne) && page.contains("punch.js"))
            let event = UUID().uuidString
            // Pressed two hours ago while offline, sent now, three times (lost responses).
            let pressed = Date().addingTimeInterval(-7200)
            var outcomes: [String] = []
            for _ in 0..<3 {
                let (status, json) = try await phone.punch(event: event, clientTime: pressed)
                #expect(status == .ok)
                outcomes.append(json["status"] ?? "")
            }
            #expect(outcomes == ["accepted", "duplicate", "duplicate"])
            let rows = try await AttendancePunchModel.query(on: platform.db).filter(\.$clientEventID == event).all()
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(abs(row.punchedAt.timeIntervalSince(pressed)) < 5, "the event keeps the moment it was pressed")
            #expect(abs(row.serverTime.timeIntervalSinceNow) < 60, "and the server's time of arrival beside it")
            #expect(row.clientTime != nil && row.status == "accepted")
        }
    }

    @Test("M3: outside the fence is kept as suspicious (default) or refused with the distance (project policy)")
    func outsideFence() async throws {
        try await TestPlatform.run { client, platform in
            let phone = try await Self.phone(client, platform)
            let far = GeoPoint(latitude: phone.inside.latitude + 0.01, longitude: phone.inside.longitude)
            var (_, json) = try await phone.punch(at: far)
            #expect(json["status"] == "suspicious" && json["message"]?.contains("距考勤围栏约") == true)
            #expect(
                try await AttendancePunchModel.query(on: platform.db).filter(\.$status == "suspicious")
                    .filter(\.$reviewStatus == nil).count() == 3, "two demo punches and this one wait for review")

            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (status, _) = try await ProjectTests.submit(
                client, "/corp/projects/\(phone.project.id!)/attendance/policy",
                ["outside": "refuse", "maxAccuracy": "100", "maxSpeed": "120", "maxSkew": "300"], as: corp)
            #expect(status == .ok)
            (_, json) = try await phone.punch(at: far, sentTime: Date().addingTimeInterval(1))
            #expect(json["status"] == "refused" && json["code"] == "OUTSIDE_FENCE")
            #expect(json["message"]?.contains("距围栏约") == true)
        }
    }

    @Test("M3: another phone is suspicious until the employer approves it; decisions are audited")
    func rebindingAndReview() async throws {
        try await TestPlatform.run { client, platform in
            let phone = try await Self.phone(client, platform)
            let (_, json) = try await phone.punch(device: "another-phone-0002")
            #expect(json["status"] == "suspicious" && json["message"]?.contains("手机") == true)
            let corp = try await client.consoleLogin("corp", "sj_labour")
            let root = "/corp/projects/\(phone.project.id!)/attendance"
            let (_, review) = try await client.page(root + "/review", as: corp)
            #expect(review.contains("张建国") && review.contains("同意更换"))
            let request = try #require(
                try await WorkerPhoneDeviceModel.query(on: platform.db).filter(\.$deviceID == "another-phone-0002")
                    .first())
            #expect(request.status == "requested")
            _ = try await ProjectTests.submit(client, root + "/bindings/\(request.id!)", [:], as: corp)
            let bound = try await WorkerPhoneDeviceModel.query(on: platform.db).filter(\.$workerID == request.workerID)
                .all()
            #expect(bound.filter { $0.status == "bound" }.map(\.deviceID) == ["another-phone-0002"])

            let suspicious = try #require(
                try await AttendancePunchModel.query(on: platform.db).filter(\.$phoneDevice == "another-phone-0002")
                    .first())
            var (status, page) = try await ProjectTests.submit(
                client, root + "/punches/\(suspicious.id!)/review", ["decision": "accept", "reason": ""], as: corp)
            #expect(page.contains("REVIEW_REASON_REQUIRED"))
            (status, page) = try await ProjectTests.submit(
                client, root + "/punches/\(suspicious.id!)/review",
                ["decision": "accept", "reason": "本人换了新手机，已当面核实"], as: corp)
            #expect(status == .ok && page.contains("已认可"))
            let reviewed = try #require(try await AttendancePunchModel.find(suspicious.id, on: platform.db))
            #expect(reviewed.reviewStatus == "accepted" && reviewed.counts)
            #expect(reviewed.status == "suspicious", "the original verdict stays")
            #expect(
                try await AuditEventModel.query(on: platform.db).filter(\.$action == "attendance.review-accepted")
                    .count()
                    == 1)
        }
    }

    @Test("M3: only workers with an active entry punch; bad input gets a JSON refusal, never a 500")
    func onlyActiveEntries() async throws {
        try await TestPlatform.run { client, platform in
            let phone = try await Self.phone(client, platform)
            let other = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectTwo)
            let elsewhere = Phone(client: client, session: phone.session, project: other)
            let (_, json) = try await elsewhere.punch()
            #expect(json["status"] == "refused" && json["code"] == "WORKER_NOT_ON_SITE")
            let csrf = try await client.csrf(of: "/m/punch", as: phone.session)
            let (status, body) = try await client.post(
                "/m/punches", form: ["_csrf": csrf, "projectId": "x", "latitude": "abc"], as: phone.session)
            #expect(status == .badRequest && body.contains("PUNCH_INVALID"))
        }
    }

    // MARK: Devices

    @Test("M3: a gate device pushes a batch; each record gets its result; a resend is stored once")
    func deviceBatch() async throws {
        try await TestPlatform.run { client, platform in
            let fixture = ProjectTests.Fixture(db: platform.db)
            let project = try await fixture.project(Self.projectOne)
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let (_, page) = try await ProjectTests.submit(
                client, "/corp/projects/\(project.id!)/attendance/devices", ["name": "东门闸机", "kind": "turnstile"],
                as: corp)
            let code = try #require(
                page.range(of: #"id="device-code">"#).map { String(page[$0.upperBound...].prefix { $0 != "<" }) })
            let secret = try #require(
                page.range(of: #"id="device-secret">"#).map { String(page[$0.upperBound...].prefix { $0 != "<" }) })
            let token = try await client.execute(
                uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"appId":"\#(code)","appSecret":"\#(secret)"}"#)
            ) { response in
                (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["token"]
                    as? String ?? ""
            }
            let onSite = try await ProjectWorkerModel.query(on: platform.db).filter(\.$projectID == project.id!)
                .filter(\.$status == "active").first()
            let worker = try #require(try await WorkerModel.find(onSite?.workerID, on: platform.db))
            let number = try platform.services.cipher.open(worker.idNumberCipher)
            let outsider = try await fixture.newcomer(to: project)
            let time = Self.iso(Date().addingTimeInterval(-600))
            let batch = """
                {"punches":[
                 {"idCardNumber":"\(number)","time":"\(time)","direction":"in","passageMethod":"001"},
                 {"verificationCode":"\(worker.verificationCode!)","time":"\(time)","direction":"01"},
                 {"idCardNumber":"\(number)","time":"\(time)","direction":"in","photo":"not base64!"},
                 {"verificationCode":"W0000000000","time":"\(time)","direction":"in"},
                 {"verificationCode":"\(outsider.verificationCode!)","time":"\(time)","direction":"in"},
                 {"idCardNumber":"\(number)","time":"\(Self.iso(Date().addingTimeInterval(3600)))","direction":"in"},
                 {"idCardNumber":"\(number)","time":"\(time)","direction":"in","passageMethod":"999"}
                ]}
                """
            let send = { () async throws -> [String: Any] in
                try await client.execute(
                    uri: "/api/v1/attendance/punches", method: .post,
                    headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                    body: ByteBuffer(string: batch)
                ) { response in
                    #expect(response.status == .ok, "\(String(buffer: response.body))")
                    return (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                        ?? [:]
                }
            }
            let first = try await send()
            let results = try #require(first["results"] as? [[String: Any]])
            // The record the API refuses itself (a photo not in Base64) keeps its place among the service's.
            #expect(results.map { $0["index"] as? Int } == Array(0..<7))
            #expect(
                results.map { $0["status"] as? String } == [
                    "accepted", "duplicate", "refused", "refused", "refused", "refused", "refused",
                ])
            #expect(
                results.compactMap { $0["code"] as? String } == [
                    "DUPLICATE", "PHOTO_INVALID", "WORKER_UNKNOWN", "WORKER_NOT_ON_SITE", "TIME_IN_FUTURE",
                    "PASSAGE_METHOD_INVALID",
                ])
            let again = try await send()
            #expect(again["accepted"] as? Int == 0 && again["duplicates"] as? Int == 2)
            let device = try #require(
                try await AttendanceDeviceModel.query(on: platform.db).filter(\.$code == code).first())
            #expect(
                try await AttendancePunchModel.query(on: platform.db).filter(\.$deviceID == device.id!).count() == 1)
            #expect(
                try await AuditEventModel.query(on: platform.db).filter(\.$action == "attendance.device-batch").count()
                    == 2)

            let person = try await client.apiToken("sj_admin")
            try await client.execute(
                uri: "/api/v1/attendance/punches", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(person)"],
                body: ByteBuffer(string: batch)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("DEVICE_ONLY"))
            }
        }
    }

    // MARK: Manual registration and sheets

    @Test("M3: a worker asks for a missed punch; the labour officer confirms one and rejects another")
    func manualRegistration() async throws {
        try await TestPlatform.run { client, platform in
            let phone = try await Self.phone(client, platform)
            let day = LocalDate.today(in: ChineseFormat.timeZone).nearAdding(days: -1)
            var (status, page) = try await ProjectTests.submit(
                client, "/m/attendance/manual",
                [
                    "projectID": phone.project.id!.uuidString, "date": day.description, "time": "18:05",
                    "direction": "out", "reason": "忘记打卡",
                ], as: phone.session)
            #expect(status == .ok && page.contains("补登申请已提交"))
            (status, page) = try await ProjectTests.submit(
                client, "/m/attendance/manual",
                [
                    "projectID": phone.project.id!.uuidString, "date": "2099-01-01", "time": "25:00", "direction": "x",
                    "reason": "",
                ],
                as: phone.session)
            #expect(status == .unprocessableContent && page.contains("不能晚于今天"))

            let corp = try await client.consoleLogin("corp", "sj_labour")
            let root = "/corp/projects/\(phone.project.id!)/attendance"
            let requests = try await ManualPunchRequestModel.query(on: platform.db).filter(\.$status == "pending")
                .sort(\.$createdAt).all()
            #expect(requests.count == 2, "the demo's request and this one")
            let mine = try #require(requests.first { $0.time == "18:05" })
            let demo = try #require(requests.first { $0.time != "18:05" })
            (status, page) = try await ProjectTests.submit(
                client, root + "/manual/\(demo.id!)", ["decision": "reject"], as: corp)
            #expect(page.contains("MANUAL_NOTE_REQUIRED"))
            _ = try await ProjectTests.submit(
                client, root + "/manual/\(demo.id!)", ["decision": "reject", "note": "当天未在现场"], as: corp)
            _ = try await ProjectTests.submit(client, root + "/manual/\(mine.id!)", ["decision": "confirm"], as: corp)
            let punch = try #require(
                try await AttendancePunchModel.query(on: platform.db).filter(\.$source == "manual").first())
            #expect(punch.localDate == day.description && punch.direction == "out" && punch.counts)

            let (_, mobile) = try await client.page("/m/attendance/manual", as: phone.session)
            #expect(mobile.contains("已确认，计入考勤") && mobile.contains("未同意") && mobile.contains("当天未在现场"))
            let (_, history) = try await client.page("/m/attendance", as: phone.session)
            #expect(history.contains(day.description) && history.contains("补登"))
        }
    }

    @Test("sheets: day lines, the month's man-days, who is here today, and exports, on both databases")
    func sheets() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(Self.projectOne)
            let phone = try await Self.phone(client, platform)
            _ = try await phone.punch()
            let corp = try await client.consoleLogin("corp", "sj_admin")
            let base = "/corp/projects/\(project.id!)/attendance"
            let (status, page) = try await client.page(base, as: corp)
            #expect(status == .ok)
            #expect(page.contains("id=\"on-site\"") && page.contains("张建国"))
            #expect(page.contains("id=\"month-sheet\""))
            let yesterday = LocalDate.today(in: ChineseFormat.timeZone).nearAdding(days: -1)
            let previousWorkday = (yesterday.dayNumber + 4) % 7 == 0 ? yesterday.nearAdding(days: -1) : yesterday
            let (_, day) = try await client.page(base + "?date=\(previousWorkday)", as: corp)
            #expect(day.contains("id=\"day-sheet\"") && day.contains("闸机"))

            let month = String(format: "%04d-%02d", previousWorkday.year, previousWorkday.month)
            try await client.execute(
                uri: base + "?month=\(month)&format=csv", method: .get, headers: [.cookie: corp.cookieHeader]
            ) { response in
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("\u{FEFF}班组,姓名"))
                #expect(text.contains("出勤天数") && text.contains("510104********1232"))
            }
            let sheet = try await platform.services.attendance.monthSheet(
                project: project.id!, year: previousWorkday.year, month: previousWorkday.month)
            #expect(!sheet.sheet.rows.isEmpty)
            #expect(sheet.sheet.rows.allSatisfy { $0.total <= Double($0.daysPresent) })

            let home = try await client.page("/corp", as: corp).1
            #expect(home.contains("今日到岗") && home.contains("待核实打卡") && home.contains("在场工人"))
            let gov = try await client.consoleLogin("gov", "jj_inspector")
            #expect(try await client.page("/gov/projects/\(project.id!)/attendance", as: gov).1.contains("今日在场人员"))
            #expect(try await client.page("/gov", as: gov).1.contains("今日到岗"))
            #expect(try await client.page("/gov/projects/\(project.id!)/attendance/review", as: gov).0 == .notFound)
        }
    }

    @Test("R7: a correction is a new punch referencing the old one; the old one is kept, marked, and stops counting")
    func correction() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(Self.projectOne)
            // Yesterday's or earlier: corrected to 18:30 of its own day, which must not be in the future
            // whatever the hour the suite runs at (today's punches so far may be this morning's).
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = ChineseFormat.timeZone
            let startOfToday = calendar.startOfDay(for: Date())
            let original = try #require(
                try await AttendancePunchModel.query(on: platform.db).filter(\.$projectID == project.id!)
                    .filter(\.$source == "device").filter(\.$direction == "out").filter(\.$punchedAt < startOfToday)
                    .sort(\.$punchedAt, .descending).first()
            )
            let corp = try await client.consoleLogin("corp", "sj_labour")
            let uri = "/corp/projects/\(project.id!)/attendance/punches/\(original.id!)/correct"
            var (status, page) = try await ProjectTests.submit(
                client, uri, ["direction": "out", "time": "18:30", "reason": ""], as: corp)
            #expect(status == .unprocessableContent && page.contains("更正原因"))
            (status, page) = try await ProjectTests.submit(
                client, uri, ["direction": "out", "time": "18:30", "reason": "闸机出场识别失败，按监控记录更正"], as: corp)
            #expect(status == .ok && page.contains("已更正，原记录保留") && page.contains("更正记录"))
            let kept = try #require(try await AttendancePunchModel.find(original.id, on: platform.db))
            #expect(kept.reviewStatus == "superseded" && !kept.counts && kept.punchedAt == original.punchedAt)
            let correction = try #require(
                try await AttendancePunchModel.query(on: platform.db).filter(\.$correctsID == original.id!).first())
            #expect(correction.counts && AttendanceService.clock(correction.punchedAt) == "18:30")
            #expect(correction.localDate == original.localDate && correction.workerID == original.workerID)
            (status, page) = try await ProjectTests.submit(
                client, uri, ["direction": "in", "time": "08:00", "reason": "再次更正"], as: corp)
            #expect(status == .conflict && page.contains("PUNCH_ALREADY_CORRECTED"))
            #expect(
                try await AuditEventModel.query(on: platform.db).filter(\.$action == "attendance.punch-corrected")
                    .count()
                    == 1)
            let gov = try await client.consoleLogin("gov", "jj_inspector")
            let day =
                "/gov/projects/\(project.id!)/attendance/day?worker=\(original.workerID)&date=\(original.localDate)"
            let (ok, readOnly) = try await client.page(day, as: gov)
            #expect(ok == .ok && readOnly.contains("已更正") && !readOnly.contains("保存更正"))
        }
    }
}
