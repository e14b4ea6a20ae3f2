import Foundation
import Hummingbird
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// 系统接入 (issue 15 item 4, A1): the enterprise applies to connect a system and collects its
/// secret once; the regulator reviews; either side rotates or revokes an app and reads its
/// figures. Each page is one read of `NationalAccessReads` and a template; each form one call of
/// `NationalAccessService`, answered by post-redirect-get.
struct NationalAccessPages: Sendable {
    let service: NationalAccessService
    let reads: NationalAccessReads
    let pages: PageRenderer
    let navigation: Navigation

    func addRoutes(gov: RouterGroup<GovContext>, corp: RouterGroup<CorpContext>) {
        addSharedRoutes(to: gov)
        addSharedRoutes(to: corp)
        /// The application form.
        corp.get(NationalAccessPath.route("/new", .corp)) { request, context in
            try await form(context, path: request.uri.path)
        }
        /// Files an application; its page shows it as 待审核.
        corp.post(NationalAccessPath.route("/applications", .corp)) { request, context in
            let form = try await FormFields.read(request)
            let submission = NationalAccessService.Submission(
                systemName: form.text("systemName"), vendor: form.text("vendor"),
                contactName: form.text("contactName"), contactPhone: form.text("contactPhone"),
                sourceIPs: form["sourceIPs"] ?? "", projects: form.list("project"), methods: form.list("method"),
                notes: form.text("notes"))
            var created: UUID?
            return try await PageOutcome.respond(to: NationalAccessPath.base(.corp)) {
                created = try await service.apply(submission, scope: context.scope, by: context.account)
                return "接入申请已提交，等待项目所在地主管部门审核"
            } refused: { error in
                try await self.form(context, path: request.uri.path, submission: submission, error: error)
            }
            .redirected(to: created.map { NationalAccessPath.application($0, .corp) })
        }
        /// Withdraws a pending application.
        corp.post(NationalAccessPath.route("/applications/:application/withdraw", .corp)) { request, context in
            let form = try await FormFields.read(request)
            return try await onApplication(request, context) { id in
                try await service.withdraw(id, reason: form.text("reason"), scope: context.scope, by: context.account)
                return "接入申请已撤回"
            }
        }
        /// Shows a secret issued by the regulator's approval or rotation, once.
        corp.post(NationalAccessPath.route("/apps/:app/reveal", .corp)) { request, context in
            try await onApp(request, context) { id in
                let (appID, secret) = try await service.reveal(id, scope: context.scope, by: context.account)
                return Self.secretFlash("密钥已取出，请立即保存", appID: appID, secret: secret)
            }
        }
        /// Approves a pending application within the division.
        gov.post(NationalAccessPath.route("/applications/:application/approve", .gov)) { request, context in
            let form = try await FormFields.read(request)
            return try await onApplication(request, context) { id in
                try await service.approve(id, note: form.text("note"), scope: context.scope, by: context.account)
                return "已批准接入申请；密钥由申请单位的企业管理员在“系统接入”页面查看（仅显示一次）"
            }
        }
        /// Rejects a pending application with a reason.
        gov.post(NationalAccessPath.route("/applications/:application/reject", .gov)) { request, context in
            let form = try await FormFields.read(request)
            return try await onApplication(request, context) { id in
                try await service.reject(id, reason: form.text("reason"), scope: context.scope, by: context.account)
                return "已驳回接入申请，理由已通知申请单位"
            }
        }
    }

    private func addSharedRoutes<Context: ConsoleContext>(to group: RouterGroup<Context>) {
        let audience = Context.audience
        /// Applications and apps with their figures.
        group.get(NationalAccessPath.route("", audience)) { request, context in
            try await overview(context, path: request.uri.path)
        }
        /// One application (the regulator's review page).
        group.get(NationalAccessPath.route("/applications/:application", audience)) { request, context in
            guard let id = context.parameters.get("application", as: UUID.self) else { throw AppError.notFound }
            return try await application(id, context)
        }
        /// A new secret; the old one keeps working for the overlap.
        group.post(NationalAccessPath.route("/apps/:app/rotate", audience)) { request, context in
            try await onApp(request, context) { id in
                let (appID, secret) = try await service.rotate(id, scope: context.scope, by: context.account)
                let hours = Int(service.overlap / 3600)
                guard let secret else {
                    return "已重置应用 \(appID) 的密钥：新密钥由持有单位的企业管理员查看（仅显示一次），原密钥 \(hours) 小时内仍可使用"
                }
                return Self.secretFlash("密钥已重置；原密钥 \(hours) 小时内仍可使用，请在此之前更新系统配置", appID: appID, secret: secret)
            }
        }
        /// Revokes an app at once, with a reason.
        group.post(NationalAccessPath.route("/apps/:app/revoke", audience)) { request, context in
            let form = try await FormFields.read(request)
            return try await onApp(request, context) { id in
                let appID = try await service.revoke(
                    id, reason: form.text("reason"), scope: context.scope, by: context.account)
                return "应用 \(appID) 已注销，立即停止调用"
            }
        }
    }

