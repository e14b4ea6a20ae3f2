/// From `xl/styles.xml`, only what decides whether a number is a date: the number format of each cell
/// format (`cellXfs`, indexed by a cell's `s` attribute) and the custom number formats.
struct StylesPart: Sendable {
    /// The kind of each entry of `cellXfs`, in order.
    var cellFormatKinds: [NumberFormatKind] = []

    func kind(ofStyle index: Int?) -> NumberFormatKind {
        guard let index, cellFormatKinds.indices.contains(index) else { return .general }
        return cellFormatKinds[index]
    }

    static func read(_ bytes: [UInt8]) throws(SpreadsheetError) -> StylesPart {
        let reader = StylesReader()
        try reader.parse(bytes)
        let kinds = reader.cellFormatIDs.map { id in
            reader.customFormats[id].map { NumberFormatKind(formatCode: $0) } ?? NumberFormatKind(builtInID: id)
        }
        return StylesPart(cellFormatKinds: kinds)
    }
}

private final class StylesReader: XMLPartReader {
    var customFormats: [Int: String] = [:]
    var cellFormatIDs: [Int] = []
    /// `<xf>` also appears in `cellStyleXfs` and `dxfs`; only those in `cellXfs` are cell formats.
    private var inCellFormats = false

    override func start(_ element: String, attributes: [String: String]) {
        switch element {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                customFormats[id] = code
            }
        case "cellXfs":
            inCellFormats = true
        case "xf" where inCellFormats:
            cellFormatIDs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
        default:
            break
        }
    }

    override func end(_ element: String) {
        if element == "cellXfs" { inCellFormats = false }
    }
}
