import Foundation
import Hummingbird

/// A wage page below a project that is not a tab of its own (the tabs are `ProjectTab.payrolls`,
/// `.wages` and `.account`), declared once as its route pattern: the router registers `route`,
/// links fill the pattern's parameters in with `ProjectPath.wage(_:_:)`.
struct WagePath: Sendable {
    let pattern: String

    static let ledger = WagePath(pattern: "/payrolls/ledger")
    static let template = WagePath(pattern: "/payrolls/template")
    static let importFile = WagePath(pattern: "/payrolls/import")
    static let payroll = WagePath(pattern: "/payrolls/:payroll")
    static let payrollScan = WagePath(pattern: "/payrolls/:payroll/scan")
    static let lines = WagePath(pattern: "/payrolls/:payroll/lines")
    static let line = WagePath(pattern: "/payrolls/:payroll/lines/:line")
    static let lineRemoval = WagePath(pattern: "/payrolls/:payroll/lines/:line/remove")
    static let card = WagePath(pattern: "/payrolls/:payroll/cards/:worker")
    static let submission = WagePath(pattern: "/payrolls/:payroll/submit")
    static let payments = WagePath(pattern: "/payrolls/:payroll/payments")
    static let batchRetry = WagePath(pattern: "/payrolls/:payroll/payments/:batch/retry")
    static let reconciliation = WagePath(pattern: "/wages/reconciliation")
    static let agreements = WagePath(pattern: "/wages/agreements")
    static let agreementScan = WagePath(pattern: "/wages/agreements/:agreement/scan")
    static let accountSync = WagePath(pattern: "/wages/account/sync")
    static let simulatorOpen = WagePath(pattern: "/wages/account/simulator/open")
    static let simulatorLabourCost = WagePath(pattern: "/wages/account/simulator/labour-cost")

    /// The route pattern below the audience, for `group.get(…)`: `projects/:id/payrolls/:payroll`.
    var route: RouterPath { ProjectPath.route(pattern) }

    /// The pattern with its `:name` parts replaced, in order, by `ids`.
    func filled(_ ids: [UUID]) -> String {
        var remaining = ids[...]
        return pattern.split(separator: "/", omittingEmptySubsequences: false).map { part in
            guard part.hasPrefix(":"), let id = remaining.popFirst() else { return String(part) }
            return id.uuidString
        }.joined(separator: "/")
    }
}

extension ProjectPath {
    /// A wage page of this project: `path.wage(.payments, payrollID)`.
    func wage(_ page: WagePath, _ ids: UUID...) -> String { below(page.filled(ids)) }
}
