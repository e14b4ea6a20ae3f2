import Crypto
import FluentKit
import Foundation
import SiteRollCore
import SiteRollStore

/// A file people upload and others open later — a labour contract's scan, a wage agency agreement,
/// a signed wage table. It is checked by its content (PDF, JPEG or PNG, whatever its name says) and
/// size, sealed at rest with the field cipher, and opened only within reach with the opening
/// audited. Written once: a new kind of scan (training records, certificates) uses this.
struct SealedDocument: Sendable {
    var name: String
    var type: String
    var size: Int
    var sha256: String
    var sealed: Data

    /// What a viewer receives.
    struct Opened: Sendable {
        var name: String
        var type: String
        var data: Data
    }

    /// Why an upload cannot be kept, in the words of the form that took it.
    enum Problem: Error, Sendable, Equatable {
        case tooLarge(maxBytes: Int)
        case notAScan

        /// `what` names the file on its form: "合同文件", "协议扫描件", "扫描件".
        func message(_ what: String) -> String {
            switch self {
            case .tooLarge(let maxBytes): "\(what)不能超过 \(maxBytes / 1024) KB，请压缩后再上传"
            case .notAScan: "\(what)只能是 PDF、JPG 或 PNG"
            }
        }
    }

    /// The MIME type by the file's first bytes; nil for anything but PDF, JPEG and PNG.
    static func contentType(of data: Data) -> String? {
        if data.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }

    /// The problem with an upload, or nil when it may be sealed.
    static func problem(with data: Data, maxBytes: Int) -> Problem? {
        if data.count > maxBytes { return .tooLarge(maxBytes: maxBytes) }
        return contentType(of: data) == nil ? .notAScan : nil
    }

    /// Seals an upload, or says what is wrong with it; throws only when the cipher fails.
    static func seal(_ file: UploadedFile, maxBytes: Int, cipher: FieldCipher) throws -> Result<SealedDocument, Problem>
    {
        if let problem = problem(with: file.data, maxBytes: maxBytes) { return .failure(problem) }
        guard let type = contentType(of: file.data) else { return .failure(.notAScan) }
        return .success(
            SealedDocument(
                name: String(file.fileName.suffix(100)), type: type, size: file.data.count,
                sha256: Digest.hex(SHA256.hash(data: file.data)), sealed: try cipher.seal(data: file.data)))
    }

    /// Opens a stored scan and records who opened it, in one step: there is no way to read a scan
    /// without its audit event. Not found when the row keeps no scan.
    static func open(
        sealed: Data?, type: String?, name: String?, defaultName: String, cipher: FieldCipher,
        audit event: AuditDraft, by account: AccountSnapshot, on db: any Database
    ) async throws -> Opened {
        guard let sealed, let type else { throw AppError.notFound }
        let data = try cipher.open(data: sealed)
        try await AuditTrail().record(event, on: db, by: account)
        return Opened(name: name ?? defaultName, type: type, data: data)
    }
}

extension AuditTrail {
    /// Appends one event with nothing else to change in its transaction (an opening, a view).
    func record(_ event: AuditDraft, on db: any Database, by account: AccountSnapshot) async throws {
        try await write(on: db, actor: account.auditActor) { _ in ((), event) }
    }
}

extension AuditDraft {
    /// An event about a project: filed in the project's division and under the acting account's
    /// enterprise, the two fields every project write spelled out by hand.
    init(
        _ action: String, on project: ProjectModel, by account: AccountSnapshot, entity entityType: String,
        id entityID: UUID, summary: String, change: some Encodable
    ) {
        self.init(
            action: action, entityType: entityType, entityID: entityID.uuidString, divisionCode: project.divisionCode,
            enterpriseID: account.enterpriseID?.uuidString ?? "", summary: summary, change: change)
    }
}
