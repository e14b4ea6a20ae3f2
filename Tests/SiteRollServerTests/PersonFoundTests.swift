import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 12 item 7: what a person found while trying SiteRoll — a whole ID number that finds
/// nobody, a new phone described by two hashes, a shared phone's offline queue, night shifts.
@Suite("Found by people trying it")
struct PersonFoundTests {
    @Test(
        "S2: a regulator finds a worker by the whole ID number, by POST and keyed hash; the number never goes in a URL")
    func searchByWholeNumber() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            let entry = try #require(
                try await ProjectWorkerModel.query(on: platform.db).filter(\.$projectID == project.id!).first())
            let worker = try #require(try await WorkerModel.find(entry.workerID, on: platform.db))
            let number = try platform.services.cipher.open(worker.idNumberCipher)
            let gov = try await client.consoleLogin("gov", "sc_admin")
            let (status, page) = try await ProjectTests.submit(client, "/gov/workers/search", ["q": number], as: gov)
            #expect(status == .ok && page.contains(worker.name) && page.contains("/gov/workers/\(worker.id!)"))
            #expect(!page.contains(number), "the page shows the number masked")
            // Lower-case x is the same number.
            if number.hasSuffix("X") {
                let (_, lower) = try await ProjectTests.submit(
                    client, "/gov/workers/search", ["q": number.lowercased()], as: gov)
                #expect(lower.contains(worker.name))
            }
            // In a URL it is refused, with a hint to use the search box.
            let (refused, hint) = try await client.page("/gov/workers?q=\(number)", as: gov)
            #expect(refused == .badRequest && hint.contains("ID_NUMBER_IN_URL"))
            // Anything else is redirected to the bookmarkable GET search.
            let location = try await client.execute(
                uri: "/gov/workers/search", method: .post,
                headers: [.cookie: gov.cookieHeader, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(
                    string: "_csrf=\(try await client.csrf(of: "/gov", as: gov))&q=\(worker.name.formEncoded)")
            ) { response in
                #expect(response.status == .seeOther)
                return response.headers[.location] ?? ""
            }
            #expect(location.hasPrefix("/gov/workers?q="))
            let (_, byName) = try await client.page(location, as: gov)
            #expect(byName.contains(worker.name))
        }
    }

    @Test("M3: a punch from a new phone says so in plain words, and the request to bind it waits for the employer")
    func newPhone() async throws {
        try await TestPlatform.run { client, platform in
            let phone = try await AttendanceTests.phone(client, platform)
            let (status, body) = try await phone.punch(device: "c0ffee00000000000000000000000001")
            #expect(status == .ok && body["status"] == "suspicious" && body["newPhone"] == "1")
            let message = try #require(body["message"])
            #expect(message.contains("新手机") && message.contains("等待企业确认"))
            #expect(!message.contains("c0ffee") && !message.contains("5a11e0de"), "no device ids in the words")
            let requested = try await WorkerPhoneDeviceModel.query(on: platform.db)
                .filter(\.$deviceID == "c0ffee00000000000000000000000001").first()
            #expect(requested?.status == "requested")
        }
    }

    @Test("M3: on a shared phone, a punch queued by another worker is refused in this session and nothing is stored")
    func sharedPhone() async throws {
        try await TestPlatform.run { client, platform in
            let phone = try await AttendanceTests.phone(client, platform)
            let before = try await AttendancePunchModel.query(on: platform.db).count()
            let csrf = try await client.csrf(of: "/m/punch", as: phone.session)
            let (status, body) = try await client.post(
                "/m/punches",
                form: [
                    "_csrf": csrf, "clientEventId": UUID().uuidString, "projectId": phone.project.id!.uuidString,
                    "direction": "in", "latitude": String(phone.inside.latitude),
                    "longitude": String(phone.inside.longitude), "accuracy": "15",
                    "clientTime": AttendanceTests.iso(Date()), "deviceId": AttendanceTests.demoPhone,
                    "workerId": UUID().uuidString,
                ], as: phone.session)
            #expect(status == .conflict && body.contains("PUNCH_OTHER_WORKER") && body.contains("另一位工人"))
            #expect(try await AttendancePunchModel.query(on: platform.db).count() == before)
            // The page carries the signed-in worker, so punch.js keys its queue by it.
            let (_, page) = try await client.page("/m/punch", as: phone.session)
            let account = try #require(
                try await AccountModel.query(on: platform.db).filter(\.$username == "worker_zhang").first())
            #expect(page.contains(#"data-worker="\#(account.$worker.id!.uuidString)""#))
        }
    }

    @Test("night shift: with the day starting at 06:00, 20:00 to 05:00 is one attendance day of one man-day")
    func nightShift() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            let admin = try await client.consoleLogin("corp", "sj_admin")
            var (status, page) = try await ProjectTests.submit(
                client, "/corp/projects/\(project.id!)/attendance/policy",
                [
                    "outside": "suspicious", "maxAccuracy": "100", "maxSpeed": "120", "maxSkew": "300",
                    "dayStart": "13:00",
                ], as: admin)
            #expect(status == .unprocessableContent && page.contains("00:00 到 12:00"))
            (status, page) = try await ProjectTests.submit(
                client, "/corp/projects/\(project.id!)/attendance/policy",
                [
                    "outside": "suspicious", "maxAccuracy": "100", "maxSpeed": "120", "maxSkew": "300",
                    "dayStart": "06:00",
                ], as: admin)
            #expect(status == .ok && page.contains("手机考勤规则已保存") && page.contains(#"value="06:00""#))
            let stored = try #require(try await ProjectModel.find(project.id, on: platform.db))
            #expect(stored.attendanceDayStart == 360)
            // A newcomer's night shift, through a gate device: in at 20:00 two days ago, out at 05:00.
            let (_, devicePage) = try await ProjectTests.submit(
                client, "/corp/projects/\(project.id!)/attendance/devices", ["name": "夜班闸机", "kind": "turnstile"],
                as: admin)
            let code = try #require(
                devicePage.range(of: #"id="device-code">"#).map {
                    String(devicePage[$0.upperBound...].prefix { $0 != "<" })
                })
            let secret = try #require(
                devicePage.range(of: #"id="device-secret">"#).map {
                    String(devicePage[$0.upperBound...].prefix { $0 != "<" })
                })
            let token = try await client.execute(
                uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"appId":"\#(code)","appSecret":"\#(secret)"}"#)
            ) { response in
                (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["token"]
                    as? String ?? ""
            }
            let entry = try #require(
                try await ProjectWorkerModel.query(on: platform.db).filter(\.$projectID == project.id!)
                    .filter(\.$status == "active").first())
            let worker = try #require(try await WorkerModel.find(entry.workerID, on: platform.db))
            let shiftDay = ProjectService.today().nearAdding(days: -2)
            // Clear the demo's punches of those two days, so the shift is the worker's only attendance.
            try await AttendancePunchModel.query(on: platform.db).filter(\.$workerID == worker.id!)
                .filter(\.$localDate >= shiftDay.description).delete()
            let evening = try #require(AttendanceService.instant(shiftDay, time: "20:00"))
            let morning = try #require(AttendanceService.instant(shiftDay.nearAdding(days: 1), time: "05:00"))
            let batch = """
                {"punches":[
                 {"verificationCode":"\(worker.verificationCode!)","time":"\(AttendanceTests.iso(evening))","direction":"in"},
                 {"verificationCode":"\(worker.verificationCode!)","time":"\(AttendanceTests.iso(morning))","direction":"out"}
                ]}
                """
            try await client.execute(
                uri: "/api/v1/attendance/punches", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                body: ByteBuffer(string: batch)
            ) { response in #expect(response.status == .ok, "\(String(buffer: response.body))") }
            let punches = try await AttendancePunchModel.query(on: platform.db).filter(\.$workerID == worker.id!)
                .filter(\.$localDate >= shiftDay.description).all()
            #expect(punches.count == 2 && punches.allSatisfy { $0.localDate == shiftDay.description })
            let sheet = try await platform.services.attendance.monthSheet(
                project: project.id!, year: shiftDay.year, month: shiftDay.month)
            let row = try #require(sheet.sheet.rows.first { sheet.people[$0.key]?.workerID == worker.id })
            #expect(row.days[shiftDay.day - 1] == 1, "one full man-day on the day the shift began")
            if shiftDay.month == shiftDay.nearAdding(days: 1).month {
                #expect(row.days[shiftDay.day] == 0, "nothing on the next calendar day")
            }
            let lines = try await platform.services.attendance.daySheet(project: project.id!, date: shiftDay)
            let line = try #require(lines.first { $0.person.workerID == worker.id })
            #expect(line.summary.workedMinutes == 9 * 60 && line.summary.flags.isEmpty)
        }
    }
}
