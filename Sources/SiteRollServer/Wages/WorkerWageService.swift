import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The worker's own wages on the phone (M4): every month's line on every project, and the answer
/// to it — confirmed, or objected to, which files a complaint to the employer (kept for the
/// complaint subsystem).
struct WorkerWageService: Sendable {
    let database: DatabaseService
    let cards: WageCardService
    let audit = AuditTrail()

    struct Entry: Sendable {
        var line: PayrollLineModel
        var payroll: PayrollModel
        var projectName: String
        var unitName: String
        var cardMasked: String?
        var bankName: String?
    }

    /// The worker's lines on submitted payrolls (drafts are the employer's work in progress), newest first.
    func entries(of workerID: UUID, lineID: UUID? = nil) async throws -> [Entry] {
        let db = database.database()
        var query = PayrollLineModel.query(on: db).filter(\.$workerID == workerID)
        if let lineID { query = query.filter(\.$id == lineID) }
        let lines = try await query.sort(\.$payMonth, .descending).all()
        guard !lines.isEmpty else { return [] }
        let payrolls = try await PayrollModel.query(on: db).filter(\.$id ~~ Array(Set(lines.map(\.payrollID))))
            .filter(\.$status != "draft").all()
        let byID = Dictionary(uniqueKeysWithValues: payrolls.map { ($0.uuid, $0) })
        let projects = try await ProjectModel.query(on: db).filter(\.$id ~~ Array(Set(lines.map(\.projectID)))).all()
        let projectNames = Dictionary(uniqueKeysWithValues: projects.map { ($0.uuid, $0.name) })
        let units = try await ProjectUnitModel.query(on: db).filter(\.$id ~~ Array(Set(lines.map(\.unitID)))).all()
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.uuid, $0.name) })
        let cardIDs = lines.compactMap(\.cardID)
        let cardList = cardIDs.isEmpty ? [] : try await WorkerBankCardModel.query(on: db).filter(\.$id ~~ cardIDs).all()
        let cardsByID = Dictionary(uniqueKeysWithValues: cardList.map { ($0.uuid, $0) })
        return lines.compactMap { line in
            guard let payroll = byID[line.payrollID] else { return nil }
            let card = line.cardID.flatMap { cardsByID[$0] }
            return Entry(
                line: line, payroll: payroll, projectName: projectNames[line.projectID] ?? "",
                unitName: unitNames[line.unitID] ?? "", cardMasked: card?.numberMasked, bankName: card?.bankName)
        }
    }

    /// The worker confirms the month's line (it is right) or objects (a complaint to the employer).
    func respond(
        line lineID: UUID, confirm: Bool, text: String, worker workerID: UUID, by account: AccountSnapshot
    ) async throws -> ComplaintModel? {
        let db = database.database()
        guard let entry = try await entries(of: workerID, lineID: lineID).first else { throw AppError.notFound }
        let line = entry.line
        if line.workerResponse != nil {
            throw AppError(
                .conflict, code: "WAGE_ALREADY_ANSWERED",
                message: line.workerResponse == "confirmed" ? "您已确认过这个月的工资" : "您已对这个月的工资提出异议，请等待处理")
        }
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !confirm, reason.count < 2 {
            throw AppError.badRequest("WAGE_OBJECTION_TEXT", "请说明哪里不对，例如：少算了天数、金额不对、没有收到钱")
        }
        let project = try await ProjectModel.find(line.projectID, on: db)
        var complaint: ComplaintModel?
        if !confirm {
            let made = ComplaintModel()
            made.id = UUID()
            made.code = Self.complaintCode()
            made.workerID = workerID
            made.projectID = line.projectID
            made.unitID = line.unitID
            made.category = "wage"
            made.subjectKind = "payroll_line"
            made.subjectID = lineID
            made.text = String(reason.prefix(500))
            made.status = "submitted"
            made.createdAt = ServerClock.now()
            made.updatedAt = made.createdAt
            complaint = made
        }
        line.workerResponse = confirm ? "confirmed" : "objected"
        line.respondedAt = ServerClock.now()
        let filed = complaint
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await line.update(on: tx)
            if let filed { try await filed.create(on: tx) }
            return (
                (),
                AuditDraft(
                    action: confirm ? "wage.confirmed" : "wage.objected", entityType: "payroll_line",
                    entityID: lineID.uuidString, divisionCode: project?.divisionCode ?? "",
                    summary: confirm
                        ? "工人确认\(line.payMonth)工资（\(entry.projectName)）"
                        : "工人对\(line.payMonth)工资提出异议（\(entry.projectName)），投诉编号 \(filed?.code ?? "")",
                    change: ["line": lineID.uuidString, "complaint": filed?.code ?? ""])
            )
        }
        return complaint
    }

    /// TS + date + 6 random digits.
    static func complaintCode() -> String {
        let today = ProjectService.today()
        let digits = (0..<6).map { _ in String(Int.random(in: 0..<10)) }.joined()
        return "TS\(today.description.replacingOccurrences(of: "-", with: ""))\(digits)"
    }
}
