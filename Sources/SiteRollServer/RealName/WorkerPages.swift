import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// Verified workers for regulators (`/gov/workers`) and the worker's own identity (`/m`): lists
/// searchable by name, masked number or code; detail pages; the audited full-number view.
struct WorkerPages: Sendable {
    let directory: WorkerDirectory
    let pages: PageRenderer
    let navigation: Navigation

    struct Row {
        var id: String
        var name: String
        var masked: String
        var code: String
        var gender: String
        var birthDate: String
        var verifiedAt: String
        var verifiedBy: String
        var simulated: Bool
        var healthCertificate: Bool

        init(_ worker: WorkerModel) {
            id = worker.id?.uuidString ?? ""
            name = worker.name
            masked = worker.idNumberMasked
            code = worker.verificationCode ?? ""
            gender = worker.gender.flatMap { Gender(nationalCode: $0)?.chineseName } ?? ""
            birthDate = worker.birthDate ?? ""
            verifiedAt = worker.verifiedAt.map(ChineseFormat.dateTime) ?? ""
            verifiedBy = worker.verifiedBy ?? ""
            simulated = worker.verificationSimulated ?? false
            healthCertificate = worker.healthCertificateRequired ?? false
        }
    }

    struct DetailModel {
        var worker: Row
        var nation: String
        var issuingAuthority: String
        var validity: String
        var fullNumber: String?
        var canReveal: Bool
        var revealAction: String
        var csrf: String
        /// The employment history (G10) for regulators, the worker's own records on the phone.
        var historyLink: String?
    }

    struct ListModel {
        var q: String
        var rows: [Row]
        var hasRows: Bool
        var base: String
    }

    /// The searchable list (regulators; the enterprise has its own list of collected workers).
    func addListRoute<Context: ConsoleContext>(to group: RouterGroup<Context>, base: String) {
        /// Verified workers within reach.
        group.get("workers") { request, context in
            let q = String((request.uri.queryParameters["q"].map(String.init) ?? "").prefix(30))
            let rows = try await directory.list(in: context.scope, search: q).map(Row.init)
            return pages.html(
                "gov-workers", ListModel(q: q, rows: rows, hasRows: !rows.isEmpty, base: base),
                layout: navigation.layout(
                    Context.audience, title: "实名工人", identity: context.identity, current: request.uri.path))
        }
    }

    /// Detail and the audited full-number view, for every console.
    func addDetailRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>, base: String) {
        /// One worker's identity, masked.
        group.get("workers/:id") { request, context in
            try await detail(context: context, path: request.uri.path, base: base, reveal: false)
        }
        /// The full identity number, for a role that needs it; the view is audited (S2, S5).
        group.post("workers/:id/id-number") { request, context in
            try await detail(context: context, path: request.uri.path, base: base, reveal: true)
        }
    }

    private func detail<Context: ConsoleContext>(context: Context, path: String, base: String, reveal: Bool)
        async throws
        -> Response
    {
        guard let id = context.parameters.get("id", as: UUID.self),
            let worker = try await directory.find(id, in: context.scope)
        else { throw AppError.notFound }
        let full =
            reveal ? try await directory.revealIDNumber(of: worker, by: context.account, scope: context.scope) : nil
        let validity = [worker.idValidFrom, worker.idValidUntil ?? (worker.idValidFrom == nil ? nil : "长期")]
            .compactMap { $0 }.joined(separator: " 至 ")
        let model = DetailModel(
            worker: Row(worker), nation: worker.nation.flatMap { CodeTable.nations.name(of: $0) } ?? "",
            issuingAuthority: worker.issuingAuthority ?? "", validity: validity, fullNumber: full,
            canReveal: context.account.role != .enterpriseAdmin, revealAction: "\(base)/workers/\(id)/id-number",
            csrf: context.identity.csrfToken,
            historyLink: Context.audience == .gov
                ? "\(base)/workers/\(id)/history" : Context.audience == .mobile ? Paths.Mobile.records : nil)
        return pages.html(
            "worker-detail", model,
            layout: navigation.layout(
                Context.audience, title: "工人：\(worker.name)", identity: context.identity, current: path))
    }
}
