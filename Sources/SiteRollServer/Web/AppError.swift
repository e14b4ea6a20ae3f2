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

/// Date and time as people in Sichuan read them: Asia/Shanghai, 24-hour clock.
enum ChineseFormat {
    static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: "zh_CN")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
