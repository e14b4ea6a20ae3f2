import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Issue 4's part of the demo: projects in three divisions with their units, teams, managers,
/// contracts, training, workers on site and past exits, a dedicated account where one is due,
/// and a team founded by the demo worker on the phone. Dates are relative to today, so the demo
/// stays plausible whenever it is loaded.
extension DemoData {
    struct DemoProject {
        var name: String
        var division: String
        var address: String
        var category: String
        var builder: (String, String)
        var fence: String
        var ageDays: Int
        var hasAccount: Bool
        var hasLabourOfficer: Bool
    }

    static let demoProjects: [DemoProject] = [
        DemoProject(
            name: "锦江区东大街安置房项目", division: "510104", address: "成都市锦江区东大街 128 号", category: "01",
            builder: ("成都锦江城市建设投资有限公司", "91510104MA61XTB21P"),
            fence:
                "30.652400,104.086200; 30.653900,104.086200; 30.653900,104.088600; 30.652900,104.088600; 30.652900,104.087400; 30.652400,104.087400",
            ageDays: 200, hasAccount: true, hasLabourOfficer: true),
        DemoProject(
            name: "武侯区人民南路综合管廊工程", division: "510107", address: "成都市武侯区人民南路四段", category: "02",
            builder: ("成都市市政工程建设中心", "12510100MB0U14536X"), fence: "30.620500,104.067300,350", ageDays: 120,
            hasAccount: false, hasLabourOfficer: false),
        DemoProject(
            name: "涪城区临园路钢结构厂房", division: "510703", address: "绵阳市涪城区临园路 6 号", category: "01",
            builder: ("绵阳科技城产业投资有限公司", "91510700MA6286WQ3T"), fence: "31.468100,104.679300,250", ageDays: 90,
            hasAccount: true, hasLabourOfficer: true),
    ]

