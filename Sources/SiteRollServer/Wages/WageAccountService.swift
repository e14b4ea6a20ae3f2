import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// The project's dedicated wage account (专户, W7), its wage guarantee (W13) and the rights notice
/// board (维权信息告示牌, W15) built from the project's own data.
struct WageAccountService: Sendable {
    let database: DatabaseService
    let reach: ProjectReach
    let projects: ProjectService
    let cipher: FieldCipher
    let minimumWages: MinimumWageBook
    let labourInspectionPhone: String
    let legalAidPhone: String
    let audit = AuditTrail()

    func account(of projectID: UUID) async throws -> WageAccountModel? {
        try await WageAccountModel.query(on: database.database()).filter(\.$projectID == projectID).first()
    }

    func guarantees(of projectID: UUID) async throws -> [WageGuaranteeModel] {
        try await WageGuaranteeModel.query(on: database.database()).filter(\.$projectID == projectID)
            .sort(\.$validUntil, .descending).all()
    }

    struct AccountInput: Sendable {
        var bankCode = ""
        var bankName = ""
        var accountName = ""
        var number = ""
        var openedOn = ""
    }

    static func maskedAccount(_ number: String) -> String {
        number.count <= 8
            ? String(repeating: "*", count: number.count)
            : number.prefix(4) + String(repeating: "*", count: number.count - 8) + number.suffix(4)
    }

    /// Records (or replaces) the dedicated account; the general contractor opens it (条例 art. 26).
    func saveAccount(_ input: AccountInput, project projectID: UUID, scope: AccessScope, by account: AccountSnapshot)
        async throws
    {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        var problems = FieldProblems()
        let bank = problems.code(input.bankCode, in: .banks, "开户银行")
        let branch = problems.required(input.bankName, "开户网点", max: 50)
        let name = problems.required(input.accountName, "账户名称")
        if !name.isEmpty,
            !WageAccountName.follows(name, contractor: project.contractorName, project: project.name)
        {
            problems.add(
                "账户名称应为“总包单位名称 + 项目名称 + 农民工工资专用账户”，即“\(WageAccountName.expected(contractor: project.contractorName, project: project.name))”"
            )
        }
        let number = input.number.filter { !$0.isWhitespace && $0 != "-" }
        if number.count < 8 || number.count > 32 || !number.allSatisfy(\.isNumber) { problems.add("账号应为 8 到 32 位数字") }
        let opened = problems.date(input.openedOn, "开户日期", required: true)
        if let opened, opened > ProjectService.today() { problems.add("开户日期不能晚于今天") }
        try problems.throwIfAny("WAGE_ACCOUNT_INVALID")
        guard let bank, let opened else { throw FieldProblems.incomplete("WAGE_ACCOUNT_INVALID") }
        let db = database.database()
        let model = try await self.account(of: projectID) ?? WageAccountModel()
        let replacing = model.id != nil
        if model.id == nil {
            model.id = UUID()
            model.projectID = projectID
            model.createdAt = ServerClock.now()
        }
        model.bankCode = bank
        model.bankName = branch
        model.accountName = name
        model.numberCipher = try cipher.seal(number)
        model.numberHMAC = cipher.lookupHash(number)
        model.numberMasked = Self.maskedAccount(number)
        model.openedOn = opened.description
        try await audit.write(on: db, actor: account.auditActor) { tx in
            try await model.save(on: tx)
            return (
                (),
                AuditDraft(
                    action: replacing ? "wage-account.changed" : "wage-account.recorded", entityType: "wage_account",
                    entityID: model.uuid.uuidString, divisionCode: project.divisionCode,
                    enterpriseID: account.enterpriseID?.uuidString ?? "",
                    summary: "\(project.name)：\(replacing ? "变更" : "登记")农民工工资专用账户 \(model.numberMasked)",
                    change: ["bank": model.bankCode, "account": model.numberHMAC, "opened": model.openedOn])
            )
        }
    }

    struct GuaranteeInput: Sendable {
        var amount = ""
        var form = ""
        var institution = ""
        var validFrom = ""
        var validUntil = ""
    }

    func addGuarantee(
        _ input: GuaranteeInput, project projectID: UUID, scope: AccessScope,
        by account: AccountSnapshot
    ) async throws {
        let (project, standing) = try await reach.projectForChange(projectID, in: scope)
        try standing.requireContractor()
        var problems = FieldProblems()
        let amount = problems.money(input.amount, "保证金金额（元）", required: true)
        if amount == 0 { problems.add("保证金金额应大于 0") }
        let form = problems.code(input.form, in: .guaranteeForms, "缴纳形式")
        let institution = problems.optional(input.institution, "存储银行或出具机构", max: 100)
        let from = problems.date(input.validFrom, "有效期开始", required: true)
        let until = problems.date(input.validUntil, "有效期截止", required: true)
        if let from, let until, until <= from { problems.add("有效期截止应晚于开始日期") }
        try problems.throwIfAny("GUARANTEE_INVALID")
        guard let amount, let form, let from, let until else { throw FieldProblems.incomplete("GUARANTEE_INVALID") }
        let model = WageGuaranteeModel()
        model.id = UUID()
        model.projectID = projectID
        model.amountFen = amount
        model.form = form
        model.institution = institution
        model.validFrom = from.description
        model.validUntil = until.description
        model.createdAt = ServerClock.now()
        try await audit.write(on: database.database(), actor: account.auditActor) { tx in
            try await model.create(on: tx)
            return (
                (),
                AuditDraft(
                    "wage-guarantee.recorded", on: project, by: account, entity: "wage_guarantee", id: model.uuid,
                    summary:
                        "\(project.name)：登记工资保证金 \(Money.yuan(model.amountFen)) 元（\(CodeTable.guaranteeForms.name(of: model.form) ?? "")，至 \(model.validUntil)）",
                    change: ["amount": String(model.amountFen), "form": model.form, "until": model.validUntil])
            )
        }
    }

