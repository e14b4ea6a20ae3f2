import Foundation
import Testing
import ZIPFoundation

@testable import SiteRollSpreadsheets

/// The ZIP container of an uploaded .xlsx (E2, issue 13): the bounds-checked directory, entries inflated by
/// ZIPFoundation (zlib) and checksummed, and the zip-bomb limits, checked from the directory before inflating
/// and enforced while inflating.
@Suite("ZIP reading")
struct ZipReadingTests {
    @Test("reads an entry that Python's zipfile deflated (fixed Huffman)")
    func fixedHuffman() throws {
        let archive = try ZipDirectory(SpreadsheetFixtures.smallDeflatedZip, limits: .standard)
        let entry = try #require(archive.entry(named: "small.txt"))
        #expect(entry.method == 8)
        let contents = try #require(try archive.contents(of: "small.txt"))
        #expect(String(decoding: contents, as: UTF8.self) == SpreadsheetFixtures.smallText)
    }

    @Test("reads 100 KB of varied text that Python's zipfile deflated into two dynamic Huffman blocks")
    func dynamicHuffman() throws {
        let expected = Array(SpreadsheetFixtures.largeText().utf8)
        #expect(expected.count >= 100_000)
        let archive = try ZipDirectory(SpreadsheetFixtures.largeDeflatedZip, limits: .standard)
        let entry = try #require(archive.entry(named: "large.txt"))
        #expect(entry.compressedSize < expected.count / 4)
        #expect(try archive.contents(of: "large.txt") == expected)
    }

    @Test("reads what ZIPFoundation writes; part names compare case-insensitively")
    func zipFoundationArchive() throws {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, text, method) in [("a.txt", "甲", CompressionMethod.deflate), ("dir/B.xml", "", .none)] {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        let directory = try ZipDirectory([UInt8](try #require(archive.data)), limits: .standard)
        #expect(directory.entryNames == ["a.txt", "dir/B.xml"])
        #expect(try directory.contents(of: "A.TXT") == Array("甲".utf8))
        #expect(try directory.contents(of: "dir/b.xml") == [])
        #expect(try directory.contents(of: "missing") == nil)
    }

    @Test("a corrupted entry fails its CRC-32 check")
    func crcMismatch() throws {
        var bytes = TestZip([.stored("a.txt", "hello")]).bytes
        bytes[30 + 5] ^= 0x20  // first content byte, after the 30-byte header and "a.txt"
        let archive = try ZipDirectory(bytes, limits: .standard)
        #expect(throws: SpreadsheetError.damagedWorkbook) {
            try archive.contents(of: "a.txt")
        }
    }

    @Test(
        "DEFLATE data that is not DEFLATE, or ends early, is refused",
        arguments: [
            [0x07] as [UInt8],  // reserved block type 3
            [0x01, 3, 0, 0xFF, 0xFF, 0x61, 0x62, 0x63],  // stored length and its complement disagree
            [0x01, 9, 0, 0xF6, 0xFF, 0x61],  // stored block longer than the data
            [0x03],  // fixed block cut off before its end-of-block code
            [],
            [0x01, 0xFF, 0xFF, 0x00, 0x00] + Array("runs on".utf8),  // stored block running past its entry
        ])
    func malformedDeflate(stream: [UInt8]) throws {
        let archive = try ZipDirectory(
            TestZip([.rawDeflate("a.txt", stream, declaredSize: 5, crc: 0)]).bytes, limits: .standard)
        #expect {
            try archive.contents(of: "a.txt")
        } throws: { error in
            // Past the entry's data the inflater reads zeros (ZipDirectory+Contents), so a stream cut short may
            // end there, short of its declared size.
            [SpreadsheetError.damagedWorkbook, .sizeMismatch].contains(error as? SpreadsheetError)
        }
    }

