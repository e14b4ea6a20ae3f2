import FluentKit
import Foundation
import OpenAPIRuntime
import SiteRollAPI
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// `/api/v1` writes of a project's people and pay (issue 15 item 5, G9, E2, E9): the same objects
/// as the national interface, in the same field names, through the very functions `/open.api`
/// runs (`NationalWrites`) — so both surfaces apply the same rules and refuse with the same words.
/// Numbers travel plain (TLS protects them). A caller is an enterprise account taking part in the
/// project, or the project's national app holding a token from `/auth/token`.
extension APIService {
    /// The caller of a write on `projectId`.
    func workforceCaller(_ projectId: String) async throws -> NationalCaller {
        let identity = try APIIdentity.requireAny()
        guard let id = UUID(uuidString: projectId) else { throw AppError.notFound }
        let db = projects.database.database()
        if let account = identity.account {
            guard account.role.kind == .enterprise, let scope = account.scope else { throw AppError.forbidden }
            guard let (project, standing) = try await projects.reach.project(id, in: scope) else {
                throw AppError.notFound
            }
            guard standing.canChange else { throw AppError.forbidden }
            return NationalCaller(
                app: nil, project: project, account: account, scope: scope, secret: nil,
                submitter: .enterprise(account))
        }
        guard let app = identity.app, let found = try await nationalApps.find(app.appID), found.projectID == id
        else {
            throw AppError(
                .forbidden, code: "APP_TOKEN_NOT_ALLOWED", message: "该接入系统令牌不能写入此项目：请使用该项目的 appid 换取的令牌或企业账号")
        }
        var caller = try await NationalCaller.make(found, on: db)
        caller.app = nil
        caller.secret = nil
        return caller
    }

    /// A generated body as the national object it mirrors.
    static func fields(_ body: some Encodable) throws -> [String: NationalJSON] {
        let data = try JSONEncoder().encode(body)
        guard let fields = NationalJSON.object(from: String(decoding: data, as: UTF8.self)) else {
            throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON 对象")
        }
        return fields
    }

    /// Runs one national write for REST: its result, or 422 with the texts that say what to fix.
    func write(
        _ projectId: String, _ body: some Encodable,
        _ run: (NationalWrites, [String: NationalJSON], NationalCaller) async throws -> NationalWrites.Outcome
    ) async throws -> Components.Schemas.WriteResult {
        let caller = try await workforceCaller(projectId)
        var fields = try Self.fields(body)
        fields["projectCode"] = .string(caller.project.code)
        let outcome: NationalWrites.Outcome
        do {
            outcome = try await run(nationalWrites, fields, caller)
        } catch let refusal as NationalGateway.Refusal {
            throw AppError(.unprocessableContent, code: "WRITE_REFUSED", message: refusal.message)
        }
        switch outcome {
        case .failed(let text):
            throw AppError(.unprocessableContent, code: "WRITE_REFUSED", message: text)
        case .succeeded(let result):
            var answer = Components.Schemas.WriteResult(message: "已处理")
            let parsed = result.flatMap { try? JSONDecoder().decode(NationalJSON.self, from: Data($0.utf8)) }
            if case .object(let object)? = parsed { answer.teamSysNo = object.integer("teamSysNo") }
            if case .array(let items)? = parsed, case .object(let first)? = items.first {
                answer.payrollCode = first.string("payrollCode")
            }
            return answer
        }
    }

