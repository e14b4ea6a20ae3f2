import Foundation
import ZIPFoundation

extension ZipDirectory {
    /// The content of the entry, or nil when there is none by that name.
    func contents(of name: String) throws(SpreadsheetError) -> [UInt8]? {
        guard let entry = entry(named: name) else { return nil }
        return try contents(of: entry)
    }

    /// The entry's content, CRC-32 checked. Inflating stops as soon as the output passes the size the directory
    /// declared: that size has passed every limit, and the data may say otherwise.
    func contents(of entry: Entry) throws(SpreadsheetError) -> [UInt8] {
        let stored = entry.dataStart..<entry.dataStart + entry.compressedSize
        if entry.method == 0 {
            let content = Array(bytes[stored])
            guard Data(content).crc32(checksum: 0) == entry.crc32 else { throw .damagedWorkbook }
            return content
        }
        var content: [UInt8] = []
        content.reserveCapacity(entry.uncompressedSize)
        let checksum: UInt32
        do {
            checksum = try Data.decompress(
                size: Int64(entry.compressedSize), bufferSize: Self.chunkSize, skipCRC32: false,
                provider: { position, size in try chunk(of: stored, from: Int(position), size: size) },
                consumer: { output in
                    guard content.count + output.count <= entry.uncompressedSize else {
                        throw SpreadsheetError.sizeMismatch
                    }
                    content.append(contentsOf: output)
                })
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw .damagedWorkbook  // not DEFLATE, or a stream that ends early
        }
        guard content.count == entry.uncompressedSize else { throw .sizeMismatch }
        guard checksum == entry.crc32 else { throw .damagedWorkbook }
        return content
    }

    private static let chunkSize = 64 * 1024

    /// The next piece of an entry's compressed data for ZIPFoundation's inflater, which asks for as many bytes
    /// as it likes and, on Linux, gives zlib a full `size` bytes of input whatever the piece holds. So a piece
    /// is always `size` bytes, zero-filled past the entry; asking again after the entry's end means the stream
    /// did not end where the directory says, and reading stops instead of running into the next entry.
    private func chunk(of stored: Range<Int>, from position: Int, size: Int) throws -> Data {
        let start = stored.lowerBound + position
        guard start < stored.upperBound else { throw SpreadsheetError.damagedWorkbook }
        var piece = Data(bytes[start..<min(start + size, stored.upperBound)])
        if piece.count < size { piece.append(Data(count: size - piece.count)) }
        return piece
    }
}