    static func secretFlash(_ notice: String, appID: String, secret: String) -> Flash {
        Flash(
            notice,
            once: .init(
                title: "appid 和密钥（仅显示这一次）",
                rows: [
                    .init(label: "appid", value: appID, id: "national-appid"),
                    .init(label: "appsecret", value: secret, id: "national-secret"),
                ],
                hint:
                    "密钥只显示这一次，平台不保存可再次查看的副本；请立即配置到接入系统中。系统以 appid 和 appsecret 按国家接口规范签名调用 /open.api，可先调用“验证签名”方法检验配置。"
            ))
    }

    func overview<Context: ConsoleContext>(_ context: Context, path: String, error: AppError? = nil) async throws
        -> Response
    {
        let view = try await reads.overview(context.caller)
        return render("access", Page(view: view, error: error), title: "系统接入", context, status: error?.status ?? .ok)
    }

    func application<Context: ConsoleContext>(_ id: UUID, _ context: Context, error: AppError? = nil) async throws
        -> Response
    {
        let view = try await reads.application(id, context.caller, error: error)
        let title = context.caller.audience == .gov ? "接入申请审核" : "接入申请"
        return render("access-application", view, title: title, context, status: error?.status ?? .ok)
    }

    func form(
        _ context: CorpContext, path: String, submission: NationalAccessService.Submission = .init(),
        error: AppError? = nil
    ) async throws -> Response {
        let view = try await reads.form(context.caller, submission: submission, error: error)
        return render("access-new", view, title: "申请系统接入", context, status: error?.status ?? .ok)
    }

    /// The list with a form's refusal above it.
    struct Page {
        var view: NationalAccessReads.OverviewView
        var error: AppError?
    }

    /// A form about one application: back to its page, or its page with the refusal.
    private func onApplication<Context: ConsoleContext>(
        _ request: Request, _ context: Context, _ change: (UUID) async throws -> Flash
    ) async throws -> Response {
        guard let id = context.parameters.get("application", as: UUID.self) else { throw AppError.notFound }
        return try await PageOutcome.respond(to: NationalAccessPath.application(id, Context.audience)) {
            try await change(id)
        } refused: { error in
            guard error.status != .forbidden else { throw error }
            return try await application(id, context, error: error)
        }
    }

    /// A form about one app: back to the list, or the list with the refusal.
    private func onApp<Context: ConsoleContext>(
        _ request: Request, _ context: Context, _ change: (UUID) async throws -> Flash
    ) async throws -> Response {
        guard let id = context.parameters.get("app", as: UUID.self) else { throw AppError.notFound }
        return try await PageOutcome.respond(to: NationalAccessPath.base(Context.audience)) {
            try await change(id)
        } refused: { error in
            guard error.status != .forbidden else { throw error }
            return try await overview(context, path: request.uri.path, error: error)
        }
    }

    private func render<Context: ConsoleContext>(
        _ template: String, _ model: Any, title: String, _ context: Context, status: HTTPResponse.Status
    ) -> Response {
        pages.html(
            template, model,
            layout: navigation.layout(
                Context.audience, title: title, identity: context.identity,
                current: NationalAccessPath.base(Context.audience)),
            status: status)
    }
}

extension FormFields {
    /// Every value of a repeated field (checkboxes).
    func list(_ name: String) -> [String] {
        RequestFieldLog.note(name)
        return Array((all[name] ?? []).prefix(500))
    }
}

extension Response {
    /// A success's redirect sent elsewhere once the change told where (a new record's own page);
    /// a refusal or a redirect without a new place is left as it is.
    func redirected(to location: String?) -> Response {
        guard let location, status == .seeOther else { return self }
        var response = self
        response.headers[.location] = location
        return response
    }
}
