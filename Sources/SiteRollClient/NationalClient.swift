import AsyncHTTPClient
import Foundation
import NIOCore
import SiteRollNational

/// A Swift client of the national open interface (standards.md b.1–b.4, issue 15 item 5): it
/// builds the form, signs it with `NationalSignature`, encrypts the "AES" fields with
/// `NationalFieldCipher`, posts with AsyncHTTPClient and polls asynchronous writes. It talks to
/// SiteRoll's `/open.api` or to any national-compatible platform.
///
/// ```swift
/// let client = NationalClient(url: "http://127.0.0.1:8080/open.api", appID: appID, secret: secret)
/// let serial = try await client.submit(method: "WorkerAttendance.Add", data: .object([...]))
/// let result = try await client.waitForResult(serial: serial)  // status 20 or 10
/// ```
///
/// The server's messages are Chinese and are passed through as they are; a refusal, a transport
/// failure or an answer that is not the national envelope is a `NationalClient.Failure`, never a
/// crash.
public struct NationalClient: Sendable {
    /// The national answer `{code, message, data}`; `code` 0 is success (b.4).
    public struct Answer: Sendable, Equatable {
        public var code: Int
        public var message: String
        public var data: NationalJSON?

        /// The code as the national table names it; nil for a code outside b.4.
        public var nationalCode: NationalCode? { NationalCode(rawValue: code) }
    }

    /// An asynchronous write's outcome from `AsyncHandleResult.Query` (b.4, c.24).
    public struct AsyncResult: Sendable, Equatable {
        public var serial: String
        public var status: NationalAsyncStatus
        /// The server's text: the reason when failed, a JSON string for some successes.
        public var result: String?
        /// How many `AsyncHandleResult.Query` calls it took.
        public var polls: Int
        /// `result` read as JSON (`{"teamSysNo": 7}`, `[{"payrollCode": …}]`), when it is JSON.
        public var resultJSON: NationalJSON? {
            result.flatMap { try? JSONDecoder().decode(NationalJSON.self, from: Data($0.utf8)) }
        }
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// No HTTP answer (connection refused, timeout, TLS).
        case transport(String)
        /// An HTTP status other than 200; the start of the body.
        case httpStatus(Int, String)
        /// A 200 whose body is not `{code, message, data}`; the start of the body.
        case malformedAnswer(String)
        /// The platform answered with a code other than 0.
        case refused(Answer)
        /// An asynchronous write answered 0 without `data.requestSerialCode`.
        case missingSerial(Answer)
        /// The write was still waiting (status 0) when the time ran out.
        case stillWaiting(serial: String, seconds: Double)
        /// The secret cannot be an AES key (b.3: 16, 24 or 32 bytes).
        case unusableSecret

        public var description: String {
            switch self {
            case .transport(let reason): "no answer from the platform: \(reason)"
            case .httpStatus(let status, let body): "HTTP \(status): \(body)"
            case .malformedAnswer(let body): "not a national answer {code, message, data}: \(body)"
            case .refused(let answer): "code \(answer.code): \(answer.message)"
            case .missingSerial(let answer): "code 0 without data.requestSerialCode: \(answer.message)"
            case .stillWaiting(let serial, let seconds):
                "\(serial) still waiting (status 0) after \(String(format: "%.1f", seconds)) s"
            case .unusableSecret: "the secret is not 16, 24 or 32 bytes, so it cannot be the AES key"
            }
        }
    }

    public let url: String
    public let appID: String
    let secret: String
    let httpClient: HTTPClient
    /// How long one HTTP exchange may take.
    public var requestTimeout: TimeAmount = .seconds(30)

    public init(url: String, appID: String, secret: String, httpClient: HTTPClient = .shared) {
        self.url = url
        self.appID = appID
        self.secret = secret
        self.httpClient = httpClient
    }

    /// An "AES" field's value (b.3): ID and bank card numbers travel encrypted under the secret.
    public func encrypt(_ plaintext: String) throws(Failure) -> String {
        do {
            return try NationalFieldCipher.encrypt(plaintext, secret: secret)
        } catch {
            throw .unusableSecret
        }
    }

    /// The plain text of an "AES" field in an answer; nil when it is not encrypted under this secret.
    public func decrypt(_ base64: String) -> String? { try? NationalFieldCipher.decrypt(base64, secret: secret) }

    /// Calls `method` and returns the answer whatever its code (a refusal is an answer here).
    public func call(method: String, data: NationalJSON) async throws(Failure) -> Answer {
        try await send(form(method: method, data: Self.text(data)))
    }

    /// Calls `method` and returns its `data`, throwing `.refused` for any code but 0.
    public func query(method: String, data: NationalJSON) async throws(Failure) -> NationalJSON? {
        let answer = try await call(method: method, data: data)
        guard answer.code == NationalCode.success.rawValue else { throw .refused(answer) }
        return answer.data
    }

