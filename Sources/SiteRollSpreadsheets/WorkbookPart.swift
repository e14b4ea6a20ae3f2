/// What `xl/workbook.xml` says that matters for reading: the sheets in tab order and the date system.
struct WorkbookPart: Sendable {
    struct Sheet: Sendable, Equatable {
        var name: String
        var relationshipID: String
        var isHidden: Bool
    }

    var sheets: [Sheet] = []
    /// Workbooks from old Mac Excel count days from 1904-01-01 instead of 1900-01-01.
    var usesDate1904 = false

    static func read(_ bytes: [UInt8]) throws(SpreadsheetError) -> WorkbookPart {
        let reader = WorkbookReader()
        try reader.parse(bytes)
        return reader.workbook
    }
}

private final class WorkbookReader: XMLPartReader {
    var workbook = WorkbookPart()

    override func start(_ element: String, attributes: [String: String]) {
        switch element {
        case "workbookPr":
            workbook.usesDate1904 = ["1", "true"].contains(attributes["date1904"])
        case "sheet":
            // `r:id` arrives as `id` (the prefix is stripped); Strict OOXML uses the same local name.
            guard let id = attributes["id"] else { return }
            workbook.sheets.append(
                .init(
                    name: attributes["name"] ?? "", relationshipID: id,
                    isHidden: ["hidden", "veryHidden"].contains(attributes["state"])))
        default:
            break
        }
    }
}
