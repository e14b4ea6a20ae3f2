/// Reads the first worksheet of an .xlsx workbook (Office Open XML, ECMA-376) as rows of text, following the
/// package's relationships as Excel does rather than assuming part names: files from WPS, Numbers, the Open XML
/// SDK and Java or Python libraries name and place parts differently.
enum XLSXReader {
    static func rows(from bytes: [UInt8], limits: SpreadsheetLimits) throws(SpreadsheetError) -> [[String]] {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes)
        } catch {
            throw error == .encrypted ? .encrypted : .damagedWorkbook
        }
        let limit = limits.maximumEntrySize

        let package = try PackageRelationships.read(for: "", in: archive, limit: limit)
        let workbookPath = package.first(kind: "officeDocument")?.target ?? "xl/workbook.xml"
        // Another kind of ZIP: a Word document, an OpenDocument spreadsheet, a folder of photos.
        guard let workbookBytes = try contents(of: workbookPath, in: archive, limit: limit) else {
            throw .notSpreadsheet
        }
        let workbook = try WorkbookPart.read(workbookBytes)
        let relationships = try PackageRelationships.read(for: workbookPath, in: archive, limit: limit)

        var context = CellContext(usesDate1904: workbook.usesDate1904)
        let sharedStringsPath =
            relationships.first(kind: "sharedStrings")?.target
            ?? PackageRelationships.resolve("sharedStrings.xml", from: workbookPath)
        if let bytes = try contents(of: sharedStringsPath, in: archive, limit: limit) {
            context.sharedStrings = try SharedStringsPart.read(bytes)
        }
        let stylesPath =
            relationships.first(kind: "styles")?.target
            ?? PackageRelationships.resolve("styles.xml", from: workbookPath)
        if let bytes = try contents(of: stylesPath, in: archive, limit: limit) {
            context.styles = try StylesPart.read(bytes)
        }

        guard let sheetPath = firstWorksheetPath(workbook, relationships),
            let sheetBytes = try contents(of: sheetPath, in: archive, limit: limit)
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

    /// An entry of the package by part name, with ZIP failures in the user's terms; nil when absent.
    static func contents(of path: String, in archive: ZipArchive, limit: Int) throws(SpreadsheetError) -> [UInt8]? {
        do {
            return try archive.contents(of: path, limit: limit)
        } catch {
            switch error {
            case .encrypted: throw .encrypted
            case .entryTooLarge: throw .contentTooLarge(limit: limit)
            case .malformed, .unsupportedCompression: throw .damagedWorkbook
            }
        }
    }
}
