import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Issue 3: worker real-name verification through `/api/v1` against the identity-authority
/// simulator speaking the real HTTP contract on loopback (G1, E1, M1, S2).
@Suite("Real name: worker verification")
struct WorkerVerificationTests {
    /// A valid number for the given address code, birth date (yyyyMMdd) and sequence.
    static func number(_ region: String = "510104", _ birth: String, _ sequence: String = "123") -> String {
        let body = region + birth + sequence
        return body + String(IdentityNumber.checkCharacter(forFirst17: body)!)
    }

    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: UInt8(7), count: 300))

    static func body(
        name: String = "李建华", number: String, gender: String = "1", birth: String, nation: String = "01",
        validity: String = "2020.05.01-2040.05.01", portrait: Data? = png
    ) -> String {
        let fields: [String: String] = [
            "name": name, "idNumber": number, "gender": gender, "nation": nation, "birthDate": birth,
            "address": "四川省成都市锦江区东大街 100 号", "issuingAuthority": "成都市公安局锦江区分局", "validity": validity,
            "portrait": portrait?.base64EncodedString() ?? "", "idFront": png.base64EncodedString(),
            "idBack": png.base64EncodedString(),
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
    }

    static func submit(_ client: some TestClientProtocol, token: String, _ json: String) async throws -> (
        Int, [String: Any]
    ) {
        try await client.execute(
            uri: "/api/v1/verifications/workers", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: json)
        ) { response in
            (
                Int(response.status.code),
                (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
            )
        }
    }

    static func codes(_ result: [String: Any], _ key: String = "faults") -> Set<String> {
        Set(((result[key] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String })
    }

    @Test("a valid worker passes at once, gets a code, and is stored sealed; a second submission finds the same worker")
    func passes() async throws {
        try await TestPlatform.run { client, platform in
            let token = try await client.apiToken("sj_labour")
            let number = Self.number("510104", "19900215", "124")
            let (status, result) = try await Self.submit(
                client, token: token, Self.body(number: number, birth: "1990-02-15"))
            #expect(status == 200)
            #expect(result["status"] as? String == "passed")
            #expect(result["simulated"] as? Bool == true)
            let code = try #require(result["verificationCode"] as? String)
            #expect(code.count == 11 && code.hasPrefix("W"))
            #expect(!code.contains(String(number.suffix(4))) || !code.contains(String(number.prefix(6))))

            let workers = try await WorkerModel.query(on: platform.db).filter(\.$verificationCode == code).all()
            #expect(workers.count == 1)
            #expect(workers[0].idNumberCipher.contains(number) == false)
            #expect(
                workers[0].idNumberMasked == "510104********1244" || workers[0].idNumberMasked.hasPrefix("510104****"))
            #expect(try platform.services.cipher.open(workers[0].idNumberCipher) == number)
            let documents = try await WorkerDocumentModel.query(on: platform.db).filter(\.$worker.$id == workers[0].id!)
                .all()
            #expect(Set(documents.map(\.kind)) == ["portrait", "idFront", "idBack"])
            #expect(documents.allSatisfy { !$0.bytesCipher.starts(with: [0x89, 0x50]) })

            let (_, again) = try await Self.submit(client, token: token, Self.body(number: number, birth: "1990-02-15"))
            #expect(again["verificationCode"] as? String == code)
            let hmac = platform.services.cipher.lookupHash(number)
            #expect(try await WorkerModel.query(on: platform.db).filter(\.$idNumberHMAC == hmac).count() == 1)

            let serial = try #require(result["serial"] as? String)
            let (feedbackStatus, feedback) = try await client.apiGet("/api/v1/verifications/\(serial)", token: token)
            #expect(feedbackStatus == .ok)
            #expect((feedback as? [String: Any])?["verificationCode"] as? String == code)
            #expect(((feedback as? [String: Any])?["subjectLabel"] as? String)?.contains(number) == false)
        }
    }

    @Test("every fault is reported at once, each with its field")
    func allFaults() async throws {
        try await TestPlatform.run { client, _ in
            let token = try await client.apiToken("sj_admin")
            var number = Self.number("510104", "19900215")
            number = String(number.dropLast()) + (number.last == "1" ? "2" : "1")
            let (status, result) = try await Self.submit(
                client, token: token,
                Self.body(
                    name: "", number: number, birth: "1990-02-16", nation: "99", validity: "2001.01.01-2011.01.01",
                    portrait: nil))
            #expect(status == 200)
            #expect(result["status"] as? String == "refused")
            let found = Self.codes(result)
            for expected in [
                "NAME_REQUIRED", "ID_NUMBER_CHECK_DIGIT", "NATION_INVALID", "ID_CARD_EXPIRED", "IMAGE_INVALID",
            ] {
                #expect(found.contains(expected), "missing \(expected) in \(found)")
            }
            let messages = ((result["faults"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
            #expect(messages.allSatisfy { !$0.contains(number) })
        }
    }

    @Test(
        "age policy: under 16 refused, over 60 passes with a health-certificate warning",
        arguments: [
            ("20150101", "2015-01-01", "refused", "AGE_UNDER_MINIMUM"),
            ("19600101", "1960-01-01", "passed", "AGE_HEALTH_CERTIFICATE_REQUIRED"),
        ]
    )
    func age(birth: String, dashed: String, status: String, code: String) async throws {
        try await TestPlatform.run { client, _ in
            let token = try await client.apiToken("sj_labour")
            let number = Self.number("510104", birth, "125")
            let (_, result) = try await Self.submit(
                client, token: token, Self.body(number: number, gender: "0", birth: dashed))
            #expect(result["status"] as? String == status)
            #expect(Self.codes(result, status == "refused" ? "faults" : "warnings").contains(code))
        }
    }

    @Test("an old number with a retired county code (510122 双流县) is accepted")
    func retiredRegion() async throws {
        try await TestPlatform.run { client, _ in
            let token = try await client.apiToken("sj_labour")
            let number = Self.number("510122", "19751010", "135")
            let (_, result) = try await Self.submit(
                client, token: token, Self.body(number: number, gender: "0", birth: "1975-10-10"))
            #expect(result["status"] as? String == "passed", "\(result)")
        }
    }

    @Test("the authority's refusals are named, and the simulator says it is one")
    func authorityVerdicts() async throws {
        let mismatch = Self.number("510104", "19880808", "222")
        let portrait = Self.number("510104", "19880809", "222")
        let identities = "\(mismatch)\t王五\tmatch\n\(portrait)\t李建华\tportrait_mismatch\n"
        try await TestPlatform.run(identities: identities) { client, _ in
            let token = try await client.apiToken("sj_labour")
            let (_, name) = try await Self.submit(
                client, token: token, Self.body(number: mismatch, gender: "1", birth: "1988-08-08"))
            #expect(Self.codes(name).contains("AUTHORITY_NAME_MISMATCH"))
            #expect((name["message"] as? String)?.contains("模拟") == true)
            let (_, face) = try await Self.submit(
                client, token: token, Self.body(number: portrait, gender: "1", birth: "1988-08-09"))
            #expect(Self.codes(face).contains("AUTHORITY_PORTRAIT_MISMATCH"))
            let unknown = Self.number("510104", "19880810", "222")
            let (_, missing) = try await Self.submit(
                client, token: token, Self.body(number: unknown, gender: "1", birth: "1988-08-10"))
            #expect(Self.codes(missing).contains("AUTHORITY_NOT_FOUND"))
        }
    }

    @Test("no answer from the authority keeps the submission; a retry decides it; nothing is lost")
    func waitingAndRetry() async throws {
        let number = Self.number("510104", "19920303", "246")
        try await TestPlatform.run(identities: "\(number)\t李建华\terror\n") { client, platform in
            let token = try await client.apiToken("sj_labour")
            let (_, result) = try await Self.submit(
                client, token: token, Self.body(number: number, gender: "1", birth: "1992-03-03"))
            #expect(result["status"] as? String == "waiting")
            #expect((result["message"] as? String)?.contains("稍后重试") == true)
            let serial = try #require(result["serial"] as? String)
            let kept = try #require(
                try await VerificationRequestModel.query(on: platform.db).filter(\.$serial == serial).first())
            #expect(kept.payloadCipher != nil)
            #expect(kept.payloadCipher?.contains(number) == false)

            // The authority answers again (a fake standing in for it), and the retry decides.
            var service = platform.services.workerVerification
            service = WorkerVerificationService(
                database: service.database, cipher: service.cipher, authority: FakeAuthority(),
                numbers: service.numbers,
                agePolicies: service.agePolicies, platformDivision: service.platformDivision,
                restrictions: service.restrictions, hasher: service.hasher, logger: service.logger)
            #expect(try await service.retryDue(now: Date().addingTimeInterval(3600)) == 1)
            let (_, feedback) = try await client.apiGet("/api/v1/verifications/\(serial)", token: token)
            #expect((feedback as? [String: Any])?["status"] as? String == "passed")
            #expect(((feedback as? [String: Any])?["verificationCode"] as? String)?.hasPrefix("W") == true)
            let decided = try #require(
                try await VerificationRequestModel.query(on: platform.db).filter(\.$serial == serial).first())
            #expect(decided.payloadCipher == nil)
        }
    }

    @Test("feedback and consistency checks stay within reach")
    func checks() async throws {
        try await TestPlatform.run { client, _ in
            let labour = try await client.apiToken("sj_labour")
            let number = Self.number("510104", "19861111", "311")
            let (_, result) = try await Self.submit(
                client, token: labour, Self.body(number: number, gender: "0", birth: "1986-11-11"))
            let serial = try #require(result["serial"] as? String)
            let code = try #require(result["verificationCode"] as? String)
            #expect(
                try await client.apiGet("/api/v1/verifications/\(serial)", token: try await client.apiToken("jc_admin"))
                    .0 == .notFound)
            #expect(
                try await client.apiGet(
                    "/api/v1/verifications/\(serial)", token: try await client.apiToken("jj_inspector")
                ).0 == .ok)
            #expect(
                try await client.apiGet("/api/v1/verifications/\(serial)", token: try await client.apiToken("my_admin"))
                    .0 == .notFound)

            let regulator = try await client.apiToken("cd_admin")
            for (json, consistent) in [
                (#"{"name":"李建华","idNumber":"\#(number)"}"#, true), (#"{"name":"李建国","idNumber":"\#(number)"}"#, false),
                (#"{"name":"李建华","verificationCode":"\#(code)"}"#, true),
            ] {
                try await client.execute(
                    uri: "/api/v1/checks/identity", method: .post,
                    headers: [.authorization: "Bearer \(regulator)", .contentType: "application/json"],
                    body: ByteBuffer(string: json)
                ) { response in
                    let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect(answer?["consistent"] as? Bool == consistent)
                }
            }
            let (regulatorStatus, _) = try await Self.submit(
                client, token: regulator, Self.body(number: number, birth: "1986-11-11"))
            #expect(regulatorStatus == 403)
        }
    }

    @Test("a blacklisted worker is refused and shows as restricted")
    func blacklist() async throws {
        try await TestPlatform.run { client, platform in
            let number = Self.number("510104", "19830909", "357")
            let regulator = try #require(
                try await AccountModel.query(on: platform.db).filter(\.$username == "cd_admin").with(\.$enterprise)
                    .first())
            try await platform.services.restrictions.add(
                .init(
                    subjectKind: "worker", subjectNumber: number, subjectName: "李建华", kind: .blacklist,
                    reason: "恶意讨薪被列入黑名单", endsOn: nil),
                by: AccountSnapshot(regulator), division: DivisionCode("510100")!)
            let token = try await client.apiToken("sj_labour")
            let (_, result) = try await Self.submit(
                client, token: token, Self.body(number: number, gender: "0", birth: "1983-09-09"))
            #expect(Self.codes(result).contains("WORKER_BLACKLISTED"))
            try await client.execute(
                uri: "/api/v1/checks/restrictions", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"subjectKind":"worker","idNumber":"\#(number)"}"#)
            ) { response in
                let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(answer?["restricted"] as? Bool == true)
            }
        }
    }
}

/// Stands in for the identity authority where a test needs a changed answer.
struct FakeAuthority: IdentityAuthority {
    func verify(_ request: IdentityCheckRequest) async throws(IdentityAuthorityError) -> IdentityCheckResult {
        IdentityCheckResult(
            requestId: request.requestId, verdict: .match, portraitScore: 99, authority: "测试替身", simulated: true)
    }
}
