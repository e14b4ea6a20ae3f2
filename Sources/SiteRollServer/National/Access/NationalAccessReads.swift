import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// The platform-access pages' data (issue 15 item 4, A1): one read per page, each taking the
/// `Caller`, deciding reach itself (an enterprise sees its own applications and the apps it
/// holds; a regulator those of its division) and reading each table once.
struct NationalAccessReads: Sendable {
    let database: DatabaseService
    let service: NationalAccessService
    let divisions: DivisionCatalog

    typealias Application = NationalAccessApplicationModel

    /// Figures cover this many days of calls.
    static let windowDays = 7
    /// The list shows at most this many apps and devices.
    static let appLimit = 200

    struct ApplicationRow: Sendable {
        var href: String
        var systemName: String
        var vendor: String
        var enterprise: String
        var projects: String
        var status: String
        var statusName: String
        var isPending: Bool
        var submitted: String
        var decided: String
    }

    struct AppRow: Sendable {
        var id: String
        var kindName: String
        var isNational: Bool
        var name: String
        var appID: String
        var project: String
        var holder: String
        var statusName: String
        var isActive: Bool
        var secretState: String
        var overlapUntil: String?
        /// Figures as shown: a dash for a gate device (it does not call the national gateway).
        var calls: String
        var succeeded: String
        /// Calls answered -1, -2, -3, -4, -5 and 9999, in that order.
        var errors: [String]
        var lastUse: String
        var canReveal: Bool
        var canChange: Bool
        var revokeReason: String?
        var action: String
    }

    struct OverviewView: Sendable {
        var base: String
        var csrf: String
        var isGov: Bool
        var canApply: Bool
        var newHref: String
        var applications: [ApplicationRow]
        var hasApplications: Bool
        var pendingCount: Int
        var apps: [AppRow]
        var hasApps: Bool
        var capped: Bool
        var windowDays: Int
        var overlapHours: Int
        var errorCodes: [String]
    }

    /// 系统接入: the applications and the apps (national apps and gate devices) within reach.
    func overview(_ caller: Caller) async throws -> OverviewView {
        let db = database.database()
        var query = Application.query(on: db).sort(\.$submittedAt, .descending).limit(200)
        var apps = AppCredentialModel.query(on: db).filter(\.$kind ~~ [NationalApps.kind, "device"])
        switch caller.scope {
        case .division(let division):
            query = query.filter(\.$divisionCode =~ division.scopePrefix)
            apps = apps.filter(\.$divisionCode =~ division.scopePrefix)
        case .enterprise(let id, _):
            query = query.filter(\.$enterpriseID == id)
            apps = apps.filter(\.$enterprise.$id == id)
        case .worker:
            throw AppError.forbidden
        }
        let applications = try await query.all()
        // National apps before devices, each by appid: the same order on both databases.
        let credentials = try await apps.sort(\.$kind, .descending).sort(\.$appID).limit(Self.appLimit + 1).all()
        let rows = try await applicationRows(applications, caller: caller)
        let appRows = try await self.appRows(Array(credentials.prefix(Self.appLimit)), caller: caller)
        // Pending first, then the newest.
        let ordered = rows.filter(\.isPending) + rows.filter { !$0.isPending }
        return OverviewView(
            base: NationalAccessPath.base(caller.audience), csrf: caller.csrf, isGov: caller.audience == .gov,
            canApply: caller.audience == .corp && caller.account.role == .enterpriseAdmin,
            newHref: NationalAccessPath.base(caller.audience) + "/new", applications: ordered,
            hasApplications: !ordered.isEmpty, pendingCount: rows.filter(\.isPending).count, apps: appRows,
            hasApps: !appRows.isEmpty, capped: credentials.count > Self.appLimit, windowDays: Self.windowDays,
            overlapHours: Int(service.overlap / 3600), errorCodes: Self.errorCodes.map(String.init))
    }

    static let errorCodes = [-1, -2, -3, -4, -5, 9999]

