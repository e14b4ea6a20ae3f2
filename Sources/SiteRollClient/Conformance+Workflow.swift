import Foundation
import SiteRollNational

/// The business sequence, in national field names (standards.md b.6). The worker gets a contract
/// and safety training before entering the site: SiteRoll enforces that order, as the law asks
/// (建市〔2019〕18号, standards.md d.1).
extension ConformanceRun {
    static func day(_ date: Date) -> String { NationalClient.dateText(date) }

    static func month(_ date: Date) -> String { String(day(date).prefix(7)) }

    static func time(_ date: Date) -> String { NationalClient.dateTimeText(date) }

    var today: String { Self.day(started) }

    /// The worker's identity as every worker line carries it (ID number AES, b.3).
    func identity() throws -> [String: NationalJSON] {
        ["idCardType": .string("01"), "idCardNumber": .string(try client.encrypt(worker.idNumber))]
    }

    func header() -> [String: NationalJSON] {
        [
            "projectCode": .string(projectCode), "corpCode": .string(unit.code), "corpName": .string(unit.name),
            "teamSysNo": .int(teamSysNo ?? 0),
        ]
    }

    func page(_ extra: [String: NationalJSON] = [:]) -> NationalJSON {
        .object(
            ["projectCode": .string(projectCode), "pageIndex": .int(0), "pageSize": .int(50)].merging(extra) { $1 })
    }

    /// A unit, a team and a worker, through to attendance and payroll.
    func workflow() async {
        await step("ProjectSubContractor.Add", "上传参建单位") {
            _ = try await write(
                "ProjectSubContractor.Add",
                .object([
                    "projectCode": .string(projectCode), "corpCode": .string(unit.code),
                    "corpName": .string(unit.name), "corpType": .string("001"), "entryTime": .string(today),
                    "pmName": .string("联调项目经理"), "pmPhone": .string(worker.phone),
                ]))
            return "异步结果 20：\(unit.name)（\(unit.code)）"
        }
        await step("ProjectSubContractor.Query", "查询参建单位", needs: ["ProjectSubContractor.Add"]) {
            let data = try await client.query(
                method: "ProjectSubContractor.Query", data: page(["corpCode": .string(unit.code)]))
            guard Self.rows(data).contains(where: { $0.string("corpCode") == unit.code }) else {
                throw StepFailure("查询结果中没有刚上传的单位 \(unit.code)")
            }
            return "找到 \(unit.code)"
        }
        await teamSteps()
        await workerSteps()
        await siteSteps()
        await payrollSteps()
    }

    func teamSteps() async {
        await step("Team.Add", "上传班组", needs: ["ProjectSubContractor.Add"]) {
            let attachment: NationalJSON = .object([
                "name": .string("进场确认.jpg"), "data": .string(ConformanceSamples.jpeg.base64EncodedString()),
            ])
            let result = try await write(
                "Team.Add",
                .object([
                    "projectCode": .string(projectCode), "corpCode": .string(unit.code),
                    "corpName": .string(unit.name), "teamName": .string(teamName), "entryTime": .string(today),
                    "entryAttachments": .array([attachment]), "responsiblePersonName": .string("联调班组长"),
                    "responsiblePersonPhone": .string(worker.phone),
                ]))
            guard case .object(let fields)? = result.resultJSON, let number = fields.integer("teamSysNo") else {
                throw StepFailure("异步结果 20，但 result 中没有 teamSysNo：\(result.result ?? "（空）")")
            }
            teamSysNo = number
            return "异步结果 20：teamSysNo \(number)（\(teamName)）"
        }
        await step("Team.Query", "查询班组", needs: ["Team.Add"]) {
            let data = try await client.query(method: "Team.Query", data: page(["teamSysNo": .int(teamSysNo ?? 0)]))
            guard Self.rows(data).contains(where: { $0.integer("teamSysNo") == teamSysNo }) else {
                throw StepFailure("查询结果中没有 teamSysNo \(teamSysNo ?? 0)")
            }
            return "找到 teamSysNo \(teamSysNo ?? 0)"
        }
    }

