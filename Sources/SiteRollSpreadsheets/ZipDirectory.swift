/// The central directory of an uploaded ZIP (APPNOTE 6.3), read with every offset and length checked against
/// the file, and the upload's ZIP limits checked from what it declares, before anything is inflated.
///
/// Why this is not ZIPFoundation's `Archive(data:accessMode: .read)`: in 0.9.20 that reader stops the process
/// on a directory that points past the end of the data (`MemoryFile.readData` builds an inverted range;
/// weichsel/ZIPFoundation#394), spins forever on Linux when a DEFLATE stream ends early (#389), scans a file
/// without an end record byte by byte from its end (24 s for 10 MB in a debug build), and silently ends its
/// entry list at the first encrypted entry. An upload is hostile input, so the directory is read here and
/// ZIPFoundation inflates (zlib) and checksums the entries (`ZipDirectory+Contents`).
///
/// ZIP64, multi-disk archives and ZIP encryption are refused: no spreadsheet under the upload limit needs the
/// first two, and the third cannot be read without a password.
struct ZipDirectory {
    struct Entry: Sendable, Equatable {
        var name: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        /// Where the entry's data starts, after its local header.
        var dataStart: Int
    }

    let bytes: [UInt8]
    /// Entries by lower-cased name: part names in an Open Packaging package compare case-insensitively.
    private let entriesByName: [String: Entry]

    init(_ bytes: [UInt8], limits: SpreadsheetLimits) throws(SpreadsheetError) {
        self.bytes = bytes
        let end = try Self.endRecord(in: bytes)
        guard end.count <= limits.maximumEntries else { throw .tooManyEntries(limit: limits.maximumEntries) }
        var entries: [String: Entry] = [:]
        var spans: [Range<Int>] = []
        var offset = end.directoryStart
        for _ in 0..<end.count {
            let (entry, span) = try Self.entry(in: bytes, at: &offset, directory: end.directoryStart..<end.directoryEnd)
            guard entries.updateValue(entry, forKey: entry.name.lowercased()) == nil else {
                throw .damagedWorkbook  // two parts of one name: readers would disagree on which is meant
            }
            spans.append(span)
        }
        // Entries sharing their bytes are how a few kilobytes can declare gigabytes ("overlapping" zip bombs,
        // D. Fifield 2019); no ZIP writer makes them.
        spans.sort { $0.lowerBound < $1.lowerBound }
        guard zip(spans, spans.dropFirst()).allSatisfy({ $0.upperBound <= $1.lowerBound }) else {
            throw .damagedWorkbook
        }
        try Self.checkDeclaredSizes(Array(entries.values), archiveSize: bytes.count, limits: limits)
        self.entriesByName = entries
    }

    var entryNames: [String] { entriesByName.values.map(\.name).sorted() }

    func entry(named name: String) -> Entry? {
        entriesByName[name.lowercased()]
    }

    // MARK: Limits

    /// Every limit on what inflating could cost, from the declared sizes. Inflating an entry then stops at its
    /// declared size (`contents`), so whatever the data really holds, these limits hold too.
    private static func checkDeclaredSizes(
        _ entries: [Entry], archiveSize: Int, limits: SpreadsheetLimits
    ) throws(SpreadsheetError) {
        var expanded = 0
        for entry in entries {
            guard entry.uncompressedSize <= limits.maximumPartSize else {
                throw .contentTooLarge(limit: limits.maximumPartSize)
            }
            guard !exceedsRatio(entry.uncompressedSize, entry.compressedSize, limits) else {
                throw .compressionRatio(limit: limits.maximumCompressionRatio)
            }
            expanded += entry.uncompressedSize
        }
        guard expanded <= limits.maximumExpandedSize else {
            throw .expandedTooLarge(limit: limits.maximumExpandedSize)
        }
        // Many small entries, each under the grace size, can still add up to a bomb. The file is the compressed
        // size here, not the sum the directory declares.
        guard !exceedsRatio(expanded, archiveSize, limits) else {
            throw .compressionRatio(limit: limits.maximumCompressionRatio)
        }
    }

    private static func exceedsRatio(_ expanded: Int, _ compressed: Int, _ limits: SpreadsheetLimits) -> Bool {
        expanded > limits.ratioGraceSize && expanded > compressed * limits.maximumCompressionRatio
    }

