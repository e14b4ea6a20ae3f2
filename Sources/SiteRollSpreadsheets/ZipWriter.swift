/// Writes a ZIP file of STORED (uncompressed) entries. An export is at most a few megabytes and is
/// downloaded once, so compression would buy little; stored entries keep the writer small and obviously
/// correct, and every spreadsheet program reads them.
struct ZipWriter {
    private var archive: [UInt8] = []
    private var centralDirectory: [UInt8] = []
    private var entryCount = 0

    /// 1980-01-01 00:00, the earliest MS-DOS timestamp: a fixed time makes the same export byte-identical.
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = 1 << 5 | 1

    /// Appends an entry. Names must be ASCII (all Open Packaging part names here are).
    mutating func add(name: String, contents: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = CRC32.checksum(contents)
        let offset = archive.count

        archive.appendLittleEndian(UInt32(0x0403_4B50))
        archive.appendLittleEndian(UInt16(20))  // version needed to extract: 2.0
        appendCommonFields(to: &archive, crc: crc, size: contents.count, nameLength: nameBytes.count)
        archive.appendLittleEndian(UInt16(0))  // extra field length
        archive.append(contentsOf: nameBytes)
        archive.append(contentsOf: contents)

        centralDirectory.appendLittleEndian(UInt32(0x0201_4B50))
        centralDirectory.appendLittleEndian(UInt16(20))  // version made by: MS-DOS, 2.0
        centralDirectory.appendLittleEndian(UInt16(20))  // version needed to extract
        appendCommonFields(to: &centralDirectory, crc: crc, size: contents.count, nameLength: nameBytes.count)
        centralDirectory.appendLittleEndian(UInt16(0))  // extra field length
        centralDirectory.appendLittleEndian(UInt16(0))  // comment length
        centralDirectory.appendLittleEndian(UInt16(0))  // disk number start
        centralDirectory.appendLittleEndian(UInt16(0))  // internal attributes
        centralDirectory.appendLittleEndian(UInt32(0))  // external attributes
        centralDirectory.appendLittleEndian(UInt32(offset))
        centralDirectory.append(contentsOf: nameBytes)
        entryCount += 1
    }

    /// The archive: entries, central directory, end-of-central-directory record.
    func finish() -> [UInt8] {
        var result = archive
        result.append(contentsOf: centralDirectory)
        result.appendLittleEndian(UInt32(0x0605_4B50))
        result.appendLittleEndian(UInt16(0))  // this disk
        result.appendLittleEndian(UInt16(0))  // disk with the central directory
        result.appendLittleEndian(UInt16(entryCount))
        result.appendLittleEndian(UInt16(entryCount))
        result.appendLittleEndian(UInt32(centralDirectory.count))
        result.appendLittleEndian(UInt32(archive.count))
        result.appendLittleEndian(UInt16(0))  // comment length
        return result
    }

    /// Flags through file name length: identical in the local header and the central directory.
    private func appendCommonFields(to bytes: inout [UInt8], crc: UInt32, size: Int, nameLength: Int) {
        bytes.appendLittleEndian(UInt16(0))  // flags
        bytes.appendLittleEndian(UInt16(0))  // method: stored
        bytes.appendLittleEndian(Self.dosTime)
        bytes.appendLittleEndian(Self.dosDate)
        bytes.appendLittleEndian(crc)
        bytes.appendLittleEndian(UInt32(size))  // compressed size
        bytes.appendLittleEndian(UInt32(size))  // uncompressed size
        bytes.appendLittleEndian(UInt16(nameLength))
    }
}

extension [UInt8] {
    mutating func appendLittleEndian(_ value: some FixedWidthInteger) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
