/// Reads the entries of a ZIP file (APPNOTE 6.3), as far as an .xlsx needs: the central directory,
/// stored and DEFLATE entries, CRC-32 checked. ZIP64, multi-disk archives and ZIP encryption are refused:
/// no spreadsheet under the upload limit needs the first two, and the third cannot be read without a password.
struct ZipArchive {
    enum Failure: Error, Equatable {
        case malformed(String)
        case encrypted
        case unsupportedCompression(UInt16)
        case entryTooLarge
    }

    struct Entry: Sendable, Equatable {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    private let bytes: [UInt8]
    /// Entries by lower-cased name: part names in an Open Packaging package compare case-insensitively.
    private let entriesByName: [String: Entry]

    /// More entries than any workbook has; bounds the work a forged directory can cause.
    private static let maximumEntryCount = 10_000

    init(_ bytes: [UInt8]) throws(Failure) {
        self.bytes = bytes
        let directory = try Self.endOfCentralDirectory(in: bytes)
        var entries: [String: Entry] = [:]
        var offset = directory.offset
        for _ in 0..<directory.count {
            let entry = try Self.centralDirectoryEntry(in: bytes, at: &offset)
            entries[entry.name.lowercased()] = entry
        }
        self.entriesByName = entries
    }

    var entryNames: [String] { entriesByName.values.map(\.name).sorted() }

    func entry(named name: String) -> Entry? {
        entriesByName[name.lowercased()]
    }

    /// The content of the entry, or nil when there is none by that name.
    func contents(of name: String, limit: Int) throws(Failure) -> [UInt8]? {
        guard let entry = entry(named: name) else { return nil }
        return try contents(of: entry, limit: limit)
    }

    func contents(of entry: Entry, limit: Int) throws(Failure) -> [UInt8] {
        guard entry.flags & 0x1 == 0 else { throw .encrypted }
        // The declared size can lie; it lets an honest oversized entry be refused before any work.
        guard entry.uncompressedSize <= limit else { throw .entryTooLarge }
        let header = entry.localHeaderOffset
        guard bytes.uint32(at: header) == 0x0403_4B50,
            let nameLength = bytes.uint16(at: header + 26), let extraLength = bytes.uint16(at: header + 28)
        else { throw .malformed("bad local header for \(entry.name)") }
        let start = header + 30 + Int(nameLength) + Int(extraLength)
        guard start + entry.compressedSize <= bytes.count else { throw .malformed("entry \(entry.name) overruns") }
        let stored = Array(bytes[start..<start + entry.compressedSize])

        let content: [UInt8]
        switch entry.method {
        case 0:
            content = stored
        case 8:
            do {
                content = try Inflater.inflate(stored, limit: limit, expectedSize: entry.uncompressedSize)
            } catch {
                switch error {
                case .outputLimitExceeded: throw .entryTooLarge
                case .malformed(let detail): throw .malformed("\(entry.name): \(detail)")
                }
            }
        default:
            throw .unsupportedCompression(entry.method)
        }
        guard content.count == entry.uncompressedSize else { throw .malformed("size mismatch in \(entry.name)") }
        guard CRC32.checksum(content) == entry.crc32 else { throw .malformed("CRC mismatch in \(entry.name)") }
        return content
    }

    // MARK: Directory

    private static func endOfCentralDirectory(in bytes: [UInt8]) throws(Failure) -> (offset: Int, count: Int) {
        // The record is 22 bytes plus a comment of up to 65,535 bytes, so it starts in the last 65,557.
        guard bytes.count >= 22 else { throw .malformed("too short") }
        let lowest = max(0, bytes.count - 65_557)
        var candidate = bytes.count - 22
        while candidate >= lowest {
            if bytes.uint32(at: candidate) == 0x0605_4B50 { break }
            candidate -= 1
        }
        guard candidate >= lowest,
            let disk = bytes.uint16(at: candidate + 4), let directoryDisk = bytes.uint16(at: candidate + 6),
            let count = bytes.uint16(at: candidate + 10), let offset = bytes.uint32(at: candidate + 16)
        else { throw .malformed("no end of central directory") }
        guard disk == 0, directoryDisk == 0 else { throw .malformed("multi-disk archive") }
        guard count != 0xFFFF, offset != 0xFFFF_FFFF else { throw .malformed("ZIP64 archive") }
        guard Int(count) <= maximumEntryCount, Int(offset) < bytes.count else {
            throw .malformed("central directory out of range")
        }
        return (Int(offset), Int(count))
    }

    private static func centralDirectoryEntry(in bytes: [UInt8], at offset: inout Int) throws(Failure) -> Entry {
        guard bytes.uint32(at: offset) == 0x0201_4B50,
            let flags = bytes.uint16(at: offset + 8), let method = bytes.uint16(at: offset + 10),
            let crc = bytes.uint32(at: offset + 16), let compressedSize = bytes.uint32(at: offset + 20),
            let uncompressedSize = bytes.uint32(at: offset + 24), let nameLength = bytes.uint16(at: offset + 28),
            let extraLength = bytes.uint16(at: offset + 30), let commentLength = bytes.uint16(at: offset + 32),
            let localHeaderOffset = bytes.uint32(at: offset + 42)
        else { throw .malformed("bad central directory entry") }
        let nameStart = offset + 46
        guard nameStart + Int(nameLength) <= bytes.count else { throw .malformed("entry name overruns") }
        let nameBytes = bytes[nameStart..<nameStart + Int(nameLength)]
        // Names are UTF-8 when flag bit 11 is set, otherwise code page 437; part names are ASCII either way.
        let name = String(validating: nameBytes, as: UTF8.self) ?? String(decoding: nameBytes, as: Unicode.ASCII.self)
        offset = nameStart + Int(nameLength) + Int(extraLength) + Int(commentLength)
        guard compressedSize != 0xFFFF_FFFF, uncompressedSize != 0xFFFF_FFFF else { throw .malformed("ZIP64 entry") }
        return Entry(
            name: name, method: method, flags: flags, crc32: crc, compressedSize: Int(compressedSize),
            uncompressedSize: Int(uncompressedSize), localHeaderOffset: Int(localHeaderOffset))
    }
}

extension [UInt8] {
    /// Little-endian 16-bit value at `offset`, or nil past the end.
    func uint16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= count else { return nil }
        return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// Little-endian 32-bit value at `offset`, or nil past the end.
    func uint32(at offset: Int) -> UInt32? {
        guard offset >= 0, offset + 4 <= count else { return nil }
        return UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 3]) << 24
    }
}