    func seedProjects(shujian: EnterpriseModel, jincheng: EnterpriseModel, fucheng: EnterpriseModel) async throws {
        let db = accounts.database.database()
        let today = LocalDate.today(in: ChineseFormat.timeZone)
        let workers = try await WorkerModel.query(on: db).filter(\.$verificationCode != nil).sort(\.$createdAt)
            .sort(\.$idNumberMasked).sort(\.$name).all()  // the same order on every run
        let zhang = workers.first { $0.name == "张建国" }
        let others = workers.filter { $0.name != "张建国" && ($0.healthCertificateRequired ?? false) == false }
        let creator = try await AccountModel.query(on: db).filter(\.$username == "sj_admin").first()?.id ?? UUID()
        let contractors = [shujian, shujian, fucheng]
        try await accounts.audit.write(on: db, actor: .system) { tx in
            var nextSysNo = 100_001
            var codes: [String: Int] = [:]
            for (index, spec) in Self.demoProjects.enumerated() {
                let contractor = contractors[index]
                let start = today.nearAdding(days: -spec.ageDays)
                let project = ProjectModel()
                project.id = UUID()
                let sequence = (codes[spec.division] ?? 0) + 1
                codes[spec.division] = sequence
                project.code = spec.division + String(today.year) + String(format: "%04d", sequence)
                project.name = spec.name
                project.description = "演示项目"
                project.category = spec.category
                project.status = "003"
                project.divisionCode = spec.division
                project.address = spec.address
                project.contractorEnterpriseID = contractor.uuid
                project.contractorCreditCode = contractor.creditCode
                project.contractorName = contractor.name
                project.builderName = spec.builder.0
                project.builderCreditCode = spec.builder.1
                project.permitNumber = "\(spec.division)2026\(String(format: "%04d", 301 + index))0101"
                project.investFen = Int64(12_000 + index * 3_500) * 10_000 * 100
                project.buildingArea = Double(38_000 + index * 9_000)
                project.startDate = start.description
                project.completionDate = start.nearAdding(days: 720).description
                project.approvalLevel = "004"
                project.size = index == 1 ? "01" : "02"
                project.nature = "001"
                project.function = index == 1 ? "999" : "100"
                project.linkMan = "项目部办公室"
                project.linkPhone = "028-8661\(2300 + index)"
                project.contractSignedOn = start.nearAdding(days: -40).description
                let fence = try? Geofence.parse(spec.fence)
                project.geofence = fence?.text
                project.latitude = fence?.centroid.latitude
                project.longitude = fence?.centroid.longitude
                project.payDay = 10
                project.authorityPhone = index == 2 ? "0816-2221234" : "028-12345"
                project.createdBy = creator
                project.createdAt = ServerClock.now().addingTimeInterval(Double(-spec.ageDays * 86_400))
                try await project.create(on: tx)

                let main = unit(project, contractor, type: "009", entry: start)
                try await main.create(on: tx)
                try await ledger(project, unit: main, date: start, entry: true, on: tx)
                // The labour subcontractor, and a specialty subcontractor that has already left.
                let labour = unit(
                    project, index == 2 ? jincheng : jincheng, type: "006", entry: start.nearAdding(days: 7))
                labour.pmName = "刘洋"
                labour.pmPhone = "13980001234"
                try await labour.create(on: tx)
                try await ledger(project, unit: labour, date: start.nearAdding(days: 7), entry: true, on: tx)
                if index == 0 {
                    let specialty = unit(project, fucheng, type: "001", entry: start.nearAdding(days: 20))
                    specialty.exitDate = start.nearAdding(days: 110).description
                    try await specialty.create(on: tx)
                    try await ledger(project, unit: specialty, date: start.nearAdding(days: 20), entry: true, on: tx)
                    try await ledger(project, unit: specialty, date: start.nearAdding(days: 110), entry: false, on: tx)
                }

                // Managers: a project manager, and a labour officer where the project has one.
                let pool = Array(others.dropFirst(index * 10).prefix(10))
                guard pool.count >= 8 else { continue }
                try await manager(project, unit: main, worker: pool[0], role: "pm", from: start, on: tx)
                try await manager(project, unit: main, worker: pool[1], role: "safety", from: start, on: tx)
                if spec.hasLabourOfficer {
                    try await manager(project, unit: main, worker: pool[2], role: "labour", from: start, on: tx)
                }

                // Two teams of the labour subcontractor.
                let teamNames = index == 1 ? ["管廊土建一班", "管廊安装班"] : ["钢筋一班", "木工班"]
                var teams: [TeamModel] = []
                for (teamIndex, name) in teamNames.enumerated() {
                    let team = TeamModel()
                    team.id = UUID()
                    team.sysNo = nextSysNo
                    nextSysNo += 1
                    team.name = name
                    team.origin = "unit"
                    team.projectID = project.id
                    team.unitID = labour.id
                    team.leaderWorkerID = pool[3 + teamIndex].id
                    team.leaderName = pool[3 + teamIndex].name
                    team.leaderPhone = "1390000\(String(format: "%04d", 1000 + index * 10 + teamIndex))"
                    team.entryDate = start.nearAdding(days: 8).description
                    team.createdAt = ServerClock.now()
                    try await team.create(on: tx)
                    try await ledger(
                        project, unit: labour, team: team, date: start.nearAdding(days: 8), entry: true, on: tx)
                    teams.append(team)
                }

                // Safety training before entry, then contracts and entries; two workers have left.
                let crew = Array(pool.dropFirst(3)) + (index == 0 ? [zhang].compactMap { $0 } : [])
                let trainingDay = start.nearAdding(days: 8)
                let training = TrainingModel()
                training.id = UUID()
                training.projectID = project.uuid
                training.name = "三级安全教育（公司级、项目级、班组级）"
                training.typeCode = "003001"
                training.heldOn = trainingDay.description
                training.durationHours = 24
                training.trainer = "项目安全员"
                training.description = "安全生产法规、现场安全规定、高处作业与临时用电"
                training.createdAt = ServerClock.now()
                try await training.create(on: tx)
                for (crewIndex, worker) in crew.enumerated() {
                    let attendee = TrainingAttendeeModel()
                    attendee.id = UUID()
                    attendee.trainingID = training.uuid
                    attendee.workerID = worker.uuid
                    try await attendee.create(on: tx)
                    let contract = LabourContractModel()
                    contract.id = UUID()
                    contract.projectID = project.uuid
                    contract.unitID = labour.uuid
                    contract.enterpriseID = labour.enterpriseID
                    contract.workerID = worker.uuid
                    contract.periodType = crewIndex % 3 == 2 ? "1" : "0"
                    contract.startsOn = trainingDay.description
                    contract.endsOn = crewIndex % 3 == 2 ? nil : trainingDay.nearAdding(days: 365).description
                    contract.wageBasis = crewIndex % 4 == 3 ? "month" : "day"
                    contract.rateFen = crewIndex % 4 == 3 ? 650_000 : Int64(28_000 + (crewIndex % 5) * 2_000)
                    contract.signedOn = trainingDay.description
                    contract.createdBy = creator
                    contract.createdAt = ServerClock.now()
                    try await contract.create(on: tx)
                    let team = teams[crewIndex % teams.count]
                    let entryDay = trainingDay.nearAdding(days: 1 + crewIndex % 3)
                    let entry = ProjectWorkerModel()
                    entry.id = UUID()
                    entry.projectID = project.uuid
                    entry.unitID = labour.uuid
                    entry.teamID = team.uuid
                    entry.workerID = worker.uuid
                    entry.workType = ["020", "240", "010", "040", "390"][crewIndex % 5]
                    entry.workRole = "20"
                    entry.isTeamLeader = team.leaderWorkerID == worker.id
                    entry.status = "active"
                    entry.entryDate = entryDay.description
                    entry.hasInsurance = true
                    entry.activeSlot = ProjectWorkerModel.activeSlot
                    entry.createdAt = ServerClock.now()
                    try await ledger(
                        project, unit: labour, team: team, worker: worker, date: entryDay, entry: true, on: tx)
                    if crewIndex == crew.count - 2 && worker.id != zhang?.id {
                        let leaving = entryDay.nearAdding(days: 45)
                        entry.markExited(on: leaving.description)
                        try await ledger(
                            project, unit: labour, team: team, worker: worker, date: leaving, entry: false,
                            reason: "个人原因离场", on: tx)
                    }
                    try await entry.create(on: tx)
                }

                if spec.hasAccount {
                    let number = "51050\(String(format: "%011d", 20_260_001 + index))"
                    let account = WageAccountModel()
                    account.id = UUID()
                    account.projectID = project.uuid
                    account.bankCode = index == 2 ? "105" : "313"
                    account.bankName = index == 2 ? "中国建设银行绵阳涪城支行" : "成都银行锦江支行"
                    account.accountName = WageAccountName.expected(contractor: contractor.name, project: project.name)
                    account.numberCipher = try cipher.seal(number)
                    account.numberHMAC = cipher.lookupHash(number)
                    account.numberMasked = WageAccountService.maskedAccount(number)
                    account.openedOn = start.nearAdding(days: -20).description
                    account.createdAt = ServerClock.now()
                    try await account.create(on: tx)
                    let guarantee = WageGuaranteeModel()
                    guarantee.id = UUID()
                    guarantee.projectID = project.uuid
                    guarantee.amountFen = Int64(1_200_000 + index * 300_000) * 100
                    guarantee.form = index == 2 ? "guarantor" : "bank"
                    guarantee.institution = account.bankName
                    guarantee.validFrom = start.nearAdding(days: -20).description
                    guarantee.validUntil = start.nearAdding(days: 745).description
                    guarantee.createdAt = ServerClock.now()
                    try await guarantee.create(on: tx)
                }
            }

            // 张建国's own team, founded on the phone: two workmates joined, one invitation waits.
            if let zhang {
                let team = TeamModel()
                team.id = UUID()
                team.sysNo = nextSysNo
                team.name = "张师傅钢筋班"
                team.origin = "worker"
                team.leaderWorkerID = zhang.id
                team.leaderName = zhang.name
                team.createdAt = ServerClock.now()
                try await team.create(on: tx)
                let members =
                    [(zhang, "accepted")]
                    + others.suffix(3).enumerated().map { ($0.element, $0.offset < 2 ? "accepted" : "invited") }
                for (worker, status) in members {
                    let member = TeamMemberModel()
                    member.id = UUID()
                    member.teamID = team.uuid
                    member.workerID = worker.uuid
                    member.status = status
                    member.invitedAt = ServerClock.now()
                    member.decidedAt = status == "accepted" ? ServerClock.now() : nil
                    try await member.create(on: tx)
                }
            }
            return (
                (),
                AuditDraft(
                    action: "demo.seeded", entityType: "platform", entityID: "demo-projects", divisionCode: "510000",
                    summary: "装入演示项目数据：\(Self.demoProjects.count) 个项目及其参建单位、班组、合同和进退场记录",
                    change: ["projects": String(Self.demoProjects.count)])
            )
        }
    }

