import Foundation
import ZIPFoundation

@testable import SiteRollSpreadsheets

/// A ZIP written byte by byte, so that a test can make it say what it likes: sizes that lie, offsets past the
/// end, thousands of entries. Checksums and DEFLATE come from ZIPFoundation (zlib).
struct TestZip {
    struct Entry {
        var name: String
        /// The bytes as they stand in the archive (compressed for method 8).
        var data: [UInt8]
        var method: UInt16
        var crc: UInt32
        /// The inflated size the directory declares.
        var declaredSize: Int
        var flags: UInt16 = 0
        /// The local header offset the directory declares; the real one when nil.
        var declaredOffset: UInt32?

        static func stored(_ name: String, _ contents: [UInt8]) -> Entry {
            Entry(name: name, data: contents, method: 0, crc: TestZip.crc(contents), declaredSize: contents.count)
        }

        static func stored(_ name: String, _ xml: String) -> Entry { stored(name, Array(xml.utf8)) }

        /// DEFLATE data of `contents`, declaring `declaredSize` (the true size when nil).
        static func deflated(_ name: String, _ contents: [UInt8], declaredSize: Int? = nil) -> Entry {
            Entry(
                name: name, data: TestZip.deflate(contents), method: 8, crc: TestZip.crc(contents),
                declaredSize: declaredSize ?? contents.count)
        }

        /// A raw DEFLATE stream, as it comes, declared as given.
        static func rawDeflate(_ name: String, _ stream: [UInt8], declaredSize: Int, crc: UInt32) -> Entry {
            Entry(name: name, data: stream, method: 8, crc: crc, declaredSize: declaredSize)
        }
    }

    var entries: [Entry]

    init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// Local headers and data, central directory, end record.
    var bytes: [UInt8] {
        var archive: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let offset = UInt32(archive.count)
            func common(_ target: inout [UInt8]) {
                target.appendLittleEndian(UInt16(20))  // version needed: 2.0
                target.appendLittleEndian(entry.flags)
                target.appendLittleEndian(entry.method)
                target.appendLittleEndian(UInt16(0))  // time
                target.appendLittleEndian(UInt16(1 << 5 | 1))  // date: 1980-01-01
                target.appendLittleEndian(entry.crc)
                target.appendLittleEndian(UInt32(entry.data.count))
                target.appendLittleEndian(UInt32(entry.declaredSize))
                target.appendLittleEndian(UInt16(name.count))
                target.appendLittleEndian(UInt16(0))  // extra field length
            }
            archive.appendLittleEndian(UInt32(0x0403_4B50))
            common(&archive)
            archive += name + entry.data
            directory.appendLittleEndian(UInt32(0x0201_4B50))
            directory.appendLittleEndian(UInt16(20))  // version made by: MS-DOS, 2.0
            common(&directory)
            directory += [UInt8](repeating: 0, count: 10)  // comment length, disk, internal and external attributes
            directory.appendLittleEndian(entry.declaredOffset ?? offset)
            directory += name
        }
        let directoryStart = archive.count
        archive += directory
        archive.appendLittleEndian(UInt32(0x0605_4B50))
        archive.appendLittleEndian(UInt32(0))  // disks
        archive.appendLittleEndian(UInt16(entries.count))
        archive.appendLittleEndian(UInt16(entries.count))
        archive.appendLittleEndian(UInt32(directory.count))
        archive.appendLittleEndian(UInt32(directoryStart))
        archive.appendLittleEndian(UInt16(0))  // comment length
        return archive
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        Data(bytes).crc32(checksum: 0)
    }

    /// Raw DEFLATE (no zlib header), as a ZIP entry holds it.
    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        let data = Data(bytes)
        var output: [UInt8] = []
        _ = try? Data.compress(
            size: Int64(data.count), bufferSize: 64 * 1024,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) },
            consumer: { output += $0 })
        return output
    }

    /// Where the end record says the central directory starts.
    static func directoryOffset(_ zip: [UInt8]) -> Int? {
        guard let end = (0...(zip.count - 22)).last(where: { zip.uint32(at: $0) == 0x0605_4B50 }) else { return nil }
        return zip.uint32(at: end + 16).map(Int.init)
    }
}

extension [UInt8] {
    mutating func appendLittleEndian(_ value: some FixedWidthInteger) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// Writes fixed-Huffman DEFLATE data by hand (RFC 1951 3.2.6): one literal, then `runs` copies of 258 bytes at
/// distance 1, then end of block. Thirteen bits per 258 output bytes: the shape of a zip bomb.
enum FixedHuffmanStream {
    static func repeating(_ byte: UInt8, runs: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, width: 1)  // BFINAL
        writer.write(1, width: 2)  // BTYPE 01: fixed Huffman
        writer.writeCode(0x30 + Int(byte), width: 8)  // literals 0–143 are 00110000 + value
        for _ in 0..<runs {
            writer.writeCode(0xC5, width: 8)  // symbol 285, length 258: 11000000 + (285 - 280)
            writer.writeCode(0, width: 5)  // distance code 0: distance 1
        }
        writer.writeCode(0, width: 7)  // symbol 256, end of block
        return writer.bytes
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        private var used = 8

        /// Appends `width` bits of `value`, least significant first (header fields and extra bits).
        mutating func write(_ value: Int, width: Int) {
            for bit in 0..<width {
                if used == 8 {
                    bytes.append(0)
                    used = 0
                }
                bytes[bytes.count - 1] |= UInt8((value >> bit) & 1) << UInt8(used)
                used += 1
            }
        }

        /// Appends a Huffman code, most significant bit first, as DEFLATE packs codes.
        mutating func writeCode(_ code: Int, width: Int) {
            var reversed = 0
            for bit in 0..<width { reversed |= ((code >> bit) & 1) << (width - 1 - bit) }
            write(reversed, width: width)
        }
    }
}
