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

    /// A date `yyyy-MM-dd` (also accepts `yyyy/M/d` and `yyyy.M.d`).
    mutating func date(_ value: String, _ label: String, required: Bool = false) -> LocalDate? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        guard let date = Self.parseDate(text) else {
            add("\(label)格式应为 年-月-日，例如 2026-03-01")
            return nil
        }
        return date
    }

    static func parseDate(_ text: String) -> LocalDate? {
        let normalized = text.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
            .replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-")
            .replacingOccurrences(of: "日", with: "")
        let parts = normalized.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return LocalDate(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Money in yuan with at most two decimals, as fen; `unit` multiplies (万元 → 10 000).
    mutating func money(_ value: String, _ label: String, required: Bool, unit: Int64 = 1) -> Int64? {
        let text = value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        guard let fen = Self.fen(text, unit: unit), fen >= 0 else {
            add("\(label)应为不小于 0 的金额，最多两位小数")
            return nil
        }
        return fen
    }

    /// "350", "350.5", "350.50" → fen, exactly (no floating point).
    static func fen(_ text: String, unit: Int64 = 1) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, whole < 1_000_000_000_000 else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let decimals = parts[1]
            let allowed = unit == 1 ? 2 : 6
            guard !decimals.isEmpty, decimals.count <= allowed, decimals.allSatisfy(\.isNumber),
                let value = Int64(decimals)
            else { return nil }
            var scaled = value
            for _ in decimals.count..<allowed { scaled *= 10 }
            cents = unit == 1 ? scaled : scaled * unit * 100 / 1_000_000
        }
        return whole * unit * 100 + cents
    }

    mutating func phone(_ value: String, _ label: String, required: Bool = false) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add("请填写\(label)") }
            return nil
        }
        let digits = text.filter { $0.isNumber }
        guard digits.count >= 7, digits.count <= 20, text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == " " }) else {
            add("\(label)格式不正确")
            return nil
        }
        return text
    }
}
