import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// `ProjectWorker.*`, `WorkerEntryExit.Add`, `WorkerContract.Add` and `ProjectTraining.Add`
/// (b.6) through the real-name verification and `WorkforceService`: a worker is verified as on
/// every other channel, registered to a team, and enters only once contract and safety training
/// are on file (R2) — each record's fault named with its place in the list.
extension NationalWrites {
    /// The verified worker with this ID number, or the text that tells the vendor to upload them.
    func verifiedWorker(_ number: String) async throws -> WorkerModel {
        guard let worker = try await verification.verifiedWorker(number: number) else {
            throw Refusal(code: .invalidParameters, message: "该身份证号的工人尚未在本项目登记，请先调用 ProjectWorker.Add")
        }
        return worker
    }

    /// The national names of the verification's fields, so a refusal speaks the vendor's language.
    static let verificationFields = [
        "name": "workerName", "idNumber": "idCardNumber", "idCardType": "idCardType", "nation": "nation",
        "address": "address", "issuingAuthority": "grantOrg", "validity": "startDate/expiryDate",
        "portrait": "headImage", "idFront": "positiveIDCardImage", "idBack": "negativeIDCardImage",
        "birthDate": "idCardNumber", "gender": "idCardNumber",
    ]

    /// A list's outcome: every record's fault by its place, the records that passed kept.
    static func outcome(_ problems: [String], done: Int, noun: String, result: String? = nil) -> Outcome {
        guard !problems.isEmpty else { return .succeeded(result) }
        return .failed(
            (done > 0 ? "已处理 \(done) \(noun)，\(problems.count) \(noun)未处理：" : "") + problems.joined(separator: "；"))
    }

    /// Each record of a list on its own: its faults named by its place in the list, the records
    /// that pass kept (`outcome`).
    func eachRecord(
        _ list: [[String: NationalJSON]], in name: String, caller: NationalCaller, noun: String,
        _ body: (inout NationalInput) async throws -> Void
    ) async -> Outcome {
        var problems: [String] = []
        var done = 0
        for (index, fields) in list.enumerated() {
            var input = NationalInput(fields, secret: caller.secret, place: "\(name) 第 \(index + 1) 条：")
            do {
                try await body(&input)
                done += 1
            } catch {
                problems.append(
                    input.problems.isEmpty
                        ? input.place + (Self.describe(error) ?? "处理失败") : input.problems.joined(separator: "；"))
            }
        }
        return Self.outcome(problems, done: done, noun: noun)
    }

    static func describe(_ error: any Error) -> String? {
        switch error {
        case let error as AppError: "\(error.message)（\(error.code)）"
        case let refusal as Refusal: refusal.message
        default: nil
        }
    }

    /// `ProjectWorker.Add`: each worker verified (a number already verified is taken as it is,
    /// its name compared), registered to the team, and the wage card on file.
    func projectWorkerAdd(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var header = NationalInput(data, secret: caller.secret)
        let corpCode = header.required("corpCode", max: 18)
        let sysNo = header.integer("teamSysNo", required: true)
        let list = header.list("workerList", required: true, max: 50)
        try header.throwIfAny()
        let unit = try await unit(corpCode ?? "", of: caller)
        let team = try await team(sysNo, of: caller)
        guard team.unitID == unit.id else {
            return .failed("teamSysNo \(team.sysNo) 不属于参建单位 \(unit.creditCode)")
        }
        return await eachRecord(list, in: "workerList", caller: caller, noun: "人") { input in
            try await registerWorker(&input, team: team, caller: caller)
        }
    }

