import FluentKit
import Foundation
import Logging
import SiteRollCore
import SiteRollNational
import SiteRollStore

/// Asynchronous national writes (b.4, issue 15 item 2): a write is checked for shape, stored as a
/// job and answered at once with its `requestSerialCode`; any process claims it (SKIP LOCKED on
/// PostgreSQL) and processes it through the consoles' services; `AsyncHandleResult.Query` reads
/// status 0/10/20 and the result. Results are kept 90 days (the national platform promises 30).
struct NationalJobs: Sendable {
    let database: DatabaseService
    let cipher: FieldCipher
    let writes: NationalWrites
    let logger: Logger

    /// How long a claim holds a job before another process may take it over.
    static let hold: TimeInterval = 120

    /// How long a decided job, and each call's count, is kept.
    static let retention: TimeInterval = 90 * 24 * 3600
    /// How long the replay memory keeps a request: beyond the freshness window and the resend window.
    static let requestMemory: TimeInterval = 2 * 24 * 3600

    /// Deletes decided jobs and call counts past `retention` and remembered requests past
    /// `requestMemory`; the counts of rows deleted.
    @discardableResult
    func purge(now: Date = ServerClock.now()) async throws -> (jobs: Int, requests: Int, calls: Int) {
        let db = database.database()
        let jobCutoff = now.addingTimeInterval(-Self.retention)
        let jobs = try await NationalJobModel.query(on: db).filter(\.$finishedAt < jobCutoff).count()
        try await NationalJobModel.query(on: db).filter(\.$finishedAt < jobCutoff).delete()
        let requestCutoff = now.addingTimeInterval(-Self.requestMemory)
        let requests = try await NationalRequestModel.query(on: db).filter(\.$receivedAt < requestCutoff).count()
        try await NationalRequestModel.query(on: db).filter(\.$receivedAt < requestCutoff).delete()
        let calls = try await NationalCallModel.query(on: db).filter(\.$at < jobCutoff).count()
        try await NationalCallModel.query(on: db).filter(\.$at < jobCutoff).delete()
        return (jobs, requests, calls)
    }

    /// Stores the write; its serial in the national pattern.
    func enqueue(_ method: String, data: String, app: NationalApp, now: Date) async throws -> String {
        let sealed = try cipher.seal(data)
        for _ in 0..<5 {
            let serial = NationalSerial.make(
                method: method, at: now, node: 1, sequence: Int.random(in: 1000...999_999))
            let job = NationalJobModel(serial: serial, appID: app.appID, method: method, payloadSealed: sealed, at: now)
            do {
                try await job.create(on: database.database())
                return serial
            } catch {
                continue  // the same serial drawn twice within the hour: draw again
            }
        }
        throw NationalGateway.Refusal(code: .otherError, message: "请求登记失败，请稍后重试")
    }

    /// A job of this app, or nil.
    func job(_ serial: String, app: NationalApp) async throws -> NationalJobModel? {
        try await NationalJobModel.query(on: database.database()).filter(\.$serial == serial)
            .filter(\.$appID == app.appID).first()
    }

    /// Processes waiting jobs until none is left (each claimed on its own).
    func runDue(apps: NationalApps, now: @Sendable () -> Date = { ServerClock.now() }) async throws {
        while let job = try await NationalJobQueries(database.database()).claimNext(now: now(), hold: Self.hold) {
            let outcome: NationalWrites.Outcome
            if let app = try await apps.find(job.appID), let data = try? cipher.open(job.payloadSealed),
                let fields = NationalJSON.object(from: data)
            {
                do {
                    outcome = try await writes.process(job.method, data: fields, app: app, now: now())
                } catch let refusal as NationalGateway.Refusal {
                    outcome = .failed(refusal.message)
                } catch let error as AppError {
                    outcome = .failed("\(error.message)（\(error.code)）")
                } catch {
                    logger.error("national job failed", metadata: ["serial": "\(job.serial)", "error": "\(error)"])
                    outcome = .failed("平台处理出错，请稍后重新提交；如持续出现请联系平台运维")
                }
            } else {
                outcome = .failed("该应用已停用，或请求内容无法读取，请重新提交")
            }
            switch outcome {
            case .succeeded(let result):
                job.status = NationalAsyncStatus.succeeded.rawValue
                job.result = result
            case .failed(let reason):
                job.status = NationalAsyncStatus.failed.rawValue
                job.result = reason
            }
            job.finishedAt = now()
            try await job.update(on: database.database())
        }
    }
}
