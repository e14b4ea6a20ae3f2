import FluentKit
import Foundation
import Hummingbird
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// `POST /open.api`: the national open interface (issue 15, G9, S3). A vendor system written for
/// the national platform connects by changing its URL and credentials. Each request is checked in
/// the order a vendor can act on — fields, app, source address, signature, freshness, replay,
/// permission, rate — and every answer is `{code, message, data}` with `code` a JSON number and
/// HTTP 200, as the national platform answers. Every call is counted with its code; a refused one
/// changes nothing.
struct NationalGateway: Sendable {
    struct Policy: Sendable {
        /// How far a request's timestamp may be from the server's clock, either way.
        var freshness: TimeInterval = 600
        /// Calls per minute per app when the app sets none.
        var defaultRatePerMinute = 600
    }

    struct Answer: Sendable, Encodable, Equatable {
        var code: Int
        var message: String
        var data: NationalJSON?

        init(_ code: NationalCode, _ message: String, data: NationalJSON? = nil) {
            self.code = code.rawValue
            self.message = message
            self.data = data
        }
    }

    /// A refusal inside a method: its code and the words that tell the vendor what to fix.
    struct Refusal: Error {
        var code: NationalCode
        var message: String
    }

    let database: DatabaseService
    let apps: NationalApps
    let methods: NationalMethods
    let policy: Policy

