import Foundation
import HTTPTypes
import Hummingbird

/// An error a person or a client sees: HTTP status, a stable code and a Simplified Chinese message
/// saying what to fix. Domain rules throw these through the services; the error middleware turns
/// them into JSON for `/api/v1` and into a page for the consoles.
public struct AppError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}

extension AppError {
    static let loginRequired = AppError(.unauthorized, code: "LOGIN_REQUIRED", message: "请先登录")
    static let invalidCredentials = AppError(.unauthorized, code: "INVALID_CREDENTIALS", message: "用户名或密码错误")
    static let invalidToken = AppError(.unauthorized, code: "INVALID_TOKEN", message: "访问令牌无效或已过期，请重新登录")
    static let forbidden = AppError(.forbidden, code: "FORBIDDEN", message: "您没有权限执行此操作")
    static let csrfFailed = AppError(
        .forbidden, code: "CSRF_TOKEN_INVALID", message: "页面已过期或来源不明，请刷新页面后重新提交")
    static let notFound = AppError(.notFound, code: "NOT_FOUND", message: "您要找的内容不存在，或不在您的查看范围内")
    static let accountDisabled = AppError(.forbidden, code: "ACCOUNT_DISABLED", message: "账号已停用，请联系管理员")

    static func badRequest(_ code: String = "INVALID_REQUEST", _ message: String) -> AppError {
        AppError(.badRequest, code: code, message: message)
    }
}

/// A value read back from the database that its type refuses (`PayMonth(payroll.payMonth)` of a
/// row altered by hand). The request fails with a logged 500; it never traps.
struct StoredValueInvalid: Error {
    var field: String
    var row: String
}
