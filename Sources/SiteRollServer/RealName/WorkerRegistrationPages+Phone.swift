import Foundation
import HTTPTypes
import Hummingbird
import SiteRollCore
import SiteRollStore

/// The phone registration (M1): the stepwise form, the ID step's early duplicate check, and the
/// result page behind a post-redirect-get.
///
/// The result page: a successful post answers 303 to `/m/register/result/<serial>`, so a refresh
/// or the back button never submits twice. What it shows (the verification code, large) travels in
/// a cookie sealed with the field key (AES-GCM), holding the serial, a keyed hash of the browser's
/// form-token cookie and the time: only the browser that registered can open it, only for that
/// serial, only for 30 minutes. Chosen over a lookup by serial alone (serials are short and partly
/// predictable, and the code identifies the worker to employers) and over a new table (nothing to
/// keep once the page is seen: the worker finds the code again on 我的 after signing in). The
/// cookie is `HttpOnly`, `SameSite=Strict` and confined to `/m/register`.
extension WorkerRegistrationPages {
    static let receiptCookie = "siteroll_registration"
    static let resultPath = "/m/register/result"
    static let checkPath = "/m/register/check-id"

    func addRoutes(to router: Router<AppRequestContext>) {
        /// The phone registration form, one question per step, each checked before the next.
        router.get("m/register") { request, _ in
            let (csrf, cookie) = ConsoleSessionMiddleware.formToken(for: request, secure: secureCookies)
            var response = registrationPage(csrf: csrf, values: nil, outcome: nil)
            response.headers[.setCookie] = cookie
            return response
        }
        /// Verifies the worker; a refusal shows the form again with every fault, a success
        /// redirects to the result page.
        router.post("m/register") { request, _ in
            let form = try await FormFields.read(request, limit: ConsoleSessionMiddleware.maxFormBytes)
            let outcome = try await verification.submit(
                WorkerSubmission(form: form, selfRegistration: true), by: .selfRegistration)
            guard outcome.status != .refused else {
                return registrationPage(
                    csrf: form.text("_csrf"), values: form, outcome: outcome, status: .unprocessableContent)
            }
            let browser = request.cookies[ConsoleSessionMiddleware.loginCSRFCookie]?.value ?? form.text("_csrf")
            let sealed = try verification.sealReceipt(outcome, browserToken: browser)
            return Response(
                status: .seeOther,
                headers: [
                    .location: "\(Self.resultPath)/\(outcome.serial)",
                    .setCookie:
                        "\(Self.receiptCookie)=\(sealed); Path=/m/register; Max-Age=\(Int(WorkerVerificationService.receiptLifetime)); HttpOnly; SameSite=Strict\(secureCookies ? "; Secure" : "")",
                ])
        }
        /// The registration's result, shown to the browser that registered (see above).
        router.get("m/register/result/:serial") { request, context in
            let serial = context.parameters.get("serial") ?? ""
            guard let sealed = request.cookies[Self.receiptCookie]?.value,
                let browser = request.cookies[ConsoleSessionMiddleware.loginCSRFCookie]?.value,
                let outcome = verification.openReceipt(sealed, serial: serial, browserToken: browser)
            else {
                throw AppError(
                    .notFound, code: "REGISTRATION_RESULT_GONE",
                    message: "登记结果只在提交登记的手机上显示 30 分钟。已注册成功的，请用手机号登录，在“我的”查看实名核验码")
            }
            let links = [ResultModel.Link(label: "用手机号登录", href: Audience.mobile.loginPath)]
            var response = pages.html(
                "verification-result", ResultModel(outcome, links: links),
                layout: navigation.layout(.mobile, title: "实名注册结果", identity: nil, current: ""))
            response.headers[.cacheControl] = "no-store"
            return response
        }
        /// The ID step's check (JSON): may this number register? The same answer shape for every
        /// number; only "already registered" is told, which the worker may learn of their own
        /// number. Look-ups are counted per address by the sign-in throttle's mechanism.
        router.post("m/register/check-id") { request, _ in
            let form = try await FormFields.read(request)
            let now = ServerClock.now()
            let key = LoginThrottle.Key.registrationLookup(RequestOrigin.address)
            if let until = try await throttle.blockedUntil([key], at: now) {
                return Self.json(
                    .init(
                        ok: false, code: "ID_CHECK_THROTTLED",
                        message: "查询过于频繁，请于 \(ChineseFormat.dateTime(until)) 后再试；也可以继续填写，提交时会一并核对"),
                    status: .tooManyRequests)
            }
            try await throttle.recordFailure([key], at: now)
            let check = try await verification.checkNumberForRegistration(form.text("idNumber"), now: now)
            return Self.json(check, status: .ok)
        }
    }

    /// The check's answer, `{"ok": Bool, "code": String, "message": String}`, never cached.
    static func json(_ check: WorkerVerificationService.NumberCheck, status: HTTPResponse.Status) -> Response {
        let data = (try? JSONEncoder().encode(check)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func registrationPage(
        csrf: String, values: FormFields?, outcome: VerificationOutcome?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let today = LocalDate.today(in: ChineseFormat.timeZone, now: ServerClock.now())
        let rules = WorkerForm.Rules(
            age: verification.selfRegistrationAgePolicy, today: today, checkURL: Self.checkPath)
        return pages.html(
            "worker-form",
            WorkerForm(
                action: "/m/register", csrf: csrf, selfRegistration: true, values: values, outcome: outcome,
                rules: rules),
            layout: navigation.layout(.mobile, title: "建筑工人实名注册", identity: nil, current: ""), status: status)
    }
}