    private func registerWorker(_ input: inout NationalInput, team: TeamModel, caller: NationalCaller) async throws {
        let name = input.required("workerName", max: 50)
        let type = input.code("idCardType", in: .idCardTypes, required: true)
        let number = input.decrypted("idCardNumber", required: true)?.uppercased()
        let workType = input.required("workType", max: 10)
        let role = input.code("workRole", in: .workRoles, required: true)
        let leader = input.flag("isTeamLeader", required: true)
        let insurance = input.flag("hasBuyInsurance", required: false)
        let head = input.image("headImage", required: false, maxKilobytes: 50)
        let front = input.image("positiveIDCardImage", required: false, maxKilobytes: 500)
        let back = input.image("negativeIDCardImage", required: false, maxKilobytes: 500)
        let starts = input.date("startDate", required: false)
        let expiry = input.text("expiryDate")
        let card = input.decrypted("payRollBankCardNumber", required: false)
        try input.throwIfAny()
        guard let name, let number, let workType, let role else { throw Refusal(code: .invalidParameters, message: "") }
        var worker = try await verification.verifiedWorker(number: number)
        if let existing = worker, existing.name != name {
            input.add("workerName 与平台已登记的实名信息不一致")
            try input.throwIfAny()
        }
        if worker == nil {
            // Birth date and gender as the number states them (the national object carries neither).
            let facts = verification.numbers.validate(number, today: ProjectService.today()).facts
            let birth = facts?.birthDate.description ?? ""
            let gender = facts?.gender.nationalCode ?? ""
            let nationText = input.text("nation") ?? ""
            let validity =
                starts.map { start in
                    let until =
                        expiry.map { $0 == "长期" ? "长期" : $0.replacingOccurrences(of: "-", with: ".") } ?? ""
                    return start.description.replacingOccurrences(of: "-", with: ".") + "-" + until
                } ?? ""
            let submission = WorkerSubmission(
                name: name, idCardType: type ?? CodeTable.residentIdentityCardType, idNumber: number, gender: gender,
                nation: CodeTable.nationCode(forPrintedName: nationText) ?? nationText, birthDate: birth,
                address: input.text("address") ?? "", issuingAuthority: input.text("grantOrg") ?? "",
                validity: validity, portrait: head, idFront: front, idBack: back)
            let outcome = try await verification.submit(submission, by: caller.submitter)
            switch outcome.status {
            case .passed:
                worker = try await verification.verifiedWorker(number: number)
            case .refused:
                for fault in outcome.faults {
                    input.add("\(Self.verificationFields[fault.field] ?? "实名信息")：\(fault.message)")
                }
                if outcome.faults.isEmpty { input.add("实名核验未通过：\(outcome.message)") }
            case .waiting:
                input.add("实名核验正在等待身份核验服务应答（核验流水号 \(outcome.serial)），请稍后重新提交")
            }
            try input.throwIfAny()
        }
        guard let worker else { throw Refusal(code: .invalidParameters, message: input.place + "实名核验未完成，请稍后重新提交") }
        let registration = try await projects.workforce.register(
            .init(
                teamID: team.uuid, worker: worker, workType: workType, workRole: role, isTeamLeader: leader ?? false,
                cardNumber: input.text("cardNumber"), hasInsurance: insurance ?? false,
                cellPhone: input.text("cellPhone")),
            project: caller.project.uuid, scope: caller.scope, by: caller.account)
        if let card, !card.isEmpty {
            try await keepCard(
                card, bankCode: input.text("payRollTopBankCode"), bankName: input.text("payRollBankName"),
                worker: worker, registration: registration, caller: caller)
        }
    }

