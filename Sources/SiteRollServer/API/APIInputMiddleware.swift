import Hummingbird
import NIOCore

/// JSON sent to `/api/v1` may not carry a NUL character, raw or escaped (`\u0000`): PostgreSQL
/// stores none in text, so it would fail the insert as a 500 (S1). Refused here with a 400 for
/// every operation at once. The body is read once and handed on unchanged.
struct APIInputMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// A device batch of 500 punches with 50 KB photos, base64, fits well inside.
    static let maximumBytes = 48 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard request.uri.path.hasPrefix("/api/"),
            request.headers[.contentType]?.lowercased().contains("json") == true
        else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumBytes)
        if Self.containsNUL(body) { throw RequestBounds.controlCharacter }
        return try await next(request, context)
    }

    static func containsNUL(_ buffer: ByteBuffer) -> Bool {
        let bytes = buffer.readableBytesView
        if bytes.contains(0) { return true }
        // `\u0000` in any case of its hex digits.
        let escape = Array("\\u0000".utf8)
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: UInt8(ascii: "\\")) {
            let end = bytes.index(found, offsetBy: escape.count, limitedBy: bytes.endIndex) ?? bytes.endIndex
            if end - found == escape.count, bytes[found..<end].elementsEqual(escape) { return true }
            index = bytes.index(after: found)
        }
        return false
    }
}
