import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// The national methods on SiteRoll's own data (reference b.5, b.6): each reads or writes through
/// the services the consoles use; a national field maps onto a SiteRoll field (docs/national-interface.md).
struct NationalMethods: Sendable {
    let database: DatabaseService
    let jobs: NationalJobs
    let apps: NationalApps
    let queries: NationalQueries

    typealias Refusal = NationalGateway.Refusal

    /// Every method this platform answers (b.5 and CheckSign.Query); any other answers 9999.
    static let available = Set(["CheckSign.Query", "Project.Query", "AsyncHandleResult.Query"])
        .union(NationalWrites.asynchronous.keys).union(NationalQueries.methods)

    func call(_ method: String, data: [String: NationalJSON], raw: String, app: NationalApp, now: Date) async throws
        -> NationalJSON?
    {
        if let required = NationalWrites.asynchronous[method] {
            let missing = required.filter { data[$0] == nil || data[$0] == .null }
            guard missing.isEmpty else {
                throw Refusal(code: .invalidParameters, message: "data 缺少必填字段：\(missing.joined(separator: "、"))")
            }
            let serial = try await jobs.enqueue(method, data: raw, app: app, now: now)
            // Processed now in this process; any other process would claim it as well.
            let jobs = self.jobs
            let apps = self.apps
            Task { try? await jobs.runDue(apps: apps) }
            return .object(["requestSerialCode": .string(serial)])
        }
        switch method {
        case "AsyncHandleResult.Query":
            guard let serial = data.string("requestSerialCode"), !serial.isEmpty,
                let job = try await jobs.job(serial, app: app)
            else { throw Refusal(code: .invalidParameters, message: "requestSerialCode 不存在，或不是该应用提交的请求") }
            return .object(["status": .int(job.status), "result": NationalJSON.text(job.result)])
        case "CheckSign.Query":
            return .object([
                "appid": .string(app.appID), "serverTime": .string(NationalTimestamp.format(now)),
                "result": .string("签名验证通过"),
            ])
        case "Project.Query":
            return try await projectQuery(data, app: app)
        case let query where NationalQueries.methods.contains(query):
            let caller = try await NationalCaller.make(app, on: database.database())
            if let code = data.string("projectCode"), !code.isEmpty { try caller.requireProject(data) }
            return try await queries.call(query, data: data, caller: caller)
        default:
            throw Refusal(code: .otherError, message: "本平台暂未开放方法 \(method.prefix(60))")
        }
    }

    /// Paging as the national platform pages: 0-based, at most 50 rows.
    static func page(_ data: [String: NationalJSON]) throws -> (index: Int, size: Int) {
        let index = data.integer("pageIndex") ?? 0
        let size = data.integer("pageSize") ?? 10
        guard index >= 0, index <= 100_000 else {
            throw Refusal(code: .invalidParameters, message: "pageIndex 应为从 0 开始的页码")
        }
        guard (1...50).contains(size) else { throw Refusal(code: .invalidParameters, message: "pageSize 应在 1 到 50 之间") }
        return (index, size)
    }

    static func rows(_ rows: [NationalJSON], total: Int, page: (index: Int, size: Int)) -> NationalJSON {
        .object([
            "pageIndex": .int(page.index), "pageSize": .int(page.size), "totalCount": .int(total),
            "pageCount": .int((total + page.size - 1) / page.size), "rows": .array(rows),
        ])
    }

    /// `Project.Query`: the app's own project ("一项目一密钥"); `projectCode`, when given, must be it.
    func projectQuery(_ data: [String: NationalJSON], app: NationalApp) async throws -> NationalJSON {
        let page = try Self.page(data)
        guard let projectID = app.projectID,
            let project = try await ProjectModel.find(projectID, on: database.database())
        else { return Self.rows([], total: 0, page: page) }
        if let code = data.string("projectCode"), !code.isEmpty, code != project.code {
            throw Refusal(code: .invalidParameters, message: "projectCode“\(code.prefix(40))”不是该 appid 对应的项目")
        }
        let rows = page.index == 0 ? [Self.project(project)] : []
        return Self.rows(rows, total: 1, page: page)
    }

    /// One project in the national field names (b.6 Project).
    static func project(_ project: ProjectModel) -> NationalJSON {
        var fields: [String: NationalJSON] = [
            "projectCode": .string(project.code), "name": .string(project.name),
            "contractorCorpCode": .string(project.contractorCreditCode),
            "contractorCorpName": .string(project.contractorName), "category": .string(project.category),
            "areaCode": .string(project.divisionCode), "prjStatus": .string(project.status),
            "description": .text(project.description), "buildCorpName": .text(project.builderName),
            "buildCorpCode": .text(project.builderCreditCode), "address": .text(project.address),
            "startDate": .text(project.startDate), "completeDate": .text(project.completionDate),
            "linkMan": .text(project.linkMan), "linkPhone": .text(project.linkPhone),
            "approvalNum": .text(project.approvalNumber), "approvalLevelNum": .text(project.approvalLevel),
            "prjSize": .text(project.size), "propertyNum": .text(project.nature),
            "functionNum": .text(project.function),
        ]
        // 万元 with up to six decimals, from fen.
        fields["invest"] = project.investFen.map { .double(Double($0) / 1_000_000) } ?? .null
        fields["buildingArea"] = project.buildingArea.map { .double($0) } ?? .null
        fields["lat"] = project.latitude.map { .double($0) } ?? .null
        fields["lng"] = project.longitude.map { .double($0) } ?? .null
        return .object(fields)
    }
}
