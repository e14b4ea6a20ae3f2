/// A DEFLATE decoder (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks. Written here because
/// SiteRollCore depends on Foundation alone, and Foundation on Linux has no public inflate.
///
/// The output is capped: a ZIP entry is read only up to `limit` bytes, however small the input, so a
/// "zip bomb" costs the server no more than the limit.
struct Inflater {
    enum Failure: Error, Equatable {
        /// The data is not a valid DEFLATE stream (the detail is for logs and tests, not for users).
        case malformed(String)
        /// The output would exceed the limit.
        case outputLimitExceeded
    }

    /// Decodes a raw DEFLATE stream (no zlib or gzip header), as stored in a ZIP entry with method 8.
    /// `expectedSize` only pre-sizes the output buffer.
    static func inflate(_ input: [UInt8], limit: Int, expectedSize: Int? = nil) throws(Failure) -> [UInt8] {
        var inflater = Inflater(input: input, limit: limit)
        if let expectedSize, expectedSize > 0 {
            inflater.output.reserveCapacity(min(expectedSize, limit))
        }
        try inflater.run()
        return inflater.output
    }

    private var bits: BitReader
    private var output: [UInt8] = []
    private let limit: Int
    private var fixedCodes: (literals: HuffmanCode, distances: HuffmanCode)?

    private init(input: [UInt8], limit: Int) {
        self.bits = BitReader(bytes: input)
        self.limit = limit
    }

    private mutating func run() throws(Failure) {
        var isFinal = false
        while !isFinal {
            isFinal = try bits.read(1) == 1
            switch try bits.read(2) {
            case 0:
                try copyStoredBlock()
            case 1:
                let codes = try fixedHuffmanCodes()
                try decodeBlock(literals: codes.literals, distances: codes.distances)
            case 2:
                let codes = try readDynamicCodes()
                try decodeBlock(literals: codes.literals, distances: codes.distances)
            default:
                throw .malformed("reserved block type 3")
            }
        }
    }

    // MARK: Stored blocks

    private mutating func copyStoredBlock() throws(Failure) {
        bits.alignToByte()
        let length = try bits.read(16)
        let complement = try bits.read(16)
        guard length == ~complement & 0xFFFF else { throw .malformed("stored block length check") }
        try reserve(length)
        let bytes = try bits.readAlignedBytes(length)
        output.append(contentsOf: bytes)
    }

    // MARK: Huffman blocks

    private mutating func fixedHuffmanCodes() throws(Failure) -> (literals: HuffmanCode, distances: HuffmanCode) {
        if let fixedCodes { return fixedCodes }
        var literalLengths = [UInt8](repeating: 8, count: 288)
        for symbol in 144..<256 { literalLengths[symbol] = 9 }
        for symbol in 256..<280 { literalLengths[symbol] = 7 }
        // 30 distance codes; codes 30 and 31 are never valid, so they stay out of the table.
        let codes = (
            literals: try HuffmanCode(lengths: literalLengths),
            distances: try HuffmanCode(lengths: [UInt8](repeating: 5, count: 30))
        )
        fixedCodes = codes
        return codes
    }

    /// The order in which a dynamic block header lists the code-length code lengths (RFC 1951 3.2.7).
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func readDynamicCodes() throws(Failure) -> (literals: HuffmanCode, distances: HuffmanCode) {
        let literalCount = try bits.read(5) + 257
        let distanceCount = try bits.read(5) + 1
        let codeLengthCount = try bits.read(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .malformed("too many codes") }

        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(try bits.read(3))
        }
        let codeLengthCode = try HuffmanCode(lengths: codeLengthLengths)

        let total = literalCount + distanceCount
        var lengths: [UInt8] = []
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try codeLengthCode.decode(&bits)
            let repeated: UInt8
            let count: Int
            switch symbol {
            case 0...15:
                lengths.append(UInt8(symbol))
                continue
            case 16:
                guard let previous = lengths.last else { throw .malformed("repeat with no previous length") }
                repeated = previous
                count = try bits.read(2) + 3
            case 17:
                repeated = 0
                count = try bits.read(3) + 3
            default:
                repeated = 0
                count = try bits.read(7) + 11
            }
            guard lengths.count + count <= total else { throw .malformed("code lengths overrun") }
            lengths.append(contentsOf: repeatElement(repeated, count: count))
        }
        guard lengths[256] != 0 else { throw .malformed("no end-of-block code") }
        return (
            literals: try HuffmanCode(lengths: Array(lengths[..<literalCount])),
            distances: try HuffmanCode(lengths: Array(lengths[literalCount...]))
        )
    }

    private static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtraBits: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12_289, 16_385, 24_577,
    ]
    private static let distanceExtraBits: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    private mutating func decodeBlock(literals: HuffmanCode, distances: HuffmanCode) throws(Failure) {
        while true {
            let symbol = try literals.decode(&bits)
            if symbol < 256 {
                try reserve(1)
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < Self.lengthBase.count else { throw .malformed("invalid length symbol") }
            let length = Self.lengthBase[lengthIndex] + (try bits.read(Self.lengthExtraBits[lengthIndex]))
            let distanceSymbol = try distances.decode(&bits)
            guard distanceSymbol < Self.distanceBase.count else { throw .malformed("invalid distance symbol") }
            let distance =
                Self.distanceBase[distanceSymbol] + (try bits.read(Self.distanceExtraBits[distanceSymbol]))
            guard distance <= output.count else { throw .malformed("distance before start of output") }
            try reserve(length)
            // Byte by byte: a copy may overlap what it produces (distance 1 repeats the last byte).
            let start = output.count - distance
            for offset in 0..<length {
                output.append(output[start + offset])
            }
        }
    }

    private func reserve(_ count: Int) throws(Failure) {
        guard output.count + count <= limit else { throw .outputLimitExceeded }
    }
}

