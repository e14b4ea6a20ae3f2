import Foundation
import SiteRollStore
import Testing

@testable import SiteRollServer

/// Issue 13 item 6: one sealed-document helper for contract scans, agency agreements and signed
/// wage tables — content sniffing, size, sealing, and the problem in the form's own words.
@Suite("Sealed documents")
struct SealedDocumentTests {
    static let cipher = try! FieldCipher(masterKey: Data(repeating: 7, count: 32))

    @Test(
        "the content decides, not the name",
        arguments: [
            (Data("%PDF-1.4\n".utf8), "application/pdf"), (Data([0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg"),
            (Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]), "image/png"),
            (Data("MZ\u{90}executable".utf8), nil), (Data(), nil), (Data("%PD".utf8), nil),
        ] as [(Data, String?)])
    func sniffing(data: Data, type: String?) {
        #expect(SealedDocument.contentType(of: data) == type)
    }

    @Test("a scan is sealed with its digest; a large or foreign file is refused in the form's words")
    func sealing() throws {
        let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\n".utf8)
        let file = UploadedFile(fileName: String(repeating: "长", count: 150) + ".pdf", contentType: "x", data: pdf)
        let scan = try SealedDocument.seal(file, maxBytes: 1024, cipher: Self.cipher).get()
        #expect(scan.type == "application/pdf" && scan.size == pdf.count && scan.name.count == 100)
        #expect(scan.sealed != pdf)
        #expect(try Self.cipher.open(data: scan.sealed) == pdf)
        #expect(scan.sha256.count == 64)

        let big = UploadedFile(fileName: "a.pdf", contentType: "application/pdf", data: pdf + Data(count: 2048))
        #expect(throws: SealedDocument.Problem.tooLarge(maxBytes: 1024)) {
            try SealedDocument.seal(big, maxBytes: 1024, cipher: Self.cipher).get()
        }
        #expect(SealedDocument.Problem.tooLarge(maxBytes: 1024).message("合同文件") == "合同文件不能超过 1 KB，请压缩后再上传")
        let exe = UploadedFile(fileName: "a.pdf", contentType: "application/pdf", data: Data("MZ".utf8))
        #expect(throws: SealedDocument.Problem.notAScan) {
            try SealedDocument.seal(exe, maxBytes: 1024, cipher: Self.cipher).get()
        }
        #expect(SealedDocument.Problem.notAScan.message("扫描件") == "扫描件只能是 PDF、JPG 或 PNG")
    }
}
