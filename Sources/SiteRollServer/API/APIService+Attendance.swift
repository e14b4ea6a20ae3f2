import Foundation
import SiteRollAPI
import SiteRollCore
import SiteRollStore

/// `/api/v1/attendance/punches`: a gate device's batch (M3 item 1). The national-compatible
/// gateway will map `WorkerAttendance.Add` onto the same `AttendanceService.ingest`.
extension APIService {
    func uploadDevicePunches(_ input: Operations.UploadDevicePunches.Input) async throws
        -> Operations.UploadDevicePunches.Output
    {
        let identity = try APIIdentity.requireAny()
        guard let app = identity.app, let device = try await attendance.device(forApp: app.id) else {
            throw AppError(.forbidden, code: "DEVICE_ONLY", message: "只有已登记的考勤设备可以上传考勤记录")
        }
        guard case .json(let body) = input.body else { throw AppError.badRequest("INVALID_REQUEST", "请求内容须为 JSON") }
        var records: [AttendanceService.DevicePunch] = []
        records.reserveCapacity(body.punches.count)
        var undecodable: [Int: String] = [:]
        for (index, punch) in body.punches.enumerated() {
            var photo: Data?
            if let text = punch.photo {
                guard let data = Data(base64Encoded: text) else {
                    undecodable[index] = "现场照片不是有效的 Base64"
                    continue
                }
                photo = data
            }
            records.append(
                .init(
                    idNumber: punch.idCardNumber, verificationCode: punch.verificationCode, time: punch.time,
                    direction: punch.direction, passageMethod: punch.passageMethod, photo: photo))
        }
        let stored = try await attendance.ingest(records, device: device)
        // Put the records refused before ingestion back in their places.
        var results: [Components.Schemas.DevicePunchResults.ResultsPayloadPayload] = []
        var next = stored.makeIterator()
        for index in body.punches.indices {
            if let message = undecodable[index] {
                results.append(.init(index: index, status: .refused, code: "PHOTO_INVALID", message: message))
            } else if let result = next.next() {
                results.append(
                    .init(
                        index: index, status: .init(rawValue: result.status) ?? .refused, code: result.code,
                        message: result.message))
            }
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        accepted: results.filter { $0.status == .accepted }.count,
                        duplicates: results.filter { $0.status == .duplicate }.count,
                        refused: results.filter { $0.status == .refused }.count, results: results))))
    }
}
