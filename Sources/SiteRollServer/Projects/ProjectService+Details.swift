import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The project's descriptive details changed after registration (the national
/// `Project.PartUpdate`; G2): status, dates, contact, approval and size. The code, name,
/// division and general contractor stay as registered.
extension ProjectService {
    struct DetailsInput: Sendable {
        var status: String?
        var description: String?
        var address: String?
        var linkMan: String?
        var linkPhone: String?
        var startDate: String?
        var completionDate: String?
        var approvalNumber: String?
        var approvalLevel: String?
        var size: String?
        var nature: String?
        var function: String?
        /// 万元, as the national interface states investment.
        var investTenThousandYuan: String?
        var buildingArea: String?
    }

    /// Applies every field given; the changed fields are named in the audit trail.
    func updateDetails(
        _ input: DetailsInput, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot
    ) async throws -> [String] {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        var problems = FieldProblems()
        var changed: [String: String] = [:]
        func set(_ key: String, _ value: String?, _ apply: (String) -> Void) {
            guard let value else { return }
            apply(value)
            changed[key] = value
        }
        set("status", input.status.flatMap { problems.code($0, in: .projectStatuses, "项目状态") }) { project.status = $0 }
        set("description", input.description.flatMap { problems.optional($0, "项目简介", max: 1000) }) {
            project.description = $0
        }
        set("address", input.address.flatMap { problems.optional($0, "项目地址") }) { project.address = $0 }
        set("linkMan", input.linkMan.flatMap { problems.optional($0, "联系人", max: 50) }) { project.linkMan = $0 }
        set("linkPhone", input.linkPhone.flatMap { problems.phone($0, "联系电话") }) { project.linkPhone = $0 }
        let start = input.startDate.flatMap { problems.date($0, "开工日期", required: false) }
        let end = input.completionDate.flatMap { problems.date($0, "竣工日期", required: false) }
        if let start, let end, end < start { problems.add("竣工日期不能早于开工日期") }
        set("startDate", start?.description) { project.startDate = $0 }
        set("completionDate", end?.description) { project.completionDate = $0 }
        set("approvalNumber", input.approvalNumber.flatMap { problems.optional($0, "立项文号", max: 50) }) {
            project.approvalNumber = $0
        }
        set("approvalLevel", input.approvalLevel.flatMap { problems.code($0, in: .approvalLevels, "立项级别") }) {
            project.approvalLevel = $0
        }
        set("size", input.size.flatMap { problems.code($0, in: .projectSizes, "建设规模") }) { project.size = $0 }
        set("nature", input.nature.flatMap { problems.code($0, in: .constructionNatures, "建设性质") }) {
            project.nature = $0
        }
        set("function", input.function.flatMap { problems.code($0, in: .projectFunctions, "工程用途") }) {
            project.function = $0
        }
        if let text = input.investTenThousandYuan {
            // 万元 to fen: 1 万元 = 1,000,000 fen; bounded by the money limit.
            if let value = Double(text), value.isFinite, value >= 0, value * 1_000_000 < Double(Money.limitFen) {
                project.investFen = Int64((value * 1_000_000).rounded())
                changed["invest"] = text
            } else {
                problems.add("总投资应为不小于 0 的数字（万元）")
            }
        }
        if let text = input.buildingArea {
            if let value = Double(text), value.isFinite, value >= 0, value < 1e9 {
                project.buildingArea = value
                changed["buildingArea"] = text
            } else {
                problems.add("建筑面积应为不小于 0 的数字（平方米）")
            }
        }
        try problems.throwIfAny("PROJECT_DETAILS_INVALID")
        guard !changed.isEmpty else { return [] }
        let change = changed
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await project.update(on: tx)
            return (
                (),
                AuditDraft(
                    "project.details-updated", on: project, by: account, entity: "project", id: project.uuid,
                    summary: "\(project.name)：更新项目信息（\(change.keys.sorted().joined(separator: "、"))）", change: change)
            )
        }
        return changed.keys.sorted()
    }
}