    private func unit(_ project: ProjectModel, _ enterprise: EnterpriseModel, type: String, entry: LocalDate)
        -> ProjectUnitModel
    {
        let unit = ProjectUnitModel()
        unit.id = UUID()
        unit.projectID = project.uuid
        unit.enterpriseID = enterprise.id
        unit.creditCode = enterprise.creditCode
        unit.name = enterprise.name
        unit.participationType = type
        unit.entryDate = entry.description
        unit.createdAt = ServerClock.now()
        return unit
    }

    private func manager(
        _ project: ProjectModel, unit: ProjectUnitModel, worker: WorkerModel, role: String, from: LocalDate,
        on db: any Database
    ) async throws {
        let manager = ProjectManagerModel()
        manager.id = UUID()
        manager.projectID = project.uuid
        manager.unitID = unit.uuid
        manager.workerID = worker.uuid
        manager.role = role
        // From the name, the same on every run (String.hashValue is seeded per process).
        let digits = worker.name.unicodeScalars.reduce(7) { ($0 * 31 + Int($1.value)) % 10_000 }
        manager.phone = "1380000\(String(format: "%04d", digits))"
        manager.startsOn = from.description
        manager.createdAt = ServerClock.now()
        try await manager.create(on: db)
    }

    private func ledger(
        _ project: ProjectModel, unit: ProjectUnitModel, team: TeamModel? = nil, worker: WorkerModel? = nil,
        date: LocalDate, entry: Bool, reason: String? = nil, on db: any Database
    ) async throws {
        try await EntryExitRecordModel(
            projectID: project.uuid, subject: worker != nil ? "worker" : team != nil ? "team" : "unit",
            unitID: unit.uuid,
            teamID: team?.id, workerID: worker?.id, entry: entry, date: date.description, reason: reason,
            recordedBy: "演示数据"
        ).create(on: db)
    }
}
