/// Reads the first worksheet of an .xlsx workbook (Office Open XML, ECMA-376) as rows of text, following the
/// package's relationships as Excel does rather than assuming part names: files from WPS, Numbers, the Open XML
/// SDK and Java or Python libraries name and place parts differently.
enum XLSXReader {
    static func rows(from bytes: [UInt8], limits: SpreadsheetLimits) throws(SpreadsheetError) -> [[String]] {
        let archive = try ZipDirectory(bytes, limits: limits)
        let package = try PackageRelationships.read(for: "", in: archive)
        let workbookPath = package.first(kind: "officeDocument")?.target ?? "xl/workbook.xml"
        // Another kind of ZIP: a Word document, an OpenDocument spreadsheet, a folder of photos.
        guard let workbookBytes = try archive.contents(of: workbookPath) else {
            throw .notSpreadsheet
        }
        let workbook = try WorkbookPart.read(workbookBytes)
        let relationships = try PackageRelationships.read(for: workbookPath, in: archive)

        var context = CellContext(usesDate1904: workbook.usesDate1904)
        let sharedStringsPath =
            relationships.first(kind: "sharedStrings")?.target
            ?? PackageRelationships.resolve("sharedStrings.xml", from: workbookPath)
        if let bytes = try archive.contents(of: sharedStringsPath) {
            context.sharedStrings = try SharedStringsPart.read(bytes)
        }
        let stylesPath =
            relationships.first(kind: "styles")?.target
            ?? PackageRelationships.resolve("styles.xml", from: workbookPath)
        if let bytes = try archive.contents(of: stylesPath) {
            context.styles = try StylesPart.read(bytes)
        }

        guard let sheetPath = firstWorksheetPath(workbook, relationships),
            let sheetBytes = try archive.contents(of: sheetPath)
        else { throw .noWorksheet }
        return try WorksheetPart.rows(sheetBytes, context: context, limits: limits)
    }

    /// The first worksheet in tab order that the user can see (a hidden first sheet often holds lookup
    /// lists for drop-downs), else the first worksheet at all. Chart sheets and macro sheets are skipped.
    static func firstWorksheetPath(_ workbook: WorkbookPart, _ relationships: PackageRelationships) -> String? {
        var firstHidden: String?
        for sheet in workbook.sheets {
            guard let relationship = relationships.target(id: sheet.relationshipID),
                relationship.kind == "worksheet"
            else { continue }
            if !sheet.isHidden { return relationship.target }
            firstHidden = firstHidden ?? relationship.target
        }
        return firstHidden
    }
}