    func workerSteps() async {
        await step("ProjectWorker.Add", "上传项目工人", needs: ["Team.Add"]) {
            // An ID card issued five years ago, valid twenty years (the term for ages 26 to 45).
            let calendar = Calendar(identifier: .gregorian)
            let issued = calendar.date(byAdding: .year, value: -5, to: started) ?? started
            let expires = calendar.date(byAdding: .year, value: 20, to: issued) ?? started
            let picture = NationalJSON.string(ConformanceSamples.jpeg.base64EncodedString())
            var line = try identity()
            line.merge(
                [
                    "workerName": .string(worker.name), "isTeamLeader": .int(0), "workType": .string("020"),
                    "workRole": .string("20"), "nation": .string("汉"), "address": .string("四川省成都市锦江区联调路 1 号"),
                    "headImage": picture, "positiveIDCardImage": picture, "negativeIDCardImage": picture,
                    "grantOrg": .string("成都市公安局锦江区分局"), "cellPhone": .string(worker.phone),
                    "startDate": .string(Self.day(issued)), "expiryDate": .string(Self.day(expires)),
                    "issueCardDate": .string(today),
                ]
            ) { $1 }
            var data = header()
            data["teamName"] = .string(teamName)
            data["workerList"] = .array([.object(line)])
            _ = try await write("ProjectWorker.Add", .object(data))
            return "异步结果 20：\(worker.name)"
        }
        await step("ProjectWorker.Query", "查询项目工人", needs: ["ProjectWorker.Add"]) {
            let data = try await client.query(
                method: "ProjectWorker.Query",
                data: page(try identity().merging(["teamSysNo": .int(teamSysNo ?? 0)]) { $1 }))
            let found = Self.rows(data).contains { row in
                row.string("idCardNumber").flatMap(client.decrypt) == worker.idNumber
                    || row.string("workerName") == worker.name
            }
            guard found else { throw StepFailure("查询结果中没有 \(worker.name)") }
            return "找到 \(worker.name)"
        }
        await step("WorkerContract.Add", "上传劳动合同", needs: ["ProjectWorker.Add"]) {
            let nextYear = Calendar(identifier: .gregorian).date(byAdding: .year, value: 1, to: started) ?? started
            var line = try identity()
            // SiteRoll's contracts need a wage rate; the national contract carries only a piece rate
            // (unit c.19, unitPrice in 元): 300 passes any minimum-wage check whatever it is read as.
            line.merge(
                [
                    "corpCode": .string(unit.code), "corpName": .string(unit.name), "contractPeriodType": .int(0),
                    "startDate": .string(today), "endDate": .string(Self.day(nextYear)), "unit": .string("80"),
                    "unitPrice": .double(300),
                ]
            ) { $1 }
            _ = try await write(
                "WorkerContract.Add",
                .object(["projectCode": .string(projectCode), "contractList": .array([.object(line)])]))
            return "异步结果 20：固定期限 \(today) 至 \(Self.day(nextYear))"
        }
        await step("ProjectTraining.Add", "上传安全教育培训", needs: ["ProjectWorker.Add"]) {
            var line = try identity()
            line["isPass"] = .int(1)
            line["trainingScore"] = .double(90)
            _ = try await write(
                "ProjectTraining.Add",
                .object([
                    "projectCode": .string(projectCode), "trainingDate": .string(today), "trainingDuration": .int(2),
                    "trainingName": .string("入场安全教育（接口联调）"), "trainingTypeCode": .string("003001"),
                    "trainer": .string("联调安全员"), "trainingAddress": .string("项目部会议室"),
                    "workers": .array([.object(line)]),
                ]))
            return "异步结果 20：安全教育 2 小时，合格"
        }
    }

    func siteSteps() async {
        let before = ["ProjectWorker.Add", "WorkerContract.Add", "ProjectTraining.Add"]
        await step("WorkerEntryExit.Add", "上传进场记录", needs: before) {
            var line = try identity()
            line["date"] = .string(today)
            line["type"] = .int(1)
            var data = header()
            data["workerList"] = .array([.object(line)])
            _ = try await write("WorkerEntryExit.Add", .object(data))
            return "异步结果 20：\(today) 进场"
        }
        await step("WorkerAttendance.Add", "上传考勤", needs: ["WorkerEntryExit.Add"]) {
            // A few minutes ago, but not before today began (the worker entered today).
            let midnight = NationalTimestamp.parse(today.replacingOccurrences(of: "-", with: "") + "000001") ?? started
            let swipe = max(started.addingTimeInterval(-300), midnight)
            var line = try identity()
            line.merge(
                [
                    "date": .string(Self.time(swipe)), "direction": .string("01"), "attendType": .string("001"),
                    "channel": .string("接口联调"),
                ]
            ) { $1 }
            _ = try await write(
                "WorkerAttendance.Add",
                .object([
                    "projectCode": .string(projectCode), "teamSysNo": .int(teamSysNo ?? 0),
                    "dataList": .array([.object(line)]),
                ]))
            return "异步结果 20：\(Self.time(swipe)) 入场"
        }
        await step("WorkerAttendance.Query", "查询当日考勤", needs: ["WorkerAttendance.Add"]) {
            let data = try await client.query(
                method: "WorkerAttendance.Query", data: page(try identity().merging(["date": .string(today)]) { $1 }))
            let rows = Self.rows(data)
            guard !rows.isEmpty else { throw StepFailure("\(today) 没有查到 \(worker.name) 的考勤") }
            return "\(today) 查到 \(rows.count) 条"
        }
    }

