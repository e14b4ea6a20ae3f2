import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// Issue 3's part of the demo: the three enterprises verified (a general contractor, a labour
/// service company, a specialty contractor) and three dozen verified workers with valid numbers,
/// collected by those enterprises. Marked as demo data wherever a person can see who verified it.
extension DemoData {
    static let demoVerifier = "演示数据（未经真实身份核验）"

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林")
    static let maleNames = ["建国", "志强", "德明", "国庆", "小军", "永福", "大勇", "春生"]
    static let femaleNames = ["秀英", "春华", "海燕", "桂芳", "红梅", "丽娟"]
    static let regions = [
        "510104", "510107", "510112", "510122", "510681", "511381", "513401", "511602", "510703", "511024",
    ]

    func seedRealName(
        enterprises: [(EnterpriseModel, category: String, grade: String, type: String)], now: Date = ServerClock.now()
    )
        async throws
    {
        let codes = VerificationCodeIssuer()
        try await accounts.audit.write(on: accounts.database.database(), actor: .system) { tx in
            for (index, (enterprise, category, grade, type)) in enterprises.enumerated() {
                enterprise.registrationType = type
                enterprise.address = ["成都市锦江区东大街 99 号", "成都市武侯区人民南路四段 12 号", "绵阳市涪城区临园路 6 号"][index % 3]
                enterprise.legalRepName = ["刘德华", "陈建明", "赵国强"][index % 3]
                enterprise.legalRepIDType = CodeTable.residentIdentityCardType
                let legalRep = Self.number(region: "510104", birth: "1970031\(index)", sequence: "31\(index)")
                enterprise.legalRepIDCipher = try cipher.seal(legalRep)
                enterprise.legalRepIDHMAC = cipher.lookupHash(legalRep)
                enterprise.legalRepIDMasked = IdentityNumber.masked(legalRep)
                enterprise.contactName = "联系人"
                enterprise.contactPhone = "1380000000\(index)"
                enterprise.verifiedAt = now
                enterprise.verificationCode = try await codes.issue(for: .enterprise, id: enterprise.uuid, on: tx)
                try await enterprise.update(on: tx)
                let qualification = EnterpriseQualificationModel()
                qualification.id = UUID()
                qualification.$enterprise.id = enterprise.uuid
                qualification.category = category
                qualification.grade = grade
                qualification.certificateNumber = "D35\(1_234_567 + index)"
                qualification.validUntil = "2028-12-31"
                qualification.createdAt = now
                try await qualification.create(on: tx)
            }
            for index in 0..<36 {
                let enterprise = enterprises[index % enterprises.count].0
                let year = 1966 + (index * 7) % 37
                let birth = String(format: "%04d%02d%02d", year, 1 + index % 12, 1 + (index * 3) % 28)
                let male = index % 3 != 0
                let sequence = String(format: "%02d%d", 10 + index, male ? 1 + (index % 4) * 2 : (index % 4) * 2)
                let number = Self.number(
                    region: Self.regions[index % Self.regions.count], birth: birth, sequence: sequence)
                let given =
                    male
                    ? Self.maleNames[(index * 5) % Self.maleNames.count]
                    : Self.femaleNames[index % Self.femaleNames.count]
                let name = String(Self.surnames[index % Self.surnames.count]) + given
                let worker = WorkerModel()
                worker.id = UUID()
                worker.name = name
                worker.idNumberCipher = try cipher.seal(number)
                worker.idNumberHMAC = cipher.lookupHash(number)
                worker.idNumberMasked = IdentityNumber.masked(number)
                worker.divisionCode = String(number.prefix(6))
                worker.createdAt = now
                worker.idCardType = CodeTable.residentIdentityCardType
                worker.gender = male ? "0" : "1"
                worker.nation = index % 9 == 0 ? "05" : "01"
                worker.birthDate = LocalDate(compact: birth)?.description
                worker.addressCipher = try cipher.seal("四川省某县某镇某村 \(index + 1) 组")
                worker.issuingAuthority = "某县公安局"
                worker.idValidFrom = "2019-0\(1 + index % 9)-01"
                worker.idValidUntil = year < 1980 ? nil : "2039-0\(1 + index % 9)-01"
                worker.verifiedAt = now.addingTimeInterval(Double(-index * 3600))
                worker.verifiedBy = Self.demoVerifier
                worker.verificationSimulated = true
                worker.healthCertificateRequired = LocalDate(compact: birth).map {
                    $0.age(on: LocalDate.today(in: ChineseFormat.timeZone, now: now)) > 60
                }
                try await worker.create(on: tx)
                worker.verificationCode = try await codes.issue(for: .worker, id: worker.uuid, on: tx)
                try await worker.update(on: tx)
                try await Self.demoRequest(worker: worker, enterprise: enterprise, now: worker.verifiedAt ?? now)
                    .create(on: tx)
            }
            // The demo worker with a phone account is verified too, collected by the general contractor.
            if let zhang = try await WorkerModel.query(on: tx).filter(\.$name == "张建国").first(),
                let shujian = enterprises.first?.0
            {
                zhang.idCardType = CodeTable.residentIdentityCardType
                zhang.gender = "0"
                zhang.nation = "01"
                zhang.birthDate = "1985-03-12"
                zhang.issuingAuthority = "成都市公安局锦江区分局"
                zhang.idValidFrom = "2016-05-10"
                zhang.idValidUntil = "2036-05-10"
                zhang.verifiedAt = now
                zhang.verifiedBy = Self.demoVerifier
                zhang.verificationSimulated = true
                zhang.verificationCode = try await codes.issue(for: .worker, id: zhang.uuid, on: tx)
                try await zhang.update(on: tx)
                try await Self.demoRequest(worker: zhang, enterprise: shujian, now: now).create(on: tx)
            }
            return (
                (),
                AuditDraft(
                    action: "demo.seeded", entityType: "platform", entityID: "demo-real-name", divisionCode: "510000",
                    summary: "装入演示实名数据：3 家已核验企业、36 名已核验工人", change: ["workers": 36])
            )
        }
    }

    /// The passed verification record of a demo worker, filed under the collecting enterprise.
    static func demoRequest(worker: WorkerModel, enterprise: EnterpriseModel, now: Date) -> VerificationRequestModel {
        let request = VerificationRequestModel()
        request.id = UUID()
        request.serial = VerificationSerial.make(now: now)
        request.kind = "worker"
        request.status = "passed"
        request.channel = "corp"
        request.submittedBy = "demo"
        request.enterpriseID = enterprise.id
        request.workerID = worker.id
        request.divisionCode = enterprise.divisionCode
        request.subjectLabel = "\(worker.name) \(worker.idNumberMasked)"
        request.faults = "[]"
        request.message = "实名核验通过（演示数据）"
        request.simulated = true
        request.attempts = 0
        request.createdAt = now
        request.decidedAt = now
        return request
    }

    static func number(region: String, birth: String, sequence: String) -> String {
        let body = region + birth + sequence
        return body + String(IdentityNumber.checkCharacter(forFirst17: body) ?? "0")
    }
}
