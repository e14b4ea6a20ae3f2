import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Who reaches which project, and what they may change there (DESIGN.md: an enterprise's reach is
/// itself and the projects it takes part in; a regulator's is its division; a worker's is the
/// projects they work on). Every project service asks here, so the rule is written once.
struct ProjectReach: Sendable {
    let database: DatabaseService

    /// How a viewer stands towards one project.
    enum Standing: Sendable, Equatable {
        case regulator
        /// The general contractor: manages the whole project.
        case contractor
        /// A participating unit's staff: manages that unit's teams, contracts and workers.
        case unit(Set<UUID>)
        case worker
    }

    /// Project ids a scope reaches; nil for a regulator, whose reach is a division prefix.
    func projectIDs(for scope: AccessScope) async throws -> [UUID]? {
        let db = database.database()
        switch scope {
        case .division:
            return nil
        case .enterprise(let id, _):
            let own = try await ProjectModel.query(on: db).filter(\.$contractorEnterpriseID == id).all(\.$id)
            let joined = try await ProjectUnitModel.query(on: db).filter(\.$enterpriseID == id).all(\.$projectID)
            return Array(Set(own + joined))
        case .worker(let id, _):
            let ids = try await ProjectWorkerModel.query(on: db).filter(\.$workerID == id).all(\.$projectID)
            return Array(Set(ids))
        }
    }

    /// The project, if the scope reaches it, with the viewer's standing; nil reads as 404.
    func project(_ id: UUID, in scope: AccessScope) async throws -> (ProjectModel, Standing)? {
        let db = database.database()
        guard let project = try await ProjectModel.find(id, on: db) else { return nil }
        switch scope {
        case .division(let division):
            guard DivisionCode(project.divisionCode).map(division.reaches) == true else { return nil }
            return (project, .regulator)
        case .enterprise(let enterpriseID, _):
            if project.contractorEnterpriseID == enterpriseID { return (project, .contractor) }
            let units = try await ProjectUnitModel.query(on: db).filter(\.$projectID == id)
                .filter(\.$enterpriseID == enterpriseID).all(\.$id)
            return units.isEmpty ? nil : (project, .unit(Set(units.compactMap { $0 })))
        case .worker(let workerID, _):
            let count = try await ProjectWorkerModel.query(on: db).filter(\.$projectID == id)
                .filter(\.$workerID == workerID).count()
            return count > 0 ? (project, .worker) : nil
        }
    }

    /// The project for a change: refuses viewers who only read.
    func projectForChange(_ id: UUID, in scope: AccessScope) async throws -> (ProjectModel, Standing) {
        guard let (project, standing) = try await project(id, in: scope) else { throw AppError.notFound }
        switch standing {
        case .contractor, .unit: return (project, standing)
        case .regulator, .worker: throw AppError.forbidden
        }
    }
}

extension ProjectReach.Standing {
    var isContractor: Bool { self == .contractor }

    /// Enterprises taking part change things; regulators and workers read.
    var canChange: Bool {
        switch self {
        case .contractor, .unit: true
        case .regulator, .worker: false
        }
    }

    /// Whether this standing may act for `unitID` (the general contractor acts for every unit).
    func manages(unit unitID: UUID) -> Bool {
        switch self {
        case .contractor: true
        case .unit(let units): units.contains(unitID)
        case .regulator, .worker: false
        }
    }

    /// Whether this standing reads `unitID`'s payrolls, payments and reconciliation: regulators and
    /// the general contractor see every unit; a unit's staff only their own (S1, E9). Workers read
    /// their own lines through their own pages, never a unit's.
    func sees(unit unitID: UUID) -> Bool {
        switch self {
        case .regulator, .contractor: true
        case .unit(let units): units.contains(unitID)
        case .worker: false
        }
    }

    /// The dedicated account's balance and statement carry every unit's workers and the builder's
    /// transfers: the general contractor (who holds the account) and regulators read them.
    var seesProjectAccount: Bool {
        switch self {
        case .regulator, .contractor: true
        case .unit, .worker: false
        }
    }

    /// The units this standing's wage views are limited to; nil for all of them.
    var unitLimit: Set<UUID>? {
        switch self {
        case .regulator, .contractor: nil
        case .unit(let units): units
        case .worker: []
        }
    }

    func requireProjectAccount() throws {
        guard seesProjectAccount else {
            throw AppError(
                .forbidden, code: "ACCOUNT_CONTRACTOR_ONLY",
                message: "农民工工资专用账户的余额和流水只有总承包单位和主管部门可以查看；本单位工资的发放情况请在各工资表的“代发”页面查看")
        }
    }

    func requireContractor() throws {
        guard isContractor else {
            throw AppError(.forbidden, code: "CONTRACTOR_ONLY", message: "此项操作须由项目的总承包单位办理")
        }
    }

    func requireUnit(_ unitID: UUID) throws {
        guard manages(unit: unitID) else {
            throw AppError(.forbidden, code: "UNIT_NOT_MANAGED", message: "只能办理本单位在该项目上的事项")
        }
    }
}

/// Parsing helpers shared by the project forms: every refusal names the field in Chinese.
struct FieldProblems: Sendable {
    private(set) var messages: [String] = []
    /// The stable code of each problem that has its own (e.g. GEOFENCE_…), nil for the rest.
    private var codes: [String?] = []

    var isEmpty: Bool { messages.isEmpty }

    mutating func add(_ message: String, code: String? = nil) {
        messages.append(message)
        codes.append(code)
    }

    /// After `throwIfAny`: a field that every problem-free form has was still missing. Cannot
    /// happen while each parser adds a problem for what it returns nil for; a refusal, not a trap,
    /// if a later change breaks that.
    static func incomplete(_ code: String) -> AppError {
        AppError(.unprocessableContent, code: code, message: "表单内容不完整，请检查后重新提交")
    }

    /// Throws the problems as one refusal: under the single problem's own code when there is one
    /// such problem, otherwise under `code`.
    func throwIfAny(_ code: String) throws {
        guard !messages.isEmpty else { return }
        let specific = codes.count == 1 ? codes[0] : nil
        throw AppError(.unprocessableContent, code: specific ?? code, message: messages.joined(separator: "；"))
    }

    /// A required text of at most `max` characters.
    mutating func required(_ value: String, _ label: String, max: Int = 200) -> String {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { add("请填写\(label)") } else if text.count > max { add("\(label)不能超过 \(max) 个字") }
        return text
    }

    /// An optional text; nil when empty.
    mutating func optional(_ value: String, _ label: String, max: Int = 200) -> String? {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > max { add("\(label)不能超过 \(max) 个字") }
        return text.isEmpty ? nil : text
    }

    /// A code that must be in `table`.
    mutating func code(_ value: String, in table: CodeTable, _ label: String, required: Bool = true) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请选择\(label)") }
            return nil
        }
        guard table.contains(text) else {
            add("\(label)代码“\(text)”不在国家代码表中")
            return nil
        }
        return text
    }

    /// A date `yyyy-MM-dd` (also accepts `yyyy/M/d` and `yyyy.M.d`) within `RequestBounds.years`.
    mutating func date(_ value: String, _ label: String, required: Bool = false) -> LocalDate? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        guard let date = RequestBounds.date(text) else {
            add(RequestBounds.dateError(label).message, code: "DATE_INVALID")
            return nil
        }
        return date
    }

    /// A date as people type it, within `RequestBounds.years`; nil otherwise.
    static func parseDate(_ text: String) -> LocalDate? { RequestBounds.date(text) }

    /// A decimal number typed by a person (`DecimalText`: no `nan`, `inf` or exponents) within
    /// `range`; nil when empty.
    mutating func decimal(
        _ value: String, _ label: String, in range: ClosedRange<Double>, maxFractionDigits: Int = 2,
        required: Bool = false
    ) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        guard let number = DecimalText.parse(text, in: range, maxFractionDigits: maxFractionDigits) else {
            add(
                "\(label)应为 \(DecimalText.text(range.lowerBound)) 到 \(DecimalText.text(range.upperBound)) 之间的数字，最多 \(maxFractionDigits) 位小数"
            )
            return nil
        }
        return number
    }

    /// Money in yuan with at most two decimals, as fen; `unit` multiplies (万元 → 10 000).
    mutating func money(
        _ value: String, _ label: String, required: Bool, unit: Int64 = 1, limit: Int64 = Money.limitFen
    ) -> Int64? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        guard let fen = Money.fen(fromYuan: text, unit: unit, limit: limit) else {
            add("\(label)应为 0 到 \(Money.yuan(limit)) 元之间的金额，最多两位小数")
            return nil
        }
        return fen
    }

    /// A contact number: a mobile number by `PhoneNumber`'s one rule, or a landline.
    mutating func phone(_ value: String, _ label: String, required: Bool = false) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        if let problem = PhoneNumber.contactProblem(text) {
            add(label + problem)
            return nil
        }
        return text
    }
}
