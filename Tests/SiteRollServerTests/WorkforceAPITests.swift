import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 15 item 5 (G9, E2, E9): the writes a vendor makes through `/open.api`, through `/api/v1`
/// with a bearer token — the project's national app exchanges its appid and secret, or an
/// enterprise account signs in — calling the same functions and so refusing with the same words.
@Suite("API: workforce and payroll writes")
struct WorkforceAPITests {
    static func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String,
        _ body: [String: Any] = [:]
    ) async throws -> (Int, [String: Any]) {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await client.execute(
            uri: uri, method: method, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(bytes: data)
        ) { response in
            (
                Int(response.status.code),
                (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            )
        }
    }

    static func appToken(_ client: some TestClientProtocol, appID: String, secret: String) async throws -> String {
        try await client.execute(
            uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"appId":"\#(appID)","appSecret":"\#(secret)"}"#)
        ) { response in
            #expect(response.status == .ok)
            let body = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any]
            return body?["token"] as? String ?? ""
        }
    }

    @Test(
        "the project's app token writes unit, team, worker, contract, training, entry and payroll; reads state and warnings"
    )
    func sequence() async throws {
        try await TestPlatform.run { client, platform in
            let (app, project) = try await NationalGatewayTests.credentials(platform)
            let token = try await Self.appToken(client, appID: app.appID, secret: app.secret)
            #expect(!token.isEmpty, "a national app's appid and secret take a bearer token")
            let base = "/api/v1/projects/\(project.id!.uuidString)"
            let unitCode = EnterpriseVerificationTests.creditCode("91510104MA6D9K2Y5")
            let today = NationalMethodsTests.today()

            var (status, body) = try await Self.send(
                client, .post, base + "/units", token: token,
                ["corpCode": unitCode, "corpName": "成都蓉城劳务有限公司", "corpType": "008"])
            #expect(status == 200, "\(body)")
            (status, body) = try await Self.send(
                client, .post, base + "/teams", token: token,
                ["corpCode": unitCode, "corpName": "成都蓉城劳务有限公司", "teamName": "接口砌筑班"])
            let sysNo = try #require((body["teamSysNo"] as? NSNumber)?.intValue, "\(body)")
            let number = WorkerVerificationTests.number("510104", "19850203", "611")
            let image = WorkerVerificationTests.png.base64EncodedString()
            (status, body) = try await Self.send(
                client, .post, base + "/worker-registrations", token: token,
                [
                    "corpCode": unitCode, "corpName": "成都蓉城劳务有限公司", "teamSysNo": sysNo, "teamName": "接口砌筑班",
                    "workerList": [
                        [
                            "workerName": "吴德明", "isTeamLeader": 1, "idCardType": "01", "idCardNumber": number,
                            "workType": "010", "workRole": "20", "nation": "汉", "address": "四川省成都市锦江区春熙路 2 号",
                            "grantOrg": "成都市公安局锦江分局", "startDate": "2019-05-01", "expiryDate": "2039-05-01",
                            "headImage": image, "positiveIDCardImage": image, "negativeIDCardImage": image,
                        ]
                    ],
                ])
            #expect(status == 200, "\(body)")
            let entry: [String: Any] = [
                "teamSysNo": sysNo,
                "workerList": [["idCardType": "01", "idCardNumber": number, "date": today, "type": 1]],
            ]
            (status, body) = try await Self.send(client, .post, base + "/entries", token: token, entry)
            #expect(status == 422 && body["code"] as? String == "WRITE_REFUSED", "no contract yet: \(body)")
            #expect((body["message"] as? String)?.contains("合同") == true)
            (status, body) = try await Self.send(
                client, .post, base + "/contracts", token: token,
                [
                    "contractList": [
                        [
                            "corpCode": unitCode, "corpName": "成都蓉城劳务有限公司", "idCardType": "01", "idCardNumber": number,
                            "contractPeriodType": "0", "startDate": today, "endDate": "2030-12-31", "wageBasis": "day",
                            "wageRate": 320,
                        ]
                    ]
                ])
            #expect(status == 200, "\(body)")
            (status, body) = try await Self.send(
                client, .post, base + "/trainings", token: token,
                [
                    "trainingDate": today, "trainingDuration": 1.5, "trainingName": "入场教育",
                    "trainingTypeCode": "003002",
                    "trainer": "刘安", "workers": [["idCardType": "01", "idCardNumber": number, "isPass": 1]],
                ])
            #expect(status == 200, "\(body)")
            (status, body) = try await Self.send(client, .post, base + "/entries", token: token, entry)
            #expect(status == 200, "\(body)")

            let account = try #require(
                try await WageAccountModel.query(on: platform.db).filter(\.$projectID == project.id!).first())
            (status, body) = try await Self.send(
                client, .post, base + "/payrolls", token: token,
                [
                    "corpCode": unitCode, "corpName": "成都蓉城劳务有限公司", "teamSysNo": sysNo,
                    "payMonth": String(today.prefix(7)),
                    "detailList": [
                        [
                            "idCardType": "01", "idCardNumber": number, "days": 1,
                            "payRollBankCardNumber": "6217003810009876543",
                            "payRollBankCode": "105", "payRollBankName": "建设银行",
                            "payBankCardNumber":
                                try platform.services.cipher.open(account.numberCipher),
                            "payBankCode": account.bankCode, "payBankName": account.bankName, "totalPayAmount": 320,
                            "actualAmount": 320, "isBackPay": 0, "balanceDate": today, "thirdPayRollCode": "REST-1",
                        ]
                    ],
                ])
            let code = try #require(body["payrollCode"] as? String, "\(body)")
            (status, body) = try await Self.send(client, .get, base + "/payrolls/\(code)", token: token)
            #expect(status == 200 && body["status"] as? String == "draft", "\(body)")
            #expect((body["lines"] as? [[String: Any]])?.first?["workerName"] as? String == "吴德明")
            let findings = body["findings"] as? [[String: Any]] ?? []
            #expect(findings.contains { $0["blocking"] as? Bool == true }, "the signed wage table is not uploaded yet")
            (status, body) = try await Self.send(
                client, .post, base + "/payrolls/\(code)/submission", token: token, [:])
            #expect(status == 422 && body["code"] as? String == "PAYROLL_BLOCKED", "\(body)")
            (status, _) = try await Self.send(client, .get, base + "/warnings", token: token)
            #expect(status == 200)

            // Another project is out of this app's reach; a regulator reads but does not write.
            let other = try #require(
                try await ProjectModel.query(on: platform.db).filter(\.$id != project.id!).first())
            (status, _) = try await Self.send(
                client, .post, "/api/v1/projects/\(other.id!.uuidString)/teams", token: token,
                ["corpCode": unitCode, "corpName": "x", "teamName": "x"])
            #expect(status == 403)
            let regulator = try await client.apiToken("cd_admin")
            (status, _) = try await Self.send(
                client, .post, base + "/teams", token: regulator,
                ["corpCode": unitCode, "corpName": "x", "teamName": "x"])
            #expect(status == 403)
            (status, body) = try await Self.send(client, .get, base + "/payrolls/\(code)", token: regulator)
            #expect(status == 200, "\(body)")
        }
    }

    @Test("an enterprise account of the project writes through the same operations")
    func enterpriseAccount() async throws {
        try await TestPlatform.run { client, platform in
            let project = try await ProjectTests.Fixture(db: platform.db).project(ProjectTests.projectOne)
            let token = try await client.apiToken("sj_admin")
            let unit = try #require(
                try await ProjectUnitModel.query(on: platform.db).filter(\.$projectID == project.id!).first())
            let (status, body) = try await Self.send(
                client, .post, "/api/v1/projects/\(project.id!.uuidString)/teams", token: token,
                ["corpCode": unit.creditCode, "corpName": unit.name, "teamName": "企业账号新建班"])
            #expect(status == 200 && (body["teamSysNo"] as? NSNumber) != nil, "\(body)")
            let (again, refused) = try await Self.send(
                client, .post, "/api/v1/projects/\(project.id!.uuidString)/teams", token: token,
                ["corpCode": unit.creditCode, "corpName": unit.name, "teamName": "企业账号新建班"])
            #expect(again == 422 && (refused["message"] as? String)?.contains("班组已存在") == true)
        }
    }
}