    @Test("a dynamic Huffman stream cut in half is refused")
    func truncatedDynamicHuffman() throws {
        let source = try ZipDirectory(SpreadsheetFixtures.largeDeflatedZip, limits: .standard)
        let entry = try #require(source.entry(named: "large.txt"))
        let stream = Array(source.bytes[entry.dataStart..<entry.dataStart + entry.compressedSize / 2])
        let archive = try ZipDirectory(
            TestZip([.rawDeflate("large.txt", stream, declaredSize: entry.uncompressedSize, crc: entry.crc32)]).bytes,
            limits: .standard)
        #expect {
            try archive.contents(of: "large.txt")
        } throws: { error in
            [SpreadsheetError.damagedWorkbook, .sizeMismatch].contains(error as? SpreadsheetError)
        }
    }

    // MARK: Refused uploads

    /// An upload that must be refused, and the error it must get.
    struct RefusedUpload: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var bytes: [UInt8]
        var limits = SpreadsheetLimits.standard
        var expected: SpreadsheetError
    }

    @Test(
        "zip bombs and broken containers are refused, each with its code", arguments: ZipReadingTests.refusedUploads())
    func refused(_ upload: RefusedUpload) {
        #expect(throws: upload.expected) {
            try SpreadsheetReader.rows(from: Data(upload.bytes), fileName: "花名册.xlsx", limits: upload.limits)
        }
    }

    static func refusedUploads() -> [RefusedUpload] {
        let megabyte = 1024 * 1024
        let standard = SpreadsheetLimits.standard
        let row = Array(#"<row r="1"><c r="A1" t="inlineStr"><is><t>张三</t></is></c></row>"#.utf8)
        let sheet = { (rows: Int) in
            Array(#"<worksheet xmlns="\#(SpreadsheetTests.main)"><sheetData>"#.utf8)
                + Array([[UInt8]](repeating: row, count: rows).joined()) + Array("</sheetData></worksheet>".utf8)
        }
        let withSheet = { (entry: TestZip.Entry) in
            TestZip(SpreadsheetTests.minimalEntries(sheetData: "").filter { !$0.name.contains("worksheets") } + [entry])
                .bytes
        }
        // 350 KB of DEFLATE data that inflates to 51 MB of "x": about 150 to 1.
        let bomb = FixedHuffmanStream.repeating(UInt8(ascii: "x"), runs: 51 * megabyte / 258)
        let bombSize = 1 + 51 * megabyte / 258 * 258
        var lowTotal = standard
        lowTotal.maximumExpandedSize = 1 * megabyte
        let workbook = SpreadsheetTests.workbook(
            SpreadsheetTests.minimalParts(sheetData: String(decoding: row, as: UTF8.self)))
        var pastTheEnd = SpreadsheetTests.minimalEntries(sheetData: "")
        pastTheEnd[0].declaredOffset = 0x7FFF_FFF0
        var overlapping = [TestZip.Entry.deflated("xl/media/a.bin", [UInt8](repeating: 1, count: 1000))]
        overlapping.append(overlapping[0])
        overlapping[1].name = "xl/media/b.bin"
        overlapping[1].declaredOffset = 0
        var directoryPastTheEnd = workbook
        directoryPastTheEnd.replaceSubrange(
            (directoryPastTheEnd.count - 6)..<(directoryPastTheEnd.count - 2), with: [0xF0, 0xFF, 0xFF, 0x7F])
        return [
            RefusedUpload(
                testDescription: "a part that inflates over 200 times its compressed size",
                bytes: withSheet(.deflated("xl/worksheets/sheet1.xml", sheet(50_000))),
                expected: .compressionRatio(limit: 200)),
            RefusedUpload(
                testDescription: "small parts, each under the ratio's grace size, together over the ratio",
                bytes: TestZip(
                    (1...40).map { .deflated("xl/media/image\($0).bin", [UInt8](repeating: 0, count: 90 * 1024)) }
                ).bytes,
                expected: .compressionRatio(limit: 200)),
            RefusedUpload(
                testDescription: "more than 2,000 entries",
                bytes: TestZip((0...2_000).map { .stored("xl/media/\($0).txt", "x") }).bytes,
                expected: .tooManyEntries(limit: 2_000)),
            RefusedUpload(
                testDescription: "a part that declares less than it inflates to",
                bytes: withSheet(.deflated("xl/worksheets/sheet1.xml", sheet(3_000), declaredSize: 100)),
                expected: .sizeMismatch),
            RefusedUpload(
                testDescription: "a part that declares more than it inflates to",
                bytes: withSheet(.deflated("xl/worksheets/sheet1.xml", sheet(10), declaredSize: 5_000)),
                expected: .sizeMismatch),
            RefusedUpload(
                testDescription: "a 51 MB zip bomb declaring 1 KB, stopped after its first kilobytes",
                bytes: withSheet(.rawDeflate("xl/worksheets/sheet1.xml", bomb, declaredSize: 1024, crc: 0)),
                expected: .sizeMismatch),
            RefusedUpload(
                testDescription: "one part declaring 51 MB, over the 50 MB of a part",
                bytes: withSheet(.rawDeflate("xl/worksheets/sheet1.xml", bomb, declaredSize: bombSize, crc: 0)),
                expected: .contentTooLarge(limit: 50 * megabyte)),
            RefusedUpload(
                testDescription: "three parts declaring 40 MB each, over the 100 MB of all parts",
                bytes: TestZip(
                    (1...3).map { .rawDeflate("xl/media/image\($0).bin", bomb, declaredSize: 40 * megabyte, crc: 0) }
                ).bytes,
                expected: .expandedTooLarge(limit: 100 * megabyte)),
            RefusedUpload(
                testDescription: "stored parts over a lowered total of 1 MB",
                bytes: TestZip(
                    (1...2).map { .stored("xl/media/image\($0).bin", [UInt8](repeating: 7, count: 600 * 1024)) }
                ).bytes,
                limits: lowTotal, expected: .expandedTooLarge(limit: 1 * megabyte)),
            RefusedUpload(
                testDescription: "a truncated archive", bytes: Array(workbook.dropLast(10)),
                expected: .damagedWorkbook),
            RefusedUpload(
                testDescription: "the first 200 bytes of an archive", bytes: Array(workbook.prefix(200)),
                expected: .damagedWorkbook),
            RefusedUpload(
                testDescription: "a PNG picture", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
                expected: .notSpreadsheet),
            RefusedUpload(
                testDescription: "a ZIP signature followed by no ZIP",
                bytes: [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0x41, count: 4096), expected: .damagedWorkbook),
            RefusedUpload(
                testDescription: "a directory entry pointing past the end of the file",
                bytes: TestZip(pastTheEnd).bytes, expected: .damagedWorkbook),
            RefusedUpload(
                testDescription: "a central directory starting past the end of the file",
                bytes: directoryPastTheEnd, expected: .damagedWorkbook),
            RefusedUpload(
                testDescription: "a DEFLATE stream running past its entry into the directory",
                bytes: withSheet(
                    .rawDeflate(
                        "xl/worksheets/sheet1.xml", [0x01, 0xFF, 0xFF, 0x00, 0x00] + row, declaredSize: 65_535, crc: 0)),
                expected: .damagedWorkbook),
            RefusedUpload(
                testDescription: "two entries sharing their data (an overlapping zip bomb)",
                bytes: TestZip(overlapping).bytes, expected: .damagedWorkbook),
            RefusedUpload(
                testDescription: "two parts of one name",
                bytes: TestZip(
                    SpreadsheetTests.minimalEntries(sheetData: "") + [.stored("XL/Workbook.xml", "<workbook/>")]
                ).bytes,
                expected: .damagedWorkbook),
        ]
    }

    @Test("the limits' defaults and the new codes are stable")
    func defaultsAndCodes() {
        let limits = SpreadsheetLimits.standard
        #expect(limits.maximumEntries == 2_000)
        #expect(limits.maximumExpandedSize == 100 * 1024 * 1024)
        #expect(limits.maximumCompressionRatio == 200)
        #expect(SpreadsheetError.tooManyEntries(limit: 2_000).code == "SHEET_TOO_MANY_ENTRIES")
        #expect(SpreadsheetError.expandedTooLarge(limit: 1).code == "SHEET_EXPANDED_TOO_LARGE")
        #expect(SpreadsheetError.compressionRatio(limit: 200).code == "SHEET_COMPRESSION_RATIO")
        #expect(SpreadsheetError.compressionRatio(limit: 200).message.contains("200 倍"))
        #expect(SpreadsheetError.sizeMismatch.code == "SHEET_SIZE_MISMATCH")
        #expect(SpreadsheetError.contentTooLarge(limit: 50 * 1024 * 1024).code == "SHEET_TOO_LARGE")
    }

    @Test("a ZIP-encrypted entry is reported as encrypted")
    func encryptedEntry() {
        var entries = SpreadsheetTests.minimalEntries(
            sheetData: #"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>"#)
        entries[0].flags |= 1
        #expect(throws: SpreadsheetError.encrypted) {
            try SpreadsheetReader.rows(from: Data(TestZip(entries).bytes))
        }
    }
}