    func applicationRows(_ applications: [Application], caller: Caller) async throws -> [ApplicationRow] {
        let db = database.database()
        let ids = applications.compactMap(\.id)
        let links =
            ids.isEmpty ? [] : try await NationalAccessProjectModel.query(on: db).filter(\.$applicationID ~~ ids).all()
        let projectNames = try await names(ofProjects: Array(Set(links.map(\.projectID))))
        let enterprises = try await names(ofEnterprises: Array(Set(applications.map(\.enterpriseID))))
        let byApplication = Dictionary(grouping: links, by: \.applicationID)
        return applications.map { application in
            let projects = (byApplication[application.uuid] ?? []).compactMap { projectNames[$0.projectID] }.sorted()
            return ApplicationRow(
                href: NationalAccessPath.application(application.uuid, caller.audience),
                systemName: application.systemName, vendor: application.vendor,
                enterprise: enterprises[application.enterpriseID] ?? "", projects: projects.joined(separator: "、"),
                status: application.status, statusName: NationalAccessService.statusName(application.status),
                isPending: application.status == Application.pending,
                submitted: ChineseFormat.dateTime(application.submittedAt),
                decided: application.decidedAt.map(ChineseFormat.dateTime) ?? "")
        }
    }

    /// Each credential with its figures: calls and errors of the last days from `national_calls`
    /// (grouped in the database), a device's last punch.
    func appRows(_ credentials: [AppCredentialModel], caller: Caller) async throws -> [AppRow] {
        let db = database.database()
        let queries = NationalAccessQueries(db)
        let now = ServerClock.now()
        let national = credentials.filter { $0.kind == NationalApps.kind }
        let deviceIDs = credentials.filter { $0.kind == "device" }.compactMap(\.id)
        let figures = try await queries.callFigures(
            appIDs: national.map(\.appID), since: now.addingTimeInterval(-Double(Self.windowDays) * 86400))
        let punches = try await queries.lastPunches(credentialIDs: deviceIDs)
        let devices =
            deviceIDs.isEmpty
            ? [] : try await AttendanceDeviceModel.query(on: db).filter(\.$appCredentialID ~~ deviceIDs).all()
        let deviceProjects = Dictionary(
            devices.map { ($0.appCredentialID, $0.projectID) }, uniquingKeysWith: { a, _ in a })
        let projectNames = try await names(
            ofProjects: Array(Set(national.compactMap(\.projectID) + devices.map(\.projectID))))
        let holders = try await names(ofEnterprises: Array(Set(credentials.compactMap { $0.$enterprise.id })))
        let isAdmin = caller.audience == .gov || caller.account.role == .enterpriseAdmin
        return credentials.map { app in
            let isNational = app.kind == NationalApps.kind
            let active = app.status == "active" && app.revokedAt == nil
            let figure = figures[app.appID] ?? NationalAccessQueries.CallFigures()
            let project = isNational ? app.projectID : deviceProjects[app.uuid]
            let lastUse = [app.lastUsedAt, punches[app.uuid], figure.lastCallAt].compactMap { $0 }.max()
            let overlap = app.previousSecretUntil.flatMap { $0 > now ? ChineseFormat.dateTime($0) : nil }
            let secretState =
                !active ? "已注销" : app.secretRevealPending ? "待领取（仅显示一次）" : "已设置"
            return AppRow(
                id: app.uuid.uuidString, kindName: isNational ? "国家接口" : "设备", isNational: isNational,
                name: app.name, appID: app.appID, project: project.flatMap { projectNames[$0] } ?? "",
                holder: app.$enterprise.id.flatMap { holders[$0] } ?? "", statusName: active ? "有效" : "已注销",
                isActive: active, secretState: secretState, overlapUntil: overlap,
                calls: isNational ? String(figure.calls) : "",
                succeeded: isNational ? String(figure.byCode[0] ?? 0) : "",
                errors: Self.errorCodes.map { isNational ? String(figure.byCode[$0] ?? 0) : "" },
                lastUse: lastUse.map(ChineseFormat.dateTime) ?? "未使用",
                canReveal: isNational && active && app.secretRevealPending && caller.audience == .corp && isAdmin,
                canChange: isNational && active && isAdmin, revokeReason: app.revokeReason,
                action: NationalAccessPath.app(app.uuid, caller.audience))
        }
    }

    func names(ofProjects ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let projects = try await ProjectModel.query(on: database.database()).filter(\.$id ~~ ids).all()
        return Dictionary(projects.map { ($0.uuid, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    func names(ofEnterprises ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let enterprises = try await EnterpriseModel.query(on: database.database()).filter(\.$id ~~ ids).all()
        return Dictionary(enterprises.map { ($0.uuid, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
