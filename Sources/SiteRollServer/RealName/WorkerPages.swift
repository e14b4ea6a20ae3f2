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
        var csrf: String
    }

    /// The searchable list (regulators; the enterprise has its own list of collected workers).
    func addListRoute<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// Verified workers within reach.
        group.get("workers") { request, context in
            let q = RequestQuery(request).text("q", max: 30)
            // A whole ID number must not stand in a URL or an access log: it is searched by POST.
            if WorkerDirectory.isFullIdentityNumber(q.uppercased()) {
                throw AppError.badRequest(
                    "ID_NUMBER_IN_URL", "完整身份证号不能出现在网址中，请在页面上的搜索框中输入后点击“查询”（系统会以加密方式查找）")
            }
            return try await list(context, search: q, shown: q, path: request.uri.path)
        }
        /// The same search by POST: a whole ID number is looked up by its keyed hash and never
        /// appears in a URL; anything else goes back to the bookmarkable GET form.
        group.post("workers/search") { request, context in
            let form = try await FormFields.read(request)
            let q = String(form.text("q").prefix(30))
            guard WorkerDirectory.isFullIdentityNumber(q.uppercased()) else {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return Response(status: .seeOther, headers: [.location: "\(context.caller.base)/workers?q=\(encoded)"])
            }
            return try await list(
                context, search: q, shown: IdentityNumber.masked(q.uppercased()), path: request.uri.path)
        }
    }

    private func list<Context: ConsoleContext>(
        _ context: Context, search: String, shown: String, path: String
    ) async throws -> Response {
        let rows = try await directory.list(in: context.scope, search: search).map(Row.init)
        return pages.html(
            "gov-workers",
            ListModel(
                q: shown, rows: rows, hasRows: !rows.isEmpty, base: context.caller.base,
                csrf: context.identity.csrfToken),
            layout: navigation.layout(Context.audience, title: "实名工人", identity: context.identity, current: path))
    }

    /// Detail and the audited full-number view, for every console.
    func addDetailRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        /// One worker's identity, masked.
        group.get("workers/:id") { request, context in
            try await detail(context: context, path: request.uri.path, reveal: false)
        }
        /// The full identity number, for a role that needs it; the view is audited (S2, S5).
        group.post("workers/:id/id-number") { request, context in
            try await detail(context: context, path: request.uri.path, reveal: true)
        }
    }

    private func detail<Context: ConsoleContext>(context: Context, path: String, reveal: Bool)
        async throws
        -> Response
    {
        guard let id = context.parameters.get("id", as: UUID.self),
            let worker = try await directory.find(id, in: context.scope)
        else { throw AppError.notFound }
        let base = context.caller.base
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
