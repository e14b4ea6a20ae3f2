import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// Turns every error into what its audience expects: JSON `{code, message}` for `/api/v1` and
/// the other machine paths, a page in the console layout for people. Nothing unexplained reaches
/// a client, and no bad input becomes a 500 (issue 2, item 6).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer
    let navigation: Navigation
    let sessions: SessionService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let login as ConsoleLoginRequired {
            let target =
                login.audience.loginPath + "?returnTo="
                + (login.returnTo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            return Response(status: .seeOther, headers: [.location: target])
        } catch {
            let appError = Self.translate(error, logger: context.logger)
            if let audience = ConsoleSessionMiddleware.audience(of: request.uri.path) {
                // This middleware sits outside the session middleware, so that it catches its
                // errors too; the layout's header needs the session, so read it here if needed.
                var identity = context.identity
                if identity == nil, let token = request.cookies[audience.cookieName]?.value {
                    identity = try? await sessions.resolve(token: token, channels: [.console])
                }
                return navigation.errorPage(appError, audience: audience, identity: identity, pages: pages)
            }
            return Self.json(appError)
        }
    }

    static func json(_ error: AppError) -> Response {
        let body = (try? JSONEncoder().encode(["code": error.code, "message": error.message])) ?? Data()
        return Response(
            status: error.status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Maps anything thrown to a stable code and a Chinese message.
    static func translate(_ error: any Error, logger: Logger) -> AppError {
        switch error {
        case let error as StoredValueInvalid:
            // A row that no request could have written (altered by hand, or written by an older
            // SiteRoll): this request fails, logged for the operator; nothing else stops (S1).
            logger.error("stored value invalid", metadata: ["field": "\(error.field)", "row": "\(error.row)"])
            return AppError(
                .internalServerError, code: "STORED_VALUE_INVALID", message: "平台保存的数据有误，无法显示该内容；请联系平台运维人员处理")
        case let error as AppError:
            return error
        case let error as ServerError:
            if let inner = error.underlyingError as? AppError { return inner }
            // The runtime's own parsing failures (its RuntimeError is internal) are the client's.
            let typeName = String(describing: type(of: error.underlyingError))
            if error.underlyingError is DecodingError || typeName == "RuntimeError" || typeName.contains("Decoding") {
                return AppError.badRequest("INVALID_REQUEST", "请求内容格式不正确，请按接口文档检查字段和类型")
            }
            return translate(error.underlyingError, logger: logger)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return AppError(.notFound, code: "NOT_FOUND", message: "您访问的地址不存在")
            case .methodNotAllowed: return AppError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", message: "不支持该请求方法")
            case .contentTooLarge: return AppError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "提交的内容过大")
            case .badRequest: return AppError.badRequest("INVALID_REQUEST", "请求内容格式不正确")
            case .unauthorized: return .loginRequired
            default:
                return AppError(
                    error.status, code: "HTTP_\(error.status.code)", message: "请求未能完成（\(error.status.code)）")
            }
        case is NIOTooManyBytesError:
            return AppError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "提交的内容过大，请减少内容后重试")
        case is DecodingError:
            return AppError.badRequest("INVALID_REQUEST", "请求内容格式不正确，请按接口文档检查字段和类型")
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return AppError(.internalServerError, code: "INTERNAL_ERROR", message: "系统繁忙，请稍后重试；如持续出现请联系平台运维")
        }
    }
}