    /// A wage card for a worker on the project is registered now; for one registered but not yet
    /// on site it is kept sealed with the registration and registered at the entry (a card is
    /// registered only for a worker the unit employs on the project).
    func keepCard(
        _ number: String, bankCode: String?, bankName: String?, worker: WorkerModel,
        registration: WorkerRegistrationModel, caller: NationalCaller
    ) async throws {
        let digits = number.filter { !$0.isWhitespace && $0 != "-" }
        guard (10...30).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Refusal(code: .invalidParameters, message: "payRollBankCardNumber 应为 10 到 30 位数字")
        }
        if let bankCode, CodeTable.banks.name(of: bankCode) == nil {
            throw Refusal(code: .invalidParameters, message: "payRollTopBankCode“\(bankCode.prefix(10))”不在银行代码表中")
        }
        let onProject =
            try await ProjectWorkerModel.query(on: database.database())
            .filter(\.$projectID == caller.project.uuid).filter(\.$workerID == worker.uuid).count() > 0
        if onProject {
            try await keepCard(digits, bankCode: bankCode, bankName: bankName, worker: worker, caller: caller)
        } else {
            registration.wageCardSealed = try cipher.seal(digits)
            registration.wageBankCode = bankCode
            registration.wageBankName = bankName
            try await registration.update(on: database.database())
        }
    }

    /// The card kept with the registration, registered once the worker has entered.
    func registerKeptCard(_ registration: WorkerRegistrationModel, worker: WorkerModel, caller: NationalCaller)
        async throws
    {
        guard let sealed = registration.wageCardSealed else { return }
        let number = try cipher.open(sealed)
        try await keepCard(
            number, bankCode: registration.wageBankCode, bankName: registration.wageBankName, worker: worker,
            caller: caller)
        registration.wageCardSealed = nil
        try await registration.update(on: database.database())
    }

    /// A wage card number that is not the worker's card on file becomes the worker's card.
    func keepCard(_ number: String, bankCode: String?, bankName: String?, worker: WorkerModel, caller: NationalCaller)
        async throws
    {
        let digits = number.filter { !$0.isWhitespace && $0 != "-" }
        let current = try await wages.cards.activeCards(of: [worker.uuid])[worker.uuid]
        guard current?.numberHMAC != cipher.lookupHash(digits) else { return }
        _ = try await wages.cards.register(
            .init(bankCode: bankCode ?? "", bankName: bankName ?? "", holderName: worker.name, number: digits),
            worker: worker.uuid, project: caller.project.uuid, scope: caller.scope, by: caller.account)
    }

    /// `ProjectWorker.Update`: the registration's details, and those of the worker's current
    /// entry (work type, role, leader flag, card, insurance); the wage card.
    func projectWorkerUpdate(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var header = NationalInput(data, secret: caller.secret)
        let sysNo = header.integer("teamSysNo", required: true)
        let list = header.list("workerList", required: true, max: 50)
        try header.throwIfAny()
        let team = try await team(sysNo, of: caller)
        return await eachRecord(list, in: "workerList", caller: caller, noun: "人") { input in
            let number = input.decrypted("idCardNumber", required: true)
            let role = input.code("workRole", in: .workRoles, required: false)
            let leader = input.flag("isTeamLeader", required: false)
            let insurance = input.flag("hasBuyInsurance", required: false)
            let card = input.decrypted("payRollBankCardNumber", required: false)
            try input.throwIfAny()
            let worker = try await verifiedWorker(number ?? "")
            // The details on file: the registration, or for a worker entered in the console
            // (who has none) the latest entry.
            let registration = try await projects.workforce.registration(
                of: worker.uuid, project: caller.project.uuid)
            let entry = try await projects.workforce.workers(of: caller.project.uuid)
                .first { $0.workerID == worker.uuid }
            guard registration != nil || entry != nil else {
                throw Refusal(code: .invalidParameters, message: "该工人尚未在本项目登记，请先调用 ProjectWorker.Add")
            }
            let updated = try await projects.workforce.register(
                .init(
                    teamID: team.uuid, worker: worker,
                    workType: input.text("workType") ?? registration?.workType ?? entry?.workType ?? "",
                    workRole: role ?? registration?.workRole ?? entry?.workRole ?? "20",
                    isTeamLeader: leader ?? registration?.isTeamLeader ?? entry?.isTeamLeader ?? false,
                    cardNumber: input.text("cardNumber") ?? registration?.cardNumber ?? entry?.cardNumber,
                    hasInsurance: insurance ?? registration?.hasInsurance ?? entry?.hasInsurance ?? false,
                    cellPhone: input.text("cellPhone") ?? registration?.cellPhone),
                project: caller.project.uuid, scope: caller.scope, by: caller.account)
            if let card, !card.isEmpty {
                try await keepCard(
                    card, bankCode: input.text("payRollTopBankCode"), bankName: input.text("payRollBankName"),
                    worker: worker, registration: updated, caller: caller)
            }
        }
    }

    /// `WorkerEntryExit.Add`: type 1 enters a registered worker (`WorkforceService.enter`, with
    /// every entry rule), type 0 closes the worker's entry (`WorkforceService.exit`). An entry
    /// already recorded on the same date is the same record sent again.
    func entryExitAdd(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var header = NationalInput(data, secret: caller.secret)
        let sysNo = header.integer("teamSysNo", required: true)
        let list = header.list("workerList", required: true, max: 50)
        try header.throwIfAny()
        let team = try await team(sysNo, of: caller)
        return await eachRecord(list, in: "workerList", caller: caller, noun: "条") { input in
            let number = input.decrypted("idCardNumber", required: true)
            let date = input.date("date", required: true)
            let type = input.integer("type", required: true)
            if let type, type != 0, type != 1 { input.add("type 应为 1（进场）或 0（退场）") }
            try input.throwIfAny()
            guard let date, let type else { throw Refusal(code: .invalidParameters, message: "") }
            let worker = try await verifiedWorker(number ?? "")
            let entries = try await ProjectWorkerModel.query(on: database.database())
                .filter(\.$projectID == caller.project.uuid).filter(\.$workerID == worker.uuid).all()
            let active = entries.first(where: \.isActive)
            if type == 1 {
                if let active, active.entryDate == date.description {
                    return
                }
                guard
                    let registration = try await projects.workforce.registration(
                        of: worker.uuid, project: caller.project.uuid)
                else { throw Refusal(code: .invalidParameters, message: "该工人尚未在本项目登记，请先调用 ProjectWorker.Add") }
                _ = try await projects.workforce.enter(
                    .init(
                        teamID: team.uuid.uuidString, workerID: worker.uuid, workType: registration.workType,
                        workRole: registration.workRole, isTeamLeader: registration.isTeamLeader,
                        entryDate: date.description, cardNumber: registration.cardNumber ?? "",
                        hasInsurance: registration.hasInsurance),
                    project: caller.project.uuid, scope: caller.scope, by: caller.account)
                do {
                    try await registerKeptCard(registration, worker: worker, caller: caller)
                } catch {
                    throw Refusal(
                        code: .invalidParameters,
                        message: "已进场，但登记时提供的工资卡未能登记：\(Self.describe(error) ?? "请重新上传 ProjectWorker.Update")")
                }
            } else {
                if active == nil, entries.contains(where: { $0.exitDate == date.description }) {
                    return
                }
                guard let active else { throw Refusal(code: .invalidParameters, message: "该工人当前不在场，无需退场") }
                try await projects.workforce.exit(
                    active.uuid, date: date.description, reason: "接入系统上报退场", project: caller.project.uuid,
                    scope: caller.scope, by: caller.account)
            }
        }
    }

    /// `WorkerContract.Add`: each contract through `WorkforceService.signContract`. SiteRoll
    /// contracts state how wages are computed: `unit` + `unitPrice` make a piece-rate contract;
    /// otherwise the SiteRoll fields `wageBasis` (day/month) and `wageRate` (元) are required.
    func contractAdd(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var header = NationalInput(data, secret: caller.secret)
        let list = header.list("contractList", required: true, max: 50)
        try header.throwIfAny()
        return await eachRecord(list, in: "contractList", caller: caller, noun: "份") { input in
            let corpCode = input.required("corpCode", max: 18)
            let number = input.decrypted("idCardNumber", required: true)
            let period = input.code("contractPeriodType", in: .contractPeriodTypes, required: true)
            let start = input.date("startDate", required: true)
            let end = input.date("endDate", required: period == "0")
            let pieceUnit = input.code("unit", in: .pieceUnits, required: false)
            let price = input.decimal("unitPrice", required: false)
            let basis =
                pieceUnit != nil && price != nil
                ? "piece" : input.code("wageBasis", in: .wageBases, required: false)
            let rate = basis == "piece" ? price : input.decimal("wageRate", required: false)
            if basis == nil || rate == nil {
                input.add("请写明工资标准：计件合同填写 unit 和 unitPrice；按日或按月计酬填写 wageBasis（day 或 month）和 wageRate（元）")
            }
            let file = try attachment(input.fields["attachments"], label: "attachments", input: &input)
            try input.throwIfAny()
            let unit = try await unit(corpCode ?? "", of: caller)
            let worker = try await verifiedWorker(number ?? "")
            let today = ProjectService.today()
            let signed = start.map { min($0, today) } ?? today
            _ = try await projects.workforce.signContract(
                .init(
                    unitID: unit.uuid.uuidString, workerCode: worker.verificationCode ?? "",
                    periodType: period ?? "",
                    startsOn: start?.description ?? "", endsOn: end?.description ?? "", wageBasis: basis ?? "",
                    rate: rate ?? "", pieceUnit: pieceUnit ?? "", signedOn: signed.description, file: file),
                project: caller.project.uuid, scope: caller.scope, by: caller.account)
        }
    }

    /// The first of `[{name, data (Base64)}]`, the contract scan (PDF, JPEG or PNG).
    func attachment(_ value: NationalJSON?, label: String, input: inout NationalInput) throws -> UploadedFile? {
        guard case .array(let items)? = value, case .object(let first)? = items.first else { return nil }
        guard case .string(let text)? = first["data"],
            let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters), !data.isEmpty
        else {
            input.add("\(label) 的 data 应为 Base64 编码的文件")
            return nil
        }
        let name = first.string("name") ?? "attachment"
        return UploadedFile(fileName: String(name.prefix(100)), contentType: "", data: data)
    }

    /// `ProjectTraining.Add` (`WorkforceService.registerTraining`): a worker who did not pass is
    /// kept as such and does not count as trained for entry.
    func trainingAdd(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var input = NationalInput(data, secret: caller.secret)
        let date = input.date("trainingDate", required: true)
        let hours = input.decimal("trainingDuration", required: true)
        let name = input.required("trainingName")
        let type = input.code("trainingTypeCode", in: .trainingTypes, required: true)
        let trainer = input.optional("trainer", max: 50) ?? input.optional("trainingOrg", max: 50)
        if trainer == nil { input.add("请填写 trainer（培训人）或 trainingOrg（培训机构）") }
        let list = input.list("workers", required: true, max: 500)
        var results: [UUID: WorkforceService.AttendeeResult] = [:]
        for (index, fields) in list.enumerated() {
            var worker = NationalInput(fields, secret: caller.secret, place: "workers 第 \(index + 1) 条：")
            let number = worker.decrypted("idCardNumber", required: true)
            let passed = worker.flag("isPass", required: true)
            let score = worker.decimal("trainingScore", required: false).flatMap(Double.init)
            if let score, !(0...100).contains(score) { worker.add("trainingScore 应在 0 到 100 之间") }
            if let number, worker.problems.isEmpty {
                if let found = try await verification.verifiedWorker(number: number) {
                    results[found.uuid] = .init(passed: passed ?? true, score: score)
                } else {
                    worker.add("该身份证号的工人尚未在平台实名登记，请先调用 ProjectWorker.Add")
                }
            }
            for problem in worker.problems { input.add(problem) }
        }
        try input.throwIfAny()
        let training = try await projects.workforce.registerTraining(
            .init(
                name: name ?? "", typeCode: type ?? "", heldOn: date?.description ?? "", hours: hours ?? "",
                trainer: trainer ?? "", description: input.text("description") ?? "",
                organisation: input.text("trainingOrg") ?? "",
                address: input.text("trainingAddress") ?? input.text("trainingAddres") ?? "", results: results),
            project: caller.project.uuid, scope: caller.scope, by: caller.account)
        _ = training
        return .succeeded(nil)
    }
}