    func payrollSteps() async {
        await step("Payroll.Add", "上传工资单", needs: ["ProjectWorker.Add"]) {
            let paying =
                options.payAccount ?? (ConformanceSamples.bankCard(using: &random), "102", "中国工商银行成都锦江支行")
            var line = try identity()
            line.merge(
                [
                    "days": .int(1), "workHours": .int(8),
                    "payRollBankCardNumber": .string(try client.encrypt(ConformanceSamples.bankCard(using: &random))),
                    "payRollBankCode": .string("102"), "payRollBankName": .string("中国工商银行成都锦江支行"),
                    "payBankCardNumber": .string(try client.encrypt(paying.number)),
                    "payBankCode": .string(paying.bankCode), "payBankName": .string(paying.bankName),
                    "totalPayAmount": .double(300), "actualAmount": .double(300), "isBackPay": .int(0),
                    "balanceDate": .string(today),
                    "thirdPayRollCode": .string("LT" + ConformanceSamples.suffix(12, using: &random)),
                ]
            ) { $1 }
            var data = header()
            data["payMonth"] = .string(Self.month(started))
            data["detailList"] = .array([.object(line)])
            let result = try await write("Payroll.Add", .object(data))
            let first = Self.rows(result.resultJSON).first
            guard let code = first?.string("payrollCode"), !code.isEmpty else {
                throw StepFailure("异步结果 20，但 result 中没有 payrollCode：\(result.result ?? "（空）")")
            }
            payrollCode = code
            return "异步结果 20：payrollCode \(code)"
        }
        await step("Payroll.Query", "查询工资单", needs: ["Payroll.Add"]) {
            let data = try await client.query(
                method: "Payroll.Query",
                data: page(["payMonth": .string(Self.month(started)), "teamSysNo": .int(teamSysNo ?? 0)]))
            guard Self.rows(data).contains(where: { $0.string("payrollCode") == payrollCode }) else {
                throw StepFailure("查询结果中没有 payrollCode \(payrollCode ?? "")")
            }
            return "找到 \(payrollCode ?? "")"
        }
    }

    /// The read-only queries.
    func queries() async {
        await step("Worker.Query", "按证件查询工人", needs: ["ProjectWorker.Add"]) {
            let data = try await client.query(method: "Worker.Query", data: .object(try identity()))
            guard Self.rows(data).contains(where: { $0.string("workerName") == worker.name }) else {
                throw StepFailure("应答 0，但没有 \(worker.name)：\(NationalClient.text(data).prefix(200))")
            }
            return "找到 \(worker.name)"
        }
        await step("WorkerBlackList.Query", "查询工人黑名单") {
            var data = try identity()
            data.merge(["pageIndex": .int(0), "pageSize": .int(10)]) { $1 }
            let answer = try await client.query(method: "WorkerBlackList.Query", data: .object(data))
            let listed = Self.rows(answer).filter {
                $0.string("idCardNumber").flatMap(client.decrypt) == worker.idNumber
            }
            guard listed.isEmpty else { throw StepFailure("新生成的测试工人不应在黑名单中") }
            return "应答 0，测试工人不在黑名单中"
        }
        await step("Corp.Query", "查询企业") {
            guard
                let corp = contractor
                    ?? (steps.last { $0.id == "ProjectSubContractor.Add" }?.outcome == .passed ? unit : nil)
            else { throw StepFailure("没有可查询的企业：Project.Query 未给出总承包单位，测试单位也未上传成功") }
            let data = try await client.query(
                method: "Corp.Query",
                data: .object(["corpCode": .string(corp.code), "pageIndex": .int(0), "pageSize": .int(10)]))
            guard Self.rows(data).contains(where: { $0.string("corpCode") == corp.code }) else {
                throw StepFailure("查询结果中没有 \(corp.code)")
            }
            return "找到 \(corp.name)（\(corp.code)）"
        }
    }
}
