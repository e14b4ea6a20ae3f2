/// `xl/sharedStrings.xml`: the table that `t="s"` cells index into. An item is plain (`<si><t>`) or rich
/// text (`<si><r><t>…</t></r><r><t>…</t></r></si>`, one run per formatting change), whose runs are joined.
/// Phonetic guides (`<rPh>`, Japanese furigana) hold `<t>` elements too, which are not part of the text.
enum SharedStringsPart {
    static func read(_ bytes: [UInt8]) throws(SpreadsheetError) -> [String] {
        let reader = SharedStringsReader()
        try reader.parse(bytes)
        return reader.strings
    }
}

private final class SharedStringsReader: XMLPartReader {
    var strings: [String] = []
    private var current = ""
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0

    override func start(_ element: String, attributes: [String: String]) {
        switch element {
        case "si":
            inItem = true
            current = ""
        case "rPh":
            phoneticDepth += 1
        case "t":
            inText = inItem && phoneticDepth == 0
        default:
            break
        }
    }

    override func end(_ element: String) {
        switch element {
        case "si":
            strings.append(ExcelValueText.unescapingXString(current))
            inItem = false
        case "rPh":
            phoneticDepth -= 1
        case "t":
            inText = false
        default:
            break
        }
    }

    override func text(_ text: String) {
        if inText { current += text }
    }
}
