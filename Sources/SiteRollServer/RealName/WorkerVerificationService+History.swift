import FluentKit
import Foundation
import SiteRollStore

extension WorkerVerificationService {
    /// An enterprise's latest worker verifications, newest first, each with the verification code of
    /// the worker it found (E1's list of the enterprise's submissions).
    func workerRequests(of enterpriseID: UUID, limit: Int = 300) async throws -> [(
        request: VerificationRequestModel, code: String?
    )] {
        let db = database.database()
        let requests = try await VerificationRequestModel.query(on: db)
            .filter(\.$enterpriseID == enterpriseID).filter(\.$kind == "worker")
            .sort(\.$createdAt, .descending).limit(limit).all()
        let workerIDs = requests.compactMap(\.workerID)
        let codes = Dictionary(
            try await WorkerModel.query(on: db).filter(\.$id ~~ workerIDs).all().map {
                ($0.uuid, $0.verificationCode)
            },
            uniquingKeysWith: { first, _ in first })
        return requests.map { request in (request, request.workerID.flatMap { codes[$0] ?? nil }) }
    }
}
