import FluentKit
import Foundation
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// The national writes, processed from a job: each maps the national fields onto the input of
/// the service the consoles use and answers with the national result or the texts that tell the
/// vendor what to fix.
struct NationalWrites: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher
    let attendance: AttendanceService
    let projects: ProjectServices
    let wages: WageServices
    let verification: WorkerVerificationService

    enum Outcome: Sendable {
        case succeeded(String?)
        case failed(String)
    }

    typealias Refusal = NationalGateway.Refusal

    /// Methods answered asynchronously, and what their data must hold before they are accepted.
    static let asynchronous: [String: [String]] = [
        "Corp.Upload": ["corpCode", "corpName", "areaCode", "address", "registerDate"],
        "Project.Add": ["contractorCorpCode", "contractorCorpName", "name", "category", "areaCode"],
        "Project.Update": ["projectCode"],
        "Project.PartUpdate": ["projectCode"],
        "ProjectSubContractor.Add": ["projectCode", "corpCode", "corpName", "corpType"],
        "ProjectSubContractor.Update": ["projectCode", "corpCode"],
        "Team.Add": ["projectCode", "corpCode", "corpName", "teamName"],
        "Team.Update": ["projectCode", "teamSysNo"],
        "ProjectWorker.Add": ["projectCode", "corpCode", "corpName", "teamSysNo", "teamName", "workerList"],
        "ProjectWorker.Update": ["projectCode", "teamSysNo", "workerList"],
        "WorkerEntryExit.Add": ["projectCode", "teamSysNo", "workerList"],
        "WorkerContract.Add": ["projectCode", "contractList"],
        "WorkerAttendance.Add": ["projectCode", "dataList"],
        "Payroll.Add": ["projectCode", "corpCode", "corpName", "teamSysNo", "payMonth", "detailList"],
        "ProjectTraining.Add": [
            "projectCode", "trainingDate", "trainingDuration", "trainingName", "trainingTypeCode", "workers",
        ],
    ]

    func process(_ method: String, data: [String: NationalJSON], app: NationalApp, now: Date) async throws -> Outcome {
        let caller = try await NationalCaller.make(app, on: database.database())
        switch method {
        case "Corp.Upload": return try await corpUpload(data, caller: caller)
        case "Project.Add": return try await projectAdd(data, caller: caller)
        default: try caller.requireProject(data)
        }
        switch method {
        case "Project.Update", "Project.PartUpdate": return try await projectUpdate(data, caller: caller)
        case "ProjectSubContractor.Add": return try await subContractorAdd(data, caller: caller)
        case "ProjectSubContractor.Update": return try await subContractorUpdate(data, caller: caller)
        case "Team.Add": return try await teamAdd(data, caller: caller)
        case "Team.Update": return try await teamUpdate(data, caller: caller)
        case "ProjectWorker.Add": return try await projectWorkerAdd(data, caller: caller)
        case "ProjectWorker.Update": return try await projectWorkerUpdate(data, caller: caller)
        case "WorkerEntryExit.Add": return try await entryExitAdd(data, caller: caller)
        case "WorkerContract.Add": return try await contractAdd(data, caller: caller)
        case "WorkerAttendance.Add": return try await attendanceAdd(data, caller: caller, now: now)
        case "Payroll.Add": return try await payrollAdd(data, caller: caller)
        case "ProjectTraining.Add": return try await trainingAdd(data, caller: caller)
        default: return .failed("本平台暂未开放方法 \(method)")
        }
    }

    /// `yyyy-MM-dd HH:mm:ss` in Beijing time.
    static func swipeTime(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let day = LocalDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]), (0..<60).contains(clock[2])
        else { return nil }
        return NationalTimestamp.parse(
            day.description.replacingOccurrences(of: "-", with: "")
                + String(format: "%02d%02d%02d", clock[0], clock[1], clock[2]))
    }

    /// `WorkerAttendance.Add` (b.6): each swipe through the gate-device rules (`DevicePunchRules`),
    /// stored on the app's own channel; a record the rules refuse is named with its reason, and
    /// the records accepted stay stored.
    func attendanceAdd(_ data: [String: NationalJSON], caller: NationalCaller, now: Date) async throws -> Outcome {
        guard let app = caller.app else { return .failed("考勤记录请通过考勤设备接口上传") }
        let project = caller.project
        guard case .array(let list)? = data["dataList"], !list.isEmpty else { return .failed("dataList 应为非空数组") }
        guard list.count <= 500 else { return .failed("dataList 每次最多 500 条") }
        var problems: [String] = []
        var records: [AttendanceService.DevicePunch] = []
        for (index, item) in list.enumerated() {
            guard case .object(let swipe) = item else {
                problems.append("第 \(index + 1) 条：应为对象")
                continue
            }
            let number: String
            do {
                number = try NationalFieldCipher.decrypt(swipe.string("idCardNumber") ?? "", secret: app.secret)
            } catch {
                problems.append("第 \(index + 1) 条：idCardNumber 无法用该应用的 appsecret 解密（应为 AES 加密后的 Base64）")
                continue
            }
            guard let time = Self.swipeTime(swipe.string("date") ?? "") else {
                problems.append("第 \(index + 1) 条：date 应为 yyyy-MM-dd HH:mm:ss")
                continue
            }
            let direction: String
            switch swipe.string("direction") {
            case "01": direction = "in"
            case "02": direction = "out"
            default:
                problems.append("第 \(index + 1) 条：direction 应为 01（进）或 02（出）")
                continue
            }
            let photo = swipe.string("image").flatMap { Data(base64Encoded: $0) }
            records.append(
                .init(
                    index: index, idNumber: number, verificationCode: nil, time: time, direction: direction,
                    passageMethod: swipe.string("attendType"), photo: photo))
        }
        let device = try await attendance.nationalChannel(for: app.credentialID, name: app.name, project: project)
        let results = try await attendance.ingest(records, device: device, now: now)
        for result in results where result.status != .accepted && result.status != .duplicate {
            problems.append("第 \(result.index + 1) 条：\(result.message ?? "未通过校验")")
        }
        let stored = results.filter { $0.status == .accepted || $0.status == .duplicate }.count
        guard problems.isEmpty else {
            return .failed("已保存 \(stored) 条，\(problems.count) 条未保存：" + problems.joined(separator: "；"))
        }
        return .succeeded(nil)
    }
}
