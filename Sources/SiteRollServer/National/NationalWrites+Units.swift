import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// `ProjectSubContractor.*` and `Team.*` writes (b.6) through `ProjectService` and `TeamService`.
extension NationalWrites {
    /// The project's unit with this credit code, or the text that tells the vendor to upload it.
    func unit(_ corpCode: String, of caller: NationalCaller) async throws -> ProjectUnitModel {
        let code = corpCode.trimmingCharacters(in: .whitespaces).uppercased()
        guard
            let unit = try await ProjectUnitModel.query(on: database.database())
                .filter(\.$projectID == caller.project.uuid).filter(\.$creditCode == code).first()
        else {
            throw Refusal(
                code: .invalidParameters,
                message: "corpCode \(code.prefix(20)) 不是本项目的参建单位，请先调用 ProjectSubContractor.Add 上传参建单位")
        }
        return unit
    }

    /// The project's team with this number (b.4: "teamSysNo 必须在平台存在").
    func team(_ sysNo: Int?, of caller: NationalCaller) async throws -> TeamModel {
        guard let sysNo,
            let team = try await TeamModel.query(on: database.database()).filter(\.$sysNo == sysNo)
                .filter(\.$projectID == caller.project.uuid).first()
        else {
            throw Refusal(
                code: .invalidParameters,
                message: "teamSysNo \(sysNo.map(String.init) ?? "") 在本项目中不存在，请先调用 Team.Add 并用其异步结果中的 teamSysNo")
        }
        return team
    }

    /// `ProjectSubContractor.Add`: a participating unit joins (`ProjectService.addUnit`). Absent
    /// `entryTime` is today. The unit's bank accounts are not kept here: wages are paid from the
    /// project's dedicated account (`bankInfos` is accepted and ignored, see the mapping).
    func subContractorAdd(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var input = NationalInput(data, secret: caller.secret)
        let code = input.required("corpCode", max: 18)
        let name = input.required("corpName")
        let type = input.code("corpType", in: .participationTypes, required: true)
        let entry = input.date("entryTime", required: false)
        _ = input.decrypted("pmIDCardNumber", required: false)
        try input.throwIfAny()
        _ = try await projects.projects.addUnit(
            .init(
                creditCode: code ?? "", name: name ?? "", participationType: type ?? "",
                entryDate: (entry ?? ProjectService.today()).description, pmName: input.text("pmName") ?? "",
                pmPhone: input.text("pmPhone") ?? ""),
            project: caller.project.uuid, scope: caller.scope, by: caller.account)
        return .succeeded(nil)
    }

    /// `ProjectSubContractor.Update`: `exitTime` closes the unit (`ProjectService.exitUnit`, with
    /// its teams and workers as the platform's policy says); the project manager's name and phone
    /// are updated.
    func subContractorUpdate(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var input = NationalInput(data, secret: caller.secret)
        let code = input.required("corpCode", max: 18)
        let exit = input.date("exitTime", required: false)
        if let exit, exit > ProjectService.today() { input.add("exitTime 不能晚于今天") }
        try input.throwIfAny()
        let unit = try await unit(code ?? "", of: caller)
        let pmName = input.text("pmName")
        let pmPhone = input.text("pmPhone")
        if pmName != nil || pmPhone != nil {
            try await projects.projects.updateUnitManager(
                unit.uuid, name: pmName ?? unit.pmName ?? "", phone: pmPhone ?? unit.pmPhone ?? "",
                project: caller.project.uuid, scope: caller.scope, by: caller.account)
        }
        if let exit {
            try await projects.projects.exitUnit(
                unit.uuid, date: exit.description, project: caller.project.uuid, scope: caller.scope, by: caller.account
            )
        }
        return .succeeded(nil)
    }

    /// `Team.Add` (`TeamService.createTeam`): the result carries `teamSysNo`. A team name already
    /// on the project fails naming the existing team's number, as the national platform does.
    func teamAdd(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var input = NationalInput(data, secret: caller.secret)
        let code = input.required("corpCode", max: 18)
        _ = input.required("corpName")
        let name = input.required("teamName", max: 100)
        let entry = input.date("entryTime", required: false)
        _ = input.decrypted("responsiblePersonIDNumber", required: false)
        try input.throwIfAny()
        let unit = try await unit(code ?? "", of: caller)
        if let name,
            let existing = try await TeamModel.query(on: database.database())
                .filter(\.$projectID == caller.project.uuid).filter(\.$name == name).first()
        {
            return .failed("班组已存在，teamSysNo 为 \(existing.sysNo)")
        }
        let team = try await projects.teams.createTeam(
            .init(
                unitID: unit.uuid.uuidString, name: name ?? "", leaderPhone: input.text("responsiblePersonPhone") ?? "",
                remark: input.text("remark") ?? "", entryDate: (entry ?? ProjectService.today()).description,
                responsibleName: input.text("responsiblePersonName") ?? ""),
            project: caller.project.uuid, scope: caller.scope, by: caller.account)
        return .succeeded(Self.json(["teamSysNo": .int(team.sysNo)]))
    }

    /// `Team.Update`: `exitTime` closes the team with its workers (`TeamService.exitTeam`).
    func teamUpdate(_ data: [String: NationalJSON], caller: NationalCaller) async throws -> Outcome {
        var input = NationalInput(data, secret: caller.secret)
        let sysNo = input.integer("teamSysNo", required: true)
        let exit = input.date("exitTime", required: false)
        try input.throwIfAny()
        let team = try await team(sysNo, of: caller)
        if let exit {
            try await projects.teams.exitTeam(
                team.uuid, date: exit.description, project: caller.project.uuid, scope: caller.scope, by: caller.account
            )
        } else {
            try await projects.teams.updateDetails(
                team.uuid, phone: input.text("responsiblePersonPhone"),
                responsibleName: input.text("responsiblePersonName"),
                remark: input.text("remark"), project: caller.project.uuid, scope: caller.scope, by: caller.account)
        }
        return .succeeded(nil)
    }

    static func json(_ object: [String: NationalJSON]) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(NationalJSON.object(object))).flatMap { String(data: $0, encoding: .utf8) }
    }
}
