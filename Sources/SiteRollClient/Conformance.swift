import Foundation
import SiteRollNational

/// One step of a conformance run: what was checked, how it went, and why (issue 15 item 6).
public struct ConformanceStep: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case passed = "通过"
        case failed = "失败"
        /// Not run because a step it needs did not pass.
        case skipped = "跳过"
    }

    /// Stable identifier: the method (`Team.Add`), or `WrongSign`, `StaleTimestamp`, `Replay`.
    public var id: String
    /// What the person reading the output sees: `Team.Add 上传班组`, `错误签名应答 -2`.
    public var label: String
    public var outcome: Outcome
    /// The evidence on success, the reason on failure (the server's own text), what was missing on a skip.
    public var detail: String

    /// `[通过] CheckSign.Query 签名验证：…`
    public var line: String { "[\(outcome.rawValue)] \(label)" + (detail.isEmpty ? "" : "：\(detail)") }
}

/// The outcome of a whole run.
public struct ConformanceReport: Sendable {
    public var steps: [ConformanceStep]

    public var allPassed: Bool { !steps.isEmpty && steps.allSatisfy { $0.outcome == .passed } }

    public func step(_ id: String) -> ConformanceStep? { steps.first { $0.id == id } }

    public var summary: String {
        func count(_ outcome: ConformanceStep.Outcome) -> Int { steps.filter { $0.outcome == outcome }.count }
        return "共 \(steps.count) 步：通过 \(count(.passed))，失败 \(count(.failed))，跳过 \(count(.skipped))"
            + (allPassed ? "。全部通过" : "。未全部通过")
    }
}

/// `siteroll conformance`: a scripted sequence against any SiteRoll or national-compatible
/// platform (standards.md b.1–b.6) — credentials and signing, the protocol's refusals, then a unit,
/// a team and a worker through contract, training, entry, attendance and payroll, each write polled
/// to its asynchronous result. A step that fails reports the server's own text; the steps that need
/// it are skipped, saying which step they needed; the rest still run.
public struct Conformance: Sendable {
    public struct Options: Sendable {
        /// How long to wait for one asynchronous result.
        public var pollTimeout: Double = 30
        /// The project's dedicated wage account, for `Payroll.Add`'s paying account
        /// (`payBankCardNumber`, `payBankCode`, `payBankName`): SiteRoll, as the wage regulation
        /// asks, refuses a payroll paid from any other account. nil: a made-up ICBC card.
        public var payAccount: (number: String, bankCode: String, bankName: String)?
        public init() {}
    }

    public let client: NationalClient
    public var options: Options

    public init(client: NationalClient, options: Options = Options()) {
        self.client = client
        self.options = options
    }

    /// Runs every step in order, handing each to `progress` as soon as it is decided.
    public func run(progress: @escaping @Sendable (ConformanceStep) -> Void = { _ in }) async -> ConformanceReport {
        let run = ConformanceRun(client: client, options: options, progress: progress)
        await run.protocolChecks()
        await run.workflow()
        await run.queries()
        return ConformanceReport(steps: run.steps)
    }
}

/// A step's failure, in words for the person running the kit.
struct StepFailure: Error {
    var reason: String

    init(_ reason: String) { self.reason = reason }

    init(_ failure: NationalClient.Failure) {
        switch failure {
        case .transport(let why): reason = "无法连接平台：\(why)"
        case .httpStatus(let status, let body): reason = "HTTP \(status)（应为 200）：\(body)"
        case .malformedAnswer(let body): reason = "应答不是 {code, message, data}：\(body)"
        case .refused(let answer): reason = "应答 \(answer.code)：\(answer.message)"
        case .missingSerial(let answer): reason = "应答 0 但 data 中没有 requestSerialCode：\(answer.message)"
        case .stillWaiting(let serial, let seconds):
            reason = "异步结果 \(String(format: "%.0f", seconds)) 秒后仍为 0（待处理）：\(serial)"
        case .unusableSecret: reason = "appsecret 不是 16、24 或 32 个字节，不能用作 AES 密钥"
        }
    }
}

/// The state of one run: what earlier steps learned, and the steps so far. Used by one task only.
final class ConformanceRun {
    let client: NationalClient
    let options: Conformance.Options
    let progress: @Sendable (ConformanceStep) -> Void
    var steps: [ConformanceStep] = []
    var random = SystemRandomNumberGenerator()
    let started: Date

    // Learned from the platform.
    var projectCode: String
    var contractor: (code: String, name: String)?
    var teamSysNo: Int?
    var payrollCode: String?
    /// The step at which the platform could not be reached; the rest are skipped.
    var unreachable: String?

    // Made up for this run (ConformanceSamples).
    var unit: (code: String, name: String)
    var teamName: String
    var worker: (name: String, idNumber: String, phone: String)

    init(client: NationalClient, options: Conformance.Options, progress: @escaping @Sendable (ConformanceStep) -> Void)
    {
        self.client = client
        self.options = options
        self.progress = progress
        started = Date()
        projectCode = client.appID
        var generator = SystemRandomNumberGenerator()
        unit = (
            ConformanceSamples.creditCode(using: &generator),
            "联调测试建筑劳务有限公司" + ConformanceSamples.suffix(4, using: &generator)
        )
        teamName = "联调测试班组" + ConformanceSamples.suffix(6, using: &generator)
        let birth = ConformanceSamples.birthDate(today: started, using: &generator)
        worker = (
            ConformanceSamples.workerName(using: &generator),
            ConformanceSamples.citizenID(birthDate: birth, using: &generator),
            ConformanceSamples.mobile(using: &generator)
        )
    }

