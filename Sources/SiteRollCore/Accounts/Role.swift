/// Who an account is for (S1): a regulator of a division, an enterprise's staff, a worker, or a system.
public enum AccountKind: String, Sendable, Codable, CaseIterable {
    case regulator
    case enterprise
    case worker

    public var chineseName: String {
        switch self {
        case .regulator: "监管部门"
        case .enterprise: "企业"
        case .worker: "建筑工人"
        }
    }
}

/// Roles within each kind. A role belongs to exactly one kind.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Manages regulator accounts of its own division and the divisions beneath it.
    case regulatorAdmin
    case regulator
    /// Manages the enterprise's own accounts.
    case enterpriseAdmin
    /// 劳资专管员: the labour officer who keeps the real-name records of the enterprise's workers.
    case labourOfficer
    case worker

    public var kind: AccountKind {
        switch self {
        case .regulatorAdmin, .regulator: .regulator
        case .enterpriseAdmin, .labourOfficer: .enterprise
        case .worker: .worker
        }
    }

    public var chineseName: String {
        switch self {
        case .regulatorAdmin: "监管管理员"
        case .regulator: "监管人员"
        case .enterpriseAdmin: "企业管理员"
        case .labourOfficer: "劳资专管员"
        case .worker: "建筑工人"
        }
    }

    /// Whether an account with this role may create accounts of `role` (scope is checked separately).
    public func mayCreate(_ role: Role) -> Bool {
        switch self {
        case .regulatorAdmin: role.kind == .regulator
        case .enterpriseAdmin: role.kind == .enterprise
        case .regulator, .labourOfficer, .worker: false
        }
    }
}
