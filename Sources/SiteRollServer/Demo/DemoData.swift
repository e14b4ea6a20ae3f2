import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// A living Sichuan platform for newcomers (issue 2, item 2): regulators at province, city and
/// district level and in a second city, enterprises with their staff, a worker. Loaded only with
/// `--demo`, only once, and never into a database that already holds real accounts.
package struct DemoData: Sendable {
    let accounts: AccountService
    let cipher: FieldCipher

    static let password = "Demo@2026"
    static let markerKey = "demo.seeded"
    /// The marker's value from the first write until every part is in (`markComplete`): a process
    /// stopped half-way (kill -9, power) leaves it, and the next start says so instead of serving
    /// a demo with accounts but no projects as if it were whole.
    static let loadingValue = "loading"

    struct Login: Sendable {
        var console: String
        var username: String
        var who: String
    }

    enum Outcome: Sendable {
        case seeded([Login])
        case alreadyPresent([Login])
    }

    struct DemoRefused: Error, CustomStringConvertible {
        var description: String {
            "演示数据只能装入新的数据库：当前数据库已有正式账号。请使用新的 --data-dir 或空数据库。"
        }
    }

    struct DemoIncomplete: Error, CustomStringConvertible {
        var description: String {
            "上次装入演示数据时进程中途停止，演示数据不完整。演示数据只能装入新的数据库：请删除该数据库（或使用新的 --data-dir）后重新以 --demo 启动。"
        }
    }

    static let logins: [Login] = [
        Login(console: "/gov", username: "sc_admin", who: "四川省住房和城乡建设厅 监管管理员"),
        Login(console: "/gov", username: "cd_admin", who: "成都市住房和城乡建设局 监管管理员"),
        Login(console: "/gov", username: "jj_inspector", who: "成都市锦江区住房和城乡建设局 监管人员"),
        Login(console: "/gov", username: "my_admin", who: "绵阳市住房和城乡建设局 监管管理员"),
        Login(console: "/corp", username: "sj_admin", who: "四川蜀建建设工程有限公司 企业管理员"),
        Login(console: "/corp", username: "sj_labour", who: "四川蜀建建设工程有限公司 劳资专管员"),
        Login(console: "/corp", username: "jc_admin", who: "成都锦城劳务有限公司 企业管理员"),
        Login(console: "/corp", username: "fc_admin", who: "绵阳涪城建筑工程有限公司 企业管理员"),
        Login(console: "/m", username: "worker_zhang", who: "建筑工人 张建国"),
    ]

    func seedIfNeeded() async throws -> Outcome {
        let db = accounts.database.database()
        if let marker = try await SettingModel.find(Self.markerKey, on: db) {
            guard marker.value != Self.loadingValue else { throw DemoIncomplete() }
            return .alreadyPresent(Self.logins)
        }
        guard try await AccountModel.query(on: db).count() == 0 else { throw DemoRefused() }
        let hash = try await accounts.hasher.hash(Self.password)

        let shujian = enterprise("四川蜀建建设工程有限公司", body: "915101047949635", suffix: "2", division: "510104")
        let jincheng = enterprise("成都锦城劳务有限公司", body: "915101076692871", suffix: "4", division: "510107")
        let fucheng = enterprise("绵阳涪城建筑工程有限公司", body: "915107037090358", suffix: "6", division: "510703")
        let worker = try demoWorker()

        let people: [(String, String, Role, String?, EnterpriseModel?)] = [
            ("sc_admin", "四川省住建厅管理员", .regulatorAdmin, "510000", nil),
            ("cd_admin", "成都市住建局管理员", .regulatorAdmin, "510100", nil),
            ("jj_inspector", "锦江区住建局 李明", .regulator, "510104", nil),
            ("my_admin", "绵阳市住建局管理员", .regulatorAdmin, "510700", nil),
            ("sj_admin", "蜀建公司 王芳", .enterpriseAdmin, nil, shujian),
            ("sj_labour", "蜀建公司 陈刚（劳资专管员）", .labourOfficer, nil, shujian),
            ("jc_admin", "锦城劳务 刘洋", .enterpriseAdmin, nil, jincheng),
            ("fc_admin", "涪城建筑 赵丽", .enterpriseAdmin, nil, fucheng),
        ]
        try await accounts.audit.write(on: db, actor: .system) { tx in
            for company in [shujian, jincheng, fucheng] { try await company.create(on: tx) }
            try await worker.create(on: tx)
            for (username, name, role, division, company) in people {
                try await account(username, name, role, hash: hash, division: division, enterprise: company).create(
                    on: tx)
            }
            let workerAccount = account("worker_zhang", "张建国", .worker, hash: hash, division: nil, enterprise: nil)
            workerAccount.$worker.id = worker.id
            try await workerAccount.create(on: tx)
            let marker = SettingModel()
            marker.id = Self.markerKey
            marker.value = Self.loadingValue
            marker.updatedAt = ServerClock.now()
            try await marker.create(on: tx)
            return (
                (),
                AuditDraft(
                    action: "demo.seeded", entityType: "platform", entityID: "demo", divisionCode: "510000",
                    summary: "装入演示数据：\(people.count + 1) 个账号、3 家企业、1 名工人",
                    change: people.map(\.0))
            )
        }
        try await seedRealName(enterprises: [
            (shujian, category: "建筑工程施工总承包", grade: "一级", type: "173"),
            (jincheng, category: "施工劳务", grade: "不分等级", type: "173"),
            (fucheng, category: "钢结构工程专业承包", grade: "二级", type: "159"),
        ])
        try await seedProjects(shujian: shujian, jincheng: jincheng, fucheng: fucheng)
        try await seedAttendance()
        // A few real events per enterprise so that every console opens on a living trail.
        for (username, _, role, _, company) in people where role == .enterpriseAdmin {
            _ = company
            _ = try? await accounts.login(username: username, password: Self.password, channel: .console)
        }
        _ = try? await accounts.login(username: "worker_zhang", password: Self.password, channel: .console)
        _ = try? await accounts.login(username: "jj_inspector", password: "wrong-password", channel: .console)
        return .seeded(Self.logins)
    }

    /// Every part of the demo is in (the caller's wage history included): later starts serve it.
    func markComplete() async throws {
        let db = accounts.database.database()
        guard let marker = try await SettingModel.find(Self.markerKey, on: db) else { return }
        marker.value = ISO8601DateFormatter().string(from: ServerClock.now())
        marker.updatedAt = ServerClock.now()
        try await marker.update(on: db)
    }

    private func enterprise(_ name: String, body: String, suffix: String, division: String) -> EnterpriseModel {
        // Organisation-code part padded to 17 characters; the check character is computed (GB 32100).
        let first17 = String((body + suffix + "00").prefix(17))
        let code = first17 + String(CreditCode.checkCharacter(forFirst17: first17) ?? "0")
        return EnterpriseModel(id: UUID(), name: name, creditCode: code, divisionCode: division)
    }

    private func demoWorker() throws -> WorkerModel {
        let first17 = "51010419850312123"
        let number = first17 + String(IdentityNumber.checkCharacter(forFirst17: first17) ?? "0")
        let worker = WorkerModel()
        worker.id = UUID()
        worker.name = "张建国"
        worker.idNumberCipher = try cipher.seal(number)
        worker.idNumberHMAC = cipher.lookupHash(number)
        worker.idNumberMasked = IdentityNumber.masked(number)
        worker.divisionCode = "510104"
        worker.createdAt = ServerClock.now()
        return worker
    }

    private func account(
        _ username: String, _ name: String, _ role: Role, hash: String, division: String?, enterprise: EnterpriseModel?
    ) -> AccountModel {
        AccountModel(
            username: username, displayName: name, role: role, passwordHash: hash, divisionCode: division,
            enterpriseID: enterprise?.id, mustChangePassword: false)
    }
}
