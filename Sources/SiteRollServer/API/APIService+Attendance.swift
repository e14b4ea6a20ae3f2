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
        // A photo that is not Base64 is refused here; every other rule is the service's.
        var results: [AttendanceService.BatchResult] = []
        for (index, punch) in body.punches.enumerated() {
            var photo: Data?
            if let text = punch.photo {
                guard let data = Data(base64Encoded: text) else {
                    results.append(
                        .init(index: index, status: .refused, code: "PHOTO_INVALID", message: "现场照片不是有效的 Base64"))
                    continue
                }
                photo = data
            }
            records.append(
                .init(
                    index: index, idNumber: punch.idCardNumber, verificationCode: punch.verificationCode,
                    time: punch.time, direction: punch.direction, passageMethod: punch.passageMethod, photo: photo))
        }
        results += try await attendance.ingest(records, device: device)
        let payload = results.sorted { $0.index < $1.index }.map { result in
            Components.Schemas.DevicePunchResults.ResultsPayloadPayload(
                index: result.index, status: Self.status(result.status), code: result.code, message: result.message)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        accepted: payload.filter { $0.status == .accepted }.count,
                        duplicates: payload.filter { $0.status == .duplicate }.count,
                        refused: payload.filter { $0.status == .refused }.count, results: payload))))
    }

    static func status(_ status: DevicePunchStatus)
        -> Components.Schemas.DevicePunchResults.ResultsPayloadPayload.StatusPayload
    {
        switch status {
        case .accepted: .accepted
        case .duplicate: .duplicate
        case .refused: .refused
        }
    }
}
