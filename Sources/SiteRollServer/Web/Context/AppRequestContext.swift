import Foundation
import Hummingbird
import SiteRollCore

/// The context every request starts with. The session middleware fills `identity` from the
/// audience's cookie; the audience contexts below refuse to exist without the right one.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: SessionIdentity?
    /// Which console the request is for, so that errors render in the right layout.
    public var audience: Audience?
    /// The path asked for, so that a login can return to it.
    public var requestPath = ""
    /// The connection's peer address ("unknown" in in-process tests).
    public let peerAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// The three consoles and their cookie names.
public enum Audience: String, Sendable, CaseIterable {
    case gov
    case corp
    case mobile = "m"

    var cookieName: String { "siteroll_\(rawValue)" }
    var basePath: String { "/\(rawValue)" }
    var loginPath: String { "/\(rawValue)/login" }

    var kind: AccountKind {
        switch self {
        case .gov: .regulator
        case .corp: .enterprise
        case .mobile: .worker
        }
    }

    var title: String {
        switch self {
        case .gov: "建筑工人管理服务监管平台"
        case .corp: "建筑工人实名制管理系统"
        case .mobile: "建筑工人服务"
        }
    }
}

/// Thrown when a console page needs a login: the error middleware redirects to the login page.
struct ConsoleLoginRequired: Error {
    var audience: Audience
    var returnTo: String
}

/// Builds an audience context, or explains why not: no session goes to the login page; a
/// session of another kind of account is refused.
func requireAccount(_ context: AppRequestContext, audience: Audience) throws -> (SessionIdentity, AccountSnapshot) {
    guard let identity = context.identity, let account = identity.account, identity.channel == .console else {
        throw ConsoleLoginRequired(audience: audience, returnTo: context.requestPath)
    }
    guard account.role.kind == audience.kind, account.scope != nil else { throw AppError.forbidden }
    return (identity, account)
}

/// `/gov`: a signed-in regulator, with its division reach.
public struct GovContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: SessionIdentity
    public let account: AccountSnapshot
    public let division: DivisionCode

    public init(context: AppRequestContext) throws {
        coreContext = context.coreContext
        (identity, account) = try requireAccount(context, audience: .gov)
        guard case .division(let division)? = account.scope else { throw AppError.forbidden }
        self.division = division
    }

    public var scope: AccessScope { .division(division) }
}

/// `/corp`: a signed-in member of one enterprise.
public struct CorpContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: SessionIdentity
    public let account: AccountSnapshot
    public let enterpriseID: UUID

    public init(context: AppRequestContext) throws {
        coreContext = context.coreContext
        (identity, account) = try requireAccount(context, audience: .corp)
        guard case .enterprise(let enterpriseID, _)? = account.scope else { throw AppError.forbidden }
        self.enterpriseID = enterpriseID
    }

    public var scope: AccessScope { .enterprise(enterpriseID, division: account.enterpriseDivision) }
}

/// `/m`: a signed-in worker.
public struct WorkerContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: SessionIdentity
    public let account: AccountSnapshot
    public let workerID: UUID

    public init(context: AppRequestContext) throws {
        coreContext = context.coreContext
        (identity, account) = try requireAccount(context, audience: .mobile)
        guard case .worker(let workerID, _)? = account.scope else { throw AppError.forbidden }
        self.workerID = workerID
    }

    public var scope: AccessScope { .worker(workerID, account: account.id) }
}

/// What the three audience contexts share, so that a page written once serves each console
/// with that console's reach.
public protocol ConsoleContext: ChildRequestContext where ParentContext == AppRequestContext {
    static var audience: Audience { get }
    var identity: SessionIdentity { get }
    var account: AccountSnapshot { get }
    var scope: AccessScope { get }
}

extension GovContext: ConsoleContext {
    public static var audience: Audience { .gov }
}

extension CorpContext: ConsoleContext {
    public static var audience: Audience { .corp }
}

extension WorkerContext: ConsoleContext {
    public static var audience: Audience { .mobile }
}
