import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Base for the event handlers that read one XML part of a workbook with Foundation's `XMLParser`.
/// Element and attribute names arrive without their namespace prefix: Excel writes `<c>`, but files
/// from the Open XML SDK and some Chinese office suites write `<x:c>`, and both mean the same.
///
/// A subclass overrides `start`, `end` and `text`, and calls `fail` to stop the parse with an error.
class XMLPartReader: NSObject, XMLParserDelegate {
    private var failure: SpreadsheetError?
    /// The parser running, so that `fail` can stop it; the parser holds its delegate only weakly.
    private var parser: XMLParser?

    /// Parses `bytes`; a syntax error reads as a damaged workbook. Parts with a document type declaration
    /// are refused outright: no Office part has one, and entity definitions are how XML bombs work.
    final func parse(_ bytes: [UInt8]) throws(SpreadsheetError) {
        guard !Self.hasDoctype(bytes) else { throw .damagedWorkbook }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        self.parser = parser
        let succeeded = parser.parse()
        self.parser = nil
        if let failure { throw failure }
        // On Linux `parse()` can return true after a well-formedness error; `parserError` is still set.
        guard succeeded, parser.parserError == nil else { throw .damagedWorkbook }
    }

    func start(_ element: String, attributes: [String: String]) {}

    func end(_ element: String) {}

    func text(_ text: String) {}

    /// Stops the parse at once; `parse` then throws `error`.
    final func fail(_ error: SpreadsheetError) {
        if failure == nil { failure = error }
        parser?.abortParsing()
    }

    // MARK: XMLParserDelegate

    final func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        guard failure == nil else { return }
        var local: [String: String] = [:]
        for (name, value) in attributes where !name.hasPrefix("xmlns") {
            local[Self.localName(name)] = value
        }
        start(Self.localName(elementName), attributes: local)
    }

    final func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        guard failure == nil else { return }
        end(Self.localName(elementName))
    }

    final func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil else { return }
        text(string)
    }

    final func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        fail(.damagedWorkbook)
    }

    final func parser(_ parser: XMLParser, foundCDATA block: Data) {
        guard failure == nil else { return }
        text(String(decoding: block, as: UTF8.self))
    }

    private static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// Whether the prolog (before the root element) has a `<!DOCTYPE`, skipping comments and processing
    /// instructions, where the text could otherwise hide or fake one.
    private static func hasDoctype(_ bytes: [UInt8]) -> Bool {
        let open = UInt8(ascii: "<")
        var index = 0
        func follows(_ text: String, at offset: Int) -> Bool {
            let marker = text.utf8
            return offset + marker.count <= bytes.count
                && bytes[offset..<offset + marker.count].elementsEqual(marker)
        }
        func skip(past terminator: String) {
            while index < bytes.count, !follows(terminator, at: index) { index += 1 }
            index += terminator.utf8.count
        }
        while index < bytes.count {
            guard bytes[index] == open else {
                index += 1
                continue
            }
            if follows("<!DOCTYPE", at: index) { return true }
            if follows("<!--", at: index) {
                skip(past: "-->")
            } else if follows("<?", at: index) {
                skip(past: "?>")
            } else {
                return false
            }
        }
        return false
    }
}