    /// Sends an asynchronous write (`….Add`, `….Update`) and returns its `requestSerialCode`.
    public func submit(method: String, data: NationalJSON) async throws(Failure) -> String {
        let answer = try await call(method: method, data: data)
        guard answer.code == NationalCode.success.rawValue else { throw .refused(answer) }
        guard case .object(let fields)? = answer.data, let serial = fields.string("requestSerialCode"),
            !serial.isEmpty
        else { throw .missingSerial(answer) }
        return serial
    }

    /// Polls `AsyncHandleResult.Query` until the write is decided (status 10 or 20), waiting a
    /// little longer after each "still waiting" (from `firstInterval`, ×1.5, at most two seconds),
    /// for at most `timeout` seconds.
    public func waitForResult(
        serial: String, timeout: Double = 30, firstInterval: Duration = .milliseconds(100)
    ) async throws(Failure) -> AsyncResult {
        let clock = ContinuousClock()
        let started = clock.now
        var interval = firstInterval
        var polls = 0
        while true {
            polls += 1
            let data = try await query(
                method: "AsyncHandleResult.Query", data: .object(["requestSerialCode": .string(serial)]))
            guard case .object(let fields)? = data, let code = fields.integer("status"),
                let status = NationalAsyncStatus(rawValue: code)
            else {
                throw .malformedAnswer("AsyncHandleResult.Query data without a status 0/10/20: \(Self.text(data))")
            }
            if status != .waiting {
                let result: String? =
                    switch fields["result"] {
                    case .string(let text)?: text
                    case .null?, nil: nil
                    case let other?: Self.text(other)
                    }
                return AsyncResult(serial: serial, status: status, result: result, polls: polls)
            }
            let waited = clock.now - started
            guard waited < .seconds(timeout) else {
                throw .stillWaiting(serial: serial, seconds: Double(waited.components.seconds))
            }
            try? await Task.sleep(for: interval)
            interval = min(interval * 1.5, .seconds(2))
        }
    }
}

extension NationalClient {
    /// The signed form of b.1 for `method` with `data` (a JSON text, signed exactly as sent).
    /// `timestamp` and `nonce` may be given to build a stale or repeated request on purpose.
    public func form(method: String, data: String, timestamp: Date = Date(), nonce: String? = nil) -> [String: String] {
        var fields = [
            "appid": appID, "method": method, "format": "json", "version": "1.0",
            "timestamp": NationalTimestamp.format(timestamp),
            "nonce": nonce ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
            "data": data,
        ]
        fields["sign"] = NationalSignature.sign(fields, secret: secret)
        return fields
    }

    /// Posts a form as it is (already signed, or deliberately wrong) and decodes the answer.
    public func send(_ fields: [String: String]) async throws(Failure) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: Self.formBody(fields)))
        let status: UInt
        let body: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: requestTimeout)
            status = response.status.code
            body = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw .transport(String(describing: error))
        }
        let text = String(buffer: body)
        guard status == 200 else { throw .httpStatus(Int(status), String(text.prefix(300))) }
        guard let answer = Self.answer(Data(body.readableBytesView)) else {
            throw .malformedAnswer(String(text.prefix(300)))
        }
        return answer
    }

    /// `application/x-www-form-urlencoded`, every value percent-encoded (UTF-8), keys in order.
    static func formBody(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\(encode($0.key))=\(encode($0.value))" }.joined(separator: "&")
    }

    /// Only the unreserved ASCII characters stay as they are; everything else is `%XX` of UTF-8.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// The answer envelope; `code` accepted as a number or a numeric string (some clones), a
    /// missing `message` read as empty. nil when the body is not such an object.
    static func answer(_ body: Data) -> Answer? {
        guard case .object(let fields)? = try? JSONDecoder().decode(NationalJSON.self, from: body),
            let code = fields.integer("code")
        else { return nil }
        let data = fields["data"].flatMap { $0 == .null ? nil : $0 }
        return Answer(code: code, message: fields.string("message") ?? "", data: data)
    }

    /// `yyyy-MM-dd` in Beijing time: the national date fields (`entryTime`, `trainingDate`, …).
    public static func dateText(_ date: Date) -> String {
        let t = Array(NationalTimestamp.format(date))
        return String(t[0..<4]) + "-" + String(t[4..<6]) + "-" + String(t[6..<8])
    }

    /// `yyyy-MM-dd HH:mm:ss` in Beijing time: a swipe's `date` (b.6 WorkerAttendance).
    public static func dateTimeText(_ date: Date) -> String {
        let t = Array(NationalTimestamp.format(date))
        return dateText(date) + " " + String(t[8..<10]) + ":" + String(t[10..<12]) + ":" + String(t[12..<14])
    }

    /// Compact JSON text of `value` (keys sorted, slashes and Chinese as they are).
    public static func text(_ value: NationalJSON?) -> String {
        guard let value else { return "null" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