    /// Runs `body` as step `id` unless a step in `needs` did not pass; records and reports it.
    func step(_ id: String, _ label: String, needs: [String] = [], _ body: () async throws -> String) async {
        let outcome: ConformanceStep.Outcome
        let detail: String
        let missing = needs.filter { need in steps.first { $0.id == need }?.outcome != .passed }
        if let unreachable {
            (outcome, detail) = (.skipped, "平台无法连接（\(unreachable)），未执行")
        } else if !missing.isEmpty {
            (outcome, detail) = (.skipped, "需要先通过 \(missing.joined(separator: "、"))")
        } else {
            do {
                (outcome, detail) = (.passed, try await body())
            } catch let failure as StepFailure {
                (outcome, detail) = (.failed, failure.reason)
            } catch let failure as NationalClient.Failure {
                (outcome, detail) = (.failed, StepFailure(failure).reason)
                // Nothing after a connection failure would get further: the URL is wrong or down.
                if case .transport = failure { unreachable = id }
            } catch {
                (outcome, detail) = (.failed, "\(error)")
            }
        }
        let step = ConformanceStep(
            id: id, label: id.contains(".") ? "\(id) \(label)" : label, outcome: outcome, detail: detail)
        steps.append(step)
        progress(step)
    }

    /// CheckSign, Project.Query and the protocol's refusals (b.2, b.4, b.4a).
    func protocolChecks() async {
        await step("CheckSign.Query", "签名验证") {
            let answer = try await client.call(method: "CheckSign.Query", data: .object([:]))
            guard answer.code == 0 else { throw StepFailure(.refused(answer)) }
            return "应答 0：\(answer.message)"
        }
        await step("Project.Query", "项目查询") {
            let data = try await client.query(
                method: "Project.Query", data: .object(["pageIndex": .int(0), "pageSize": .int(10)]))
            let rows = Self.rows(data)
            guard let row = rows.first(where: { $0.string("projectCode") == client.appID }) ?? rows.first,
                let code = row.string("projectCode"), !code.isEmpty
            else { throw StepFailure("应答 0，但 rows 中没有带 projectCode 的项目：\(NationalClient.text(data).prefix(200))") }
            projectCode = code
            if let corp = row.string("contractorCorpCode"), !corp.isEmpty {
                contractor = (corp, row.string("contractorCorpName") ?? "")
            }
            return "项目 \(code) \(row.string("name") ?? "")，总承包单位 \(contractor?.name ?? "（未给出）")"
        }
        await step("WrongSign", "错误签名应答 -2") {
            var fields = client.form(method: "CheckSign.Query", data: "{}")
            fields["sign"] = nil
            fields["sign"] = NationalSignature.sign(fields, secret: "not-the-secret-of-this-appid-000")
            let answer = try await client.send(fields)
            guard answer.code == NationalCode.signatureFailed.rawValue else {
                throw StepFailure("用错误的 appsecret 签名，应答应为 -2，实为 \(answer.code)：\(answer.message)")
            }
            return "应答 -2：\(answer.message)"
        }
        await step("StaleTimestamp", "过期时间戳应答 -1") {
            let fields = client.form(
                method: "CheckSign.Query", data: "{}", timestamp: started.addingTimeInterval(-86_400))
            let answer = try await client.send(fields)
            guard answer.code == NationalCode.invalidParameters.rawValue else {
                throw StepFailure("timestamp 为 24 小时前，应答应为 -1，实为 \(answer.code)：\(answer.message)")
            }
            return "应答 -1：\(answer.message)"
        }
        await step("Replay", "重复请求得到相同应答") {
            // A second apart, so a platform that processes the resend again shows another serverTime.
            let fields = client.form(method: "CheckSign.Query", data: "{}")
            let first = try await client.send(fields)
            try? await Task.sleep(for: .milliseconds(1100))
            let second = try await client.send(fields)
            guard first == second else {
                throw StepFailure(
                    "同一请求（appid、nonce、timestamp、sign 相同）发送两次，应答不同：先 \(first.code) \(first.message)，后 \(second.code) \(second.message)"
                )
            }
            return "两次应答相同（\(first.code)：\(first.message)）"
        }
    }

    /// Submits a write and waits for its result; the result when it is 20, a failure naming it otherwise.
    func write(_ method: String, _ data: NationalJSON) async throws -> NationalClient.AsyncResult {
        let serial = try await client.submit(method: method, data: data)
        let result = try await client.waitForResult(serial: serial, timeout: options.pollTimeout)
        guard result.status == .succeeded else {
            throw StepFailure("异步结果 \(result.status.rawValue)：\(result.result ?? "（平台未给出原因）")")
        }
        return result
    }

    /// The objects of a query's `data`: `rows` of a page, an array, or a single object.
    static func rows(_ data: NationalJSON?) -> [[String: NationalJSON]] {
        switch data {
        case .object(let fields)?:
            if case .array(let rows)? = fields["rows"] { return rows.compactMap(\.fields) }
            return [fields]
        case .array(let rows)?: return rows.compactMap(\.fields)
        default: return []
        }
    }
}

extension NationalJSON {
    /// The fields of an object; nil for any other value.
    var fields: [String: NationalJSON]? {
        if case .object(let fields) = self { fields } else { nil }
    }
}
