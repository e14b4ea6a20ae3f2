import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The employer's 考勤核查 page: suspicious punches, manual registrations, phone rebinding, gate
/// devices and the phone-punch policy.
extension AttendanceReads {
    struct ReviewRow: Sendable {
        var id: String
        var name: String
        var team: String
        var time: String
        var direction: String
        var details: [String]
        var position: String
    }

    struct ManualRow: Sendable {
        var id: String
        var name: String
        var date: String
        var time: String
        var direction: String
        var reason: String
        var status: String
        var pending: Bool
        var note: String?
    }

    struct BindingRow: Sendable {
        var id: String
        var name: String
        var requested: String
        var device: String
    }

    struct DeviceRow: Sendable {
        var code: String
        var name: String
        var kind: String
        var active: Bool
        var created: String
    }

    struct ReviewView: ProjectView {
        var head: ProjectHead
        var reviews: [ReviewRow]
        var hasReviews: Bool
        var manual: [ManualRow]
        var hasManual: Bool
        var bindings: [BindingRow]
        var hasBindings: Bool
        var devices: [DeviceRow]
        var hasDevices: Bool
        var kinds: [SelectOption]
        var outsidePolicies: [SelectOption]
        var maxAccuracy: String
        var maxSpeed: String
        var maxSkew: String
        var dayStart: String
        var title: String
    }

    func review(_ id: UUID, _ caller: Caller) async throws -> ReviewView {
        let shell = try await projects.shell(id, caller, tab: .review)
        guard shell.standing.canChange else { throw AppError.forbidden }
        let project = shell.project
        let people = try await attendance.people(project: project.uuid)
        let queue = try await attendance.reviewQueue(project: project.uuid)
        let manual = try await attendance.manualRequests(project: project.uuid)
        let bindings = try await attendance.rebindingRequests(project: project.uuid)
        // Workers asking for 补登 or a new phone may have left the roster: their names in one query.
        let unnamed = Set(manual.map(\.workerID) + bindings.map(\.workerID)).filter { people[$0] == nil }
        let others =
            unnamed.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await WorkerModel.query(on: attendance.database.database())
                    .filter(\.$id ~~ Array(unnamed)).all().map { ($0.uuid, $0.name) })
        let name = { (id: UUID) in people[id]?.name ?? others[id] ?? "" }
        let policy = attendance.policy(for: project)
        return ReviewView(
            head: shell.head,
            reviews: queue.map { punch in
                ReviewRow(
                    id: punch.uuid.uuidString, name: people[punch.workerID]?.name ?? "",
                    team: people[punch.workerID]?.team ?? "",
                    time: "\(punch.localDate) \(AttendanceService.clock(punch.punchedAt))",
                    direction: PunchDirection(rawValue: punch.direction)?.chineseName ?? "",
                    details: (punch.flagDetails ?? "").split(separator: "\n").map(String.init),
                    position: Self.position(punch))
            }, hasReviews: !queue.isEmpty,
            manual: manual.map {
                ManualRow(
                    id: $0.uuid.uuidString, name: name($0.workerID), date: $0.localDate, time: $0.time,
                    direction: PunchDirection(rawValue: $0.direction)?.chineseName ?? "", reason: $0.reason,
                    status: ["pending": "待处理", "confirmed": "已确认", "rejected": "已驳回"][$0.status] ?? $0.status,
                    pending: $0.status == "pending", note: $0.decisionNote)
            }, hasManual: !manual.isEmpty,
            bindings: bindings.map {
                BindingRow(
                    id: $0.uuid.uuidString, name: name($0.workerID), requested: ChineseFormat.dateTime($0.requestedAt),
                    device: String($0.deviceID.prefix(8)) + "…")
            }, hasBindings: !bindings.isEmpty,
            devices: try await attendance.devices(of: project.uuid).map {
                DeviceRow(
                    code: $0.code, name: $0.name, kind: AttendanceService.deviceKinds.name(of: $0.kind) ?? $0.kind,
                    active: $0.status == "active", created: ChineseFormat.dateTime($0.createdAt))
            }, hasDevices: true,
            kinds: AttendanceService.deviceKinds.entries.map { SelectOption(value: $0.code, label: $0.name) },
            outsidePolicies: OutsideFencePolicy.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.chineseName, selected: $0 == policy.outsideFence)
            }, maxAccuracy: String(Int(policy.maximumAccuracyMetres)), maxSpeed: String(Int(policy.maximumSpeedKmh)),
            maxSkew: String(Int(policy.maximumClockSkewSeconds)),
            dayStart: AttendanceService.dayStart(of: project).description, title: "\(project.name)：考勤核查")
    }
}
