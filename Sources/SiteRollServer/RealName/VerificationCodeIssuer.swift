import FluentKit
import Foundation
import SiteRollStore

/// Issues verification codes (G1): a letter for the kind and ten characters from an alphabet
/// without look-alikes (no 0/O, 1/I/L), random, so a code reveals nothing about the identity
/// number and is easy to read aloud on a site. Uniqueness is the table's primary key.
struct VerificationCodeIssuer: Sendable {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    enum Subject: String, Sendable {
        case worker = "W"
        case enterprise = "E"

        var kind: String { self == .worker ? "worker" : "enterprise" }
    }

    static func candidate(for subject: Subject) -> String {
        var generator = SystemRandomNumberGenerator()
        // The alphabet is a non-empty constant: randomElement always has one to give.
        return subject.rawValue + String((0..<10).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Reserves a fresh code for the subject inside the caller's transaction; the subject's
    /// existing code is returned instead if it has one.
    func issue(for subject: Subject, id: UUID, on tx: any Database) async throws -> String {
        if let existing = try await VerificationCodeModel.query(on: tx)
            .filter(\.$subjectKind == subject.kind).filter(\.$subjectID == id).first()
        {
            return try existing.requireID()
        }
        for _ in 0..<5 {
            let code = Self.candidate(for: subject)
            if try await VerificationCodeModel.find(code, on: tx) == nil {
                try await VerificationCodeModel(code: code, subjectKind: subject.kind, subjectID: id).create(on: tx)
                return code
            }
        }
        throw AppError(.serviceUnavailable, code: "CODE_ISSUE_FAILED", message: "核验码生成失败，请重试")
    }
}

/// Checks an uploaded image before it is sealed: JPEG or PNG by content, not by name, within
/// the size limit (standards.md b.4: the national platform takes portraits of at most 50 KB).
enum ImageUpload {
    static let portraitLimit = 50 * 1024
    static let cardImageLimit = 2 * 1024 * 1024

    static func contentType(of data: Data) -> String? {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }

    /// nil when acceptable; otherwise the Chinese reason.
    static func problem(with data: Data?, label: String, limit: Int, required: Bool = true) -> String? {
        guard let data, !data.isEmpty else { return required ? "请上传\(label)" : nil }
        guard contentType(of: data) != nil else { return "\(label)须为 JPG 或 PNG 图片" }
        guard data.count <= limit else {
            return "\(label)不能超过 \(limit >= 1024 * 1024 ? "\(limit / 1024 / 1024) MB" : "\(limit / 1024) KB")，请压缩后重新上传"
        }
        return nil
    }
}