    static let required = ["appid", "method", "timestamp", "nonce", "sign", "data"]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("open.api") { request, _ -> Response in
            let form = try await FormFields.read(request, limit: 8 << 20)
            let answer = await handle(form.values, from: RequestOrigin.address)
            return Self.response(answer)
        }
    }

    static func response(_ answer: Answer) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(answer)) ?? Data(#"{"code":9999,"message":"服务器内部错误"}"#.utf8)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The whole check and the method, answered and counted.
    func handle(_ fields: [String: String], from address: String, now: Date = ServerClock.now()) async -> Answer {
        let appID = fields["appid"] ?? ""
        let method = fields["method"] ?? ""
        let answer: Answer
        do {
            answer = try await checkedCall(fields, appID: appID, method: method, from: address, now: now)
        } catch let refusal as Refusal {
            answer = Answer(refusal.code, refusal.message)
        } catch {
            answer = Answer(.otherError, "服务器处理请求时出错，请稍后重试；如持续出现请联系平台运维")
        }
        if !appID.isEmpty, appID.count <= 64 {
            try? await NationalCallModel(appID: appID, method: String(method.prefix(60)), code: answer.code, at: now)
                .create(on: database.database())
        }
        return answer
    }

    private func checkedCall(
        _ fields: [String: String], appID: String, method: String, from address: String, now: Date
    ) async throws -> Answer {
        let missing = Self.required.filter { (fields[$0] ?? "").isEmpty }
        guard missing.isEmpty else {
            throw Refusal(code: .invalidParameters, message: "缺少必填参数：\(missing.joined(separator: "、"))")
        }
        guard var app = try await apps.find(appID) else {
            throw Refusal(code: .invalidParameters, message: "appid“\(appID.prefix(64))”无效：未登记、已停用或已注销")
        }
        if let allowed = app.allowedIPs, !allowed.contains(address) {
            throw Refusal(code: .addressRefused, message: "来源地址 \(address) 不在该应用登记的地址范围内")
        }
        guard let secret = app.secrets.first(where: { NationalSignature.verify(fields, secret: $0) }) else {
            throw Refusal(
                code: .signatureFailed,
                message: "签名错误：请按接口规范把除 sign 外的参数按名称升序拼接、末尾加 appsecret、整体转小写后做 SHA-256")
        }
        app.secret = secret
        let timestamp = fields["timestamp"] ?? ""
        guard let sent = NationalTimestamp.parse(timestamp) else {
            throw Refusal(code: .invalidParameters, message: "timestamp 格式应为 yyyyMMddHHmmss（北京时间）")
        }
        guard abs(sent.timeIntervalSince(now)) <= policy.freshness else {
            throw Refusal(
                code: .invalidParameters,
                message:
                    "timestamp 与平台时间相差超过 \(Int(policy.freshness / 60)) 分钟：平台时间为 \(NationalTimestamp.format(now))（北京时间），请校准时钟或改用北京时间"
            )
        }
        if let permitted = app.methods, !permitted.contains(method) {
            throw Refusal(code: .notPermitted, message: "该应用未获准调用 \(method)")
        }
        let limit = app.ratePerMinute ?? policy.defaultRatePerMinute
        let recent = try await NationalCallModel.query(on: database.database()).filter(\.$appID == app.appID)
            .filter(\.$at > now.addingTimeInterval(-60)).count()
        guard recent < limit else {
            throw Refusal(code: .rateLimited, message: "调用过于频繁：该应用每分钟最多 \(limit) 次，请稍后再试")
        }
        try? await apps.touch(app, at: now)
        // Once per (appid, nonce, timestamp): a resend gets the first answer, processed once.
        let nonce = String((fields["nonce"] ?? "").prefix(64))
        let record = NationalRequestModel(
            appID: app.appID, nonce: nonce, timestamp: timestamp, sign: (fields["sign"] ?? "").lowercased(),
            method: String(method.prefix(60)), at: now)
        record.dataDigest = Digest.sha256Hex(method + "\n" + (fields["data"] ?? ""))
        do {
            try await record.create(on: database.database())
        } catch {
            return try await repeated(record)
        }
        // The same write resent with the same nonce and data under a new timestamp: processed once.
        if NationalWrites.asynchronous[method] != nil, let first = try await resent(record, since: now) {
            try await remember(first, for: record)
            return first
        }
        guard let data = NationalJSON.object(from: fields["data"] ?? "") else {
            let answer = Answer(.invalidParameters, "data 应为 JSON 对象")
            try await remember(answer, for: record)
            return answer
        }
        let answer: Answer
        do {
            answer = Answer(
                .success, "成功",
                data: try await methods.call(method, data: data, raw: fields["data"] ?? "", app: app, now: now))
        } catch let refusal as Refusal {
            answer = Answer(refusal.code, refusal.message)
        }
        try await remember(answer, for: record)
        return answer
    }

    private func remember(_ answer: Answer, for record: NationalRequestModel) async throws {
        record.answer = String(data: try JSONEncoder().encode(answer), encoding: .utf8)
        try await record.update(on: database.database())
    }

    /// How long a write resent under a new timestamp is still recognised as the same write.
    static let resendWindow: TimeInterval = 24 * 3600

    /// The answer of an earlier request of this app with the same nonce, method and data.
    private func resent(_ record: NationalRequestModel, since now: Date) async throws -> Answer? {
        guard
            let first = try await NationalRequestModel.query(on: database.database())
                .filter(\.$appID == record.appID).filter(\.$nonce == record.nonce)
                .filter(\.$dataDigest == record.dataDigest).filter(\.$id != record.uuid)
                .filter(\.$answer != nil).filter(\.$receivedAt > now.addingTimeInterval(-Self.resendWindow))
                .sort(\.$receivedAt).first(),
            let text = first.answer, let answer = try? JSONDecoder().decode(Answer.self, from: Data(text.utf8)),
            answer.code == NationalCode.success.rawValue
        else { return nil }
        return answer
    }

    /// The answer to a request already received with the same appid, nonce and timestamp.
    private func repeated(_ record: NationalRequestModel) async throws -> Answer {
        guard
            let first = try await NationalRequestModel.query(on: database.database())
                .filter(\.$appID == record.appID).filter(\.$nonce == record.nonce)
                .filter(\.$timestamp == record.timestamp).first()
        else { throw Refusal(code: .otherError, message: "请求登记失败，请稍后重试") }
        guard first.sign == record.sign else {
            throw Refusal(code: .invalidParameters, message: "nonce 已被同一时间戳的另一个请求使用，请为每个请求生成新的 nonce")
        }
        guard let text = first.answer, let answer = try? JSONDecoder().decode(Answer.self, from: Data(text.utf8))
        else { throw Refusal(code: .invalidParameters, message: "同一请求正在处理，请稍后用 AsyncHandleResult.Query 查询或重试") }
        return answer
    }
}

extension NationalGateway.Answer: Decodable {
    enum CodingKeys: String, CodingKey { case code, message, data }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(Int.self, forKey: .code)
        message = try container.decode(String.self, forKey: .message)
        data = try container.decodeIfPresent(NationalJSON.self, forKey: .data)
    }
}