    // MARK: Records

    /// The end of central directory record: 22 bytes plus a comment of up to 65,535 bytes, so it starts in the
    /// last 65,557 bytes; the last signature there is taken, as other readers do.
    private static func endRecord(
        in bytes: [UInt8]
    ) throws(SpreadsheetError) -> (count: Int, directoryStart: Int, directoryEnd: Int) {
        guard bytes.count >= 22 else { throw .damagedWorkbook }
        let lowest = max(0, bytes.count - 65_557)
        guard
            let record = (lowest...(bytes.count - 22)).reversed().first(where: { bytes.uint32(at: $0) == 0x0605_4B50 }),
            let disk = bytes.uint16(at: record + 4), let directoryDisk = bytes.uint16(at: record + 6),
            let countOnDisk = bytes.uint16(at: record + 8), let count = bytes.uint16(at: record + 10),
            let size = bytes.uint32(at: record + 12), let start = bytes.uint32(at: record + 16)
        else { throw .damagedWorkbook }  // a truncated file loses its end record first
        guard disk == 0, directoryDisk == 0, countOnDisk == count else { throw .damagedWorkbook }  // multi-disk
        // ZIP64: sentinel values here, or a ZIP64 locator just before the record.
        guard count != 0xFFFF, size != 0xFFFF_FFFF, start != 0xFFFF_FFFF,
            record < 20 || bytes.uint32(at: record - 20) != 0x0706_4B50
        else { throw .damagedWorkbook }
        guard Int(start) + Int(size) <= record else { throw .damagedWorkbook }
        return (Int(count), Int(start), Int(start) + Int(size))
    }

    /// One central directory record at `offset` (advanced past it), with its local header checked: the data
    /// must lie between the local header and the central directory. `span` is the local header and data.
    private static func entry(
        in bytes: [UInt8], at offset: inout Int, directory: Range<Int>
    ) throws(SpreadsheetError) -> (entry: Entry, span: Range<Int>) {
        guard offset + 46 <= directory.upperBound, bytes.uint32(at: offset) == 0x0201_4B50,
            let flags = bytes.uint16(at: offset + 8), let method = bytes.uint16(at: offset + 10),
            let crc = bytes.uint32(at: offset + 16), let compressedSize = bytes.uint32(at: offset + 20),
            let uncompressedSize = bytes.uint32(at: offset + 24), let nameLength = bytes.uint16(at: offset + 28),
            let extraLength = bytes.uint16(at: offset + 30), let commentLength = bytes.uint16(at: offset + 32),
            let header = bytes.uint32(at: offset + 42).map(Int.init)
        else { throw .damagedWorkbook }
        let nameStart = offset + 46
        let next = nameStart + Int(nameLength) + Int(extraLength) + Int(commentLength)
        guard next <= directory.upperBound else { throw .damagedWorkbook }
        let nameBytes = bytes[nameStart..<nameStart + Int(nameLength)]
        // Names are UTF-8 when flag bit 11 is set, otherwise code page 437; part names are ASCII either way.
        let name = String(validating: nameBytes, as: UTF8.self) ?? String(decoding: nameBytes, as: Unicode.ASCII.self)
        offset = next

        guard flags & 0x1 == 0 else { throw .encrypted }
        guard method == 0 || method == 8, compressedSize != 0xFFFF_FFFF, uncompressedSize != 0xFFFF_FFFF,
            method == 8 || compressedSize == uncompressedSize
        else { throw .damagedWorkbook }
        guard header + 30 <= directory.lowerBound, bytes.uint32(at: header) == 0x0403_4B50,
            let localNameLength = bytes.uint16(at: header + 26), let localExtraLength = bytes.uint16(at: header + 28)
        else { throw .damagedWorkbook }
        let dataStart = header + 30 + Int(localNameLength) + Int(localExtraLength)
        guard dataStart + Int(compressedSize) <= directory.lowerBound else { throw .damagedWorkbook }
        let entry = Entry(
            name: name, method: method, crc32: crc, compressedSize: Int(compressedSize),
            uncompressedSize: Int(uncompressedSize), dataStart: dataStart)
        return (entry, header..<dataStart + Int(compressedSize))
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