    // MARK: Rights board (W15)

    struct Board: Sendable {
        struct Line: Sendable {
            var label: String
            var value: String
        }

        var projectName: String
        var projectCode: String
        var address: String
        var builder: [Line]
        var contractor: [Line]
        var subcontractors: [Line]
        var authority: [Line]
        var labourOfficers: [Line]
        var wages: [Line]
        var hotlines: [Line]
        /// What the board still lacks (WW-11): shown to the contractor, not printed.
        var missing: [String]
    }

    func board(for project: ProjectModel, divisions: DivisionCatalog) async throws -> Board {
        let db = database.database()
        let today = ProjectService.today()
        var missing: [String] = []
        let units = try await projects.units(of: project.uuid)
        let managers = try await projects.managers(of: project.uuid).filter {
            $0.startsOn <= today.description && ($0.endsOn ?? "9999-12-31") >= today.description
        }
        let people = try await WorkerModel.query(on: db).filter(\.$id ~~ managers.map(\.workerID)).all()
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.uuid, $0.name) })
        let contractorUnit = units.first { $0.participationType == "009" }
        let pm = managers.first { $0.role == "pm" && $0.unitID == contractorUnit?.id }
        if project.builderName == nil { missing.append("建设单位名称") }
        if pm == nil { missing.append("总承包单位项目负责人") }
        let officers = managers.filter { $0.role == "labour" }
        if officers.isEmpty { missing.append("劳资专管员") }
        if project.authorityPhone == nil { missing.append("主管部门投诉电话") }
        let account = try await self.account(of: project.uuid)
        if account == nil { missing.append("农民工工资专用账户") }
        let division = DivisionCode(project.divisionCode)
        let minimum = division.flatMap { minimumWages.monthlyFen(for: $0, on: today) }
        if minimum == nil { missing.append("当地最低工资标准（平台配置）") }
        let authorityName = division.map { divisions.fullName(of: $0) + "住房和城乡建设主管部门" } ?? ""
        let subcontractors = units.filter {
            !["009", "008", "007"].contains($0.participationType) && $0.exitDate == nil
        }
        return Board(
            projectName: project.name, projectCode: project.code, address: project.address ?? "",
            builder: [
                .init(label: "建设单位", value: project.builderName ?? "（未登记）"),
                .init(label: "统一社会信用代码", value: project.builderCreditCode ?? ""),
            ],
            contractor: [
                .init(label: "施工总承包单位", value: project.contractorName),
                .init(label: "项目负责人", value: pm.map { "\(names[$0.workerID] ?? "") \($0.phone ?? "")" } ?? "（未任命）"),
            ],
            subcontractors: subcontractors.map {
                .init(
                    label: CodeTable.participationTypes.name(of: $0.participationType) ?? "分包单位",
                    value: $0.name + ($0.pmName.map { "（负责人 \($0)）" } ?? ""))
            },
            authority: [
                .init(label: "行业主管部门", value: authorityName),
                .init(label: "投诉电话", value: project.authorityPhone ?? "（未设置）"),
            ],
            labourOfficers: officers.map {
                .init(label: "劳资专管员", value: "\(names[$0.workerID] ?? "") \($0.phone ?? "")")
            },
            wages: [
                .init(label: "当地最低工资标准", value: minimum.map { "\(Money.yuan($0)) 元/月" } ?? "（未配置）"),
                .init(label: "工资支付日", value: "每月 \(project.payDay) 日前支付上月工资"),
                .init(
                    label: "工资专用账户",
                    value: account.map {
                        "\(CodeTable.banks.name(of: $0.bankCode) ?? "") \($0.bankName) \($0.numberMasked)"
                    } ?? "（未开设）"),
            ],
            hotlines: [
                .init(label: "劳动保障监察投诉", value: labourInspectionPhone),
                .init(label: "劳动人事争议调解仲裁", value: "当地劳动人事争议仲裁院；人社服务热线 \(labourInspectionPhone)"),
                .init(label: "法律援助", value: legalAidPhone),
                .init(label: "公共法律服务", value: "12348 公共法律服务热线、中国法律服务网"),
            ],
            missing: missing)
    }
}