/// Reads the DEFLATE bit stream: least significant bit of each byte first.
private struct BitReader {
    let bytes: [UInt8]
    private var position = 0
    private var buffer: UInt64 = 0
    private var count = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func refill() {
        while count <= 56, position < bytes.count {
            buffer |= UInt64(bytes[position]) << UInt64(count)
            position += 1
            count += 8
        }
    }

    /// The next `width` bits without consuming them; past the end of the input they read as zero.
    mutating func peek(_ width: Int) -> Int {
        if count < width { refill() }
        return Int(truncatingIfNeeded: buffer & ((1 << UInt64(width)) - 1))
    }

    mutating func skip(_ width: Int) throws(Inflater.Failure) {
        if count < width { refill() }
        guard count >= width else { throw .malformed("unexpected end of data") }
        buffer >>= UInt64(width)
        count -= width
    }

    /// Reads `width` (at most 32) bits as an unsigned number, first bit least significant.
    mutating func read(_ width: Int) throws(Inflater.Failure) -> Int {
        let value = peek(width)
        try skip(width)
        return value
    }

    mutating func alignToByte() {
        let partial = count % 8
        buffer >>= UInt64(partial)
        count -= partial
    }

    /// After `alignToByte`: the next `length` whole bytes.
    mutating func readAlignedBytes(_ length: Int) throws(Inflater.Failure) -> ArraySlice<UInt8> {
        // Whole bytes already in the buffer come first; the rest straight from the input.
        let buffered = count / 8
        guard length <= buffered + (bytes.count - position) else { throw .malformed("stored block overruns data") }
        var result = ArraySlice<UInt8>()
        if buffered > 0 {
            var head: [UInt8] = []
            for _ in 0..<min(length, buffered) {
                head.append(UInt8(truncatingIfNeeded: buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
            result = ArraySlice(head)
        }
        let remaining = length - result.count
        if remaining > 0 {
            result.append(contentsOf: bytes[position..<position + remaining])
            position += remaining
        }
        return result
    }
}

/// A canonical Huffman code (RFC 1951 3.2.2) decoded with one lookup table indexed by the next
/// `maximumLength` bits of input, bit-reversed as DEFLATE stores codes.
private struct HuffmanCode {
    /// `symbol << 4 | length`; 0 marks bit patterns that no code starts with (an incomplete code).
    private let table: [UInt16]
    private let maximumLength: Int

    init(lengths: [UInt8]) throws(Inflater.Failure) {
        var lengthCounts = [Int](repeating: 0, count: 16)
        for length in lengths {
            guard length <= 15 else { throw .malformed("code length over 15") }
            lengthCounts[Int(length)] += 1
        }
        lengthCounts[0] = 0
        var available = 1
        for length in 1...15 {
            available = available * 2 - lengthCounts[length]
            guard available >= 0 else { throw .malformed("over-subscribed Huffman code") }
        }
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + lengthCounts[length - 1]) << 1
            nextCode[length] = code
        }
        let maximumLength = max(1, Int(lengths.max() ?? 0))
        var table = [UInt16](repeating: 0, count: 1 << maximumLength)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let width = Int(length)
            let reversed = Self.reverse(nextCode[width], width: width)
            nextCode[width] += 1
            let entry = UInt16(symbol << 4 | width)
            for index in stride(from: reversed, to: table.count, by: 1 << width) {
                table[index] = entry
            }
        }
        self.table = table
        self.maximumLength = maximumLength
    }

    func decode(_ bits: inout BitReader) throws(Inflater.Failure) -> Int {
        let entry = Int(table[bits.peek(maximumLength)])
        let length = entry & 0xF
        guard length > 0 else { throw .malformed("invalid Huffman code") }
        try bits.skip(length)
        return entry >> 4
    }

    private static func reverse(_ code: Int, width: Int) -> Int {
        var code = code
        var reversed = 0
        for _ in 0..<width {
            reversed = reversed << 1 | code & 1
            code >>= 1
        }
        return reversed
    }
}