    func addProjectUnit(_ input: Operations.AddProjectUnit.Input) async throws -> Operations.AddProjectUnit.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        return .ok(
            .init(
                body: .json(
                    try await write(input.path.projectId, body) { try await $0.subContractorAdd($1, caller: $2) })))
    }

    func updateProjectUnit(_ input: Operations.UpdateProjectUnit.Input) async throws
        -> Operations.UpdateProjectUnit.Output
    {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        let code = input.path.corpCode
        return .ok(
            .init(
                body: .json(
                    try await write(input.path.projectId, body) { writes, fields, caller in
                        var fields = fields
                        fields["corpCode"] = .string(code)
                        return try await writes.subContractorUpdate(fields, caller: caller)
                    })))
    }

    func addTeam(_ input: Operations.AddTeam.Input) async throws -> Operations.AddTeam.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        return .ok(
            .init(body: .json(try await write(input.path.projectId, body) { try await $0.teamAdd($1, caller: $2) })))
    }

    func updateTeam(_ input: Operations.UpdateTeam.Input) async throws -> Operations.UpdateTeam.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        let sysNo = input.path.teamSysNo
        return .ok(
            .init(
                body: .json(
                    try await write(input.path.projectId, body) { writes, fields, caller in
                        var fields = fields
                        fields["teamSysNo"] = .int(sysNo)
                        return try await writes.teamUpdate(fields, caller: caller)
                    })))
    }

    func registerProjectWorkers(_ input: Operations.RegisterProjectWorkers.Input) async throws
        -> Operations.RegisterProjectWorkers.Output
    {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        return .ok(
            .init(
                body: .json(
                    try await write(input.path.projectId, body) { try await $0.projectWorkerAdd($1, caller: $2) })))
    }

    func recordEntriesAndExits(_ input: Operations.RecordEntriesAndExits.Input) async throws
        -> Operations.RecordEntriesAndExits.Output
    {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        return .ok(
            .init(
                body: .json(try await write(input.path.projectId, body) { try await $0.entryExitAdd($1, caller: $2) })))
    }

    func addContracts(_ input: Operations.AddContracts.Input) async throws -> Operations.AddContracts.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        return .ok(
            .init(body: .json(try await write(input.path.projectId, body) { try await $0.contractAdd($1, caller: $2) }))
        )
    }

    func addTraining(_ input: Operations.AddTraining.Input) async throws -> Operations.AddTraining.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        return .ok(
            .init(body: .json(try await write(input.path.projectId, body) { try await $0.trainingAdd($1, caller: $2) }))
        )
    }

    func addPayrollLines(_ input: Operations.AddPayrollLines.Input) async throws -> Operations.AddPayrollLines.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        return .ok(
            .init(body: .json(try await write(input.path.projectId, body) { try await $0.payrollAdd($1, caller: $2) })))
    }

    // MARK: Payroll state, submission and warnings

    /// The payroll with this code, if the caller's standing sees its unit.
    private func payroll(_ projectId: String, code: String) async throws -> (PayrollModel, ProjectModel, AccessScope) {
        let caller = try await workforceCallerOrReader(projectId)
        guard
            let found = try await PayrollModel.query(on: projects.database.database())
                .filter(\.$projectID == caller.project.uuid).filter(\.$code == code).first()
        else { throw AppError.notFound }
        let (_, standing) =
            try await projects.reach.project(caller.project.uuid, in: caller.scope) ?? (caller.project, .worker)
        return (
            try await wages.payrolls.payroll(found.uuid, project: caller.project.uuid, standing: standing),
            caller.project,
            caller.scope
        )
    }

    /// Writers, and regulators reading.
    private func workforceCallerOrReader(_ projectId: String) async throws -> (
        project: ProjectModel, scope: AccessScope
    ) {
        if let account = APIIdentity.current?.account, account.role.kind == .regulator, let scope = account.scope {
            guard let id = UUID(uuidString: projectId),
                let (project, _) = try await projects.reach.project(id, in: scope)
            else { throw AppError.notFound }
            return (project, scope)
        }
        let caller = try await workforceCaller(projectId)
        return (caller.project, caller.scope)
    }

    func state(_ payroll: PayrollModel, project: ProjectModel) async throws -> Components.Schemas.PayrollState {
        let review = try await wages.payrolls.review(payroll, project: project)
        return .init(
            payrollCode: payroll.code, payMonth: payroll.payMonth, status: payroll.status,
            statusName: WageReads.statusNames[payroll.status] ?? payroll.status,
            findings: payroll.status == "draft"
                ? review.findings.map {
                    .init(key: $0.overrideKey, message: $0.message, blocking: $0.severity == .blocking)
                } : nil,
            lines: review.lines.map { line in
                .init(
                    workerName: review.names[line.workerID] ?? "",
                    idCardNumberMasked: review.masked[line.workerID] ?? "",
                    days: line.manDays, totalPayAmount: Double(line.dueFen) / 100,
                    actualAmount: Double(line.paidFen) / 100,
                    balanceDate: line.paidOn, status: line.status, failureReason: line.failureReason)
            })
    }

    func getPayroll(_ input: Operations.GetPayroll.Input) async throws -> Operations.GetPayroll.Output {
        let (payroll, project, _) = try await self.payroll(input.path.projectId, code: input.path.payrollCode)
        return .ok(.init(body: .json(try await state(payroll, project: project))))
    }

    func submitPayroll(_ input: Operations.SubmitPayroll.Input) async throws -> Operations.SubmitPayroll.Output {
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        let caller = try await workforceCaller(input.path.projectId)
        let (payroll, project, _) = try await self.payroll(input.path.projectId, code: input.path.payrollCode)
        _ = try await wages.payrolls.submit(
            payroll: payroll.uuid, project: project.uuid, overrides: body.overrides?.additionalProperties ?? [:],
            scope: caller.scope, by: caller.account)
        let fresh = try await wages.payrolls.payroll(payroll.uuid, project: project.uuid, standing: .contractor)
        return .ok(.init(body: .json(try await state(fresh, project: project))))
    }

    func listProjectWarnings(_ input: Operations.ListProjectWarnings.Input) async throws
        -> Operations.ListProjectWarnings.Output
    {
        let (project, scope) = try await workforceCallerOrReader(input.path.projectId)
        let found = try await warnings.list(
            in: scope, .init(statuses: nil, projectIDs: [project.uuid]), limit: 500)
        return .ok(
            .init(
                body: .json(
                    found.rows.map { warning in
                        let rule = WarningRuleID(rawValue: warning.ruleID).map { WarningCatalogue.rule($0) }
                        return .init(
                            id: warning.uuid.uuidString, kind: warning.ruleID, kindName: rule?.title ?? warning.ruleID,
                            level: warning.severity, message: warning.summary, status: warning.status,
                            raisedAt: warning.firstSeenAt)
                    })))
    }
}
