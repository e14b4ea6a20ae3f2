/// Bounds on what one upload may cost the server. A roster of a large site has a few thousand workers;
/// anything far beyond that is a mistake or an attack. A "zip bomb" is an .xlsx whose few kilobytes inflate
/// to gigabytes (one entry of repeated bytes, thousands of entries, or sizes in the directory that lie), so
/// the ZIP limits are checked from the central directory before anything is inflated, and inflating an entry
/// stops as soon as it passes what the directory declared.
public struct SpreadsheetLimits: Sendable, Equatable {
    /// The uploaded file itself.
    public var maximumFileSize: Int
    /// Rows returned, header included.
    public var maximumRows: Int
    /// Rows × columns materialised, so that one stray cell in column XFD cannot multiply memory.
    public var maximumCells: Int
    /// Entries in the ZIP directory. Excel writes about ten for a plain workbook and a few hundred for one
    /// full of sheets, pictures and comments.
    public var maximumEntries: Int
    /// All entries together once inflated, as the directory declares them.
    public var maximumExpandedSize: Int
    /// One entry once inflated (the sheet XML of a 20,000-row roster is under 10 MB).
    public var maximumPartSize: Int
    /// Inflated size over compressed size, per entry and for the archive as a whole. Office files compress
    /// at about 5 to 20 to 1; DEFLATE's own ceiling is about 1,030 to 1, reached only by repeated bytes.
    public var maximumCompressionRatio: Int
    /// Below this inflated size (per entry, and in total) the ratio is not checked: a tiny part may compress
    /// oddly, and it costs nothing. Apache POI's `ZipSecureFile` uses the same grace (100 KB).
    public var ratioGraceSize: Int

    public init(
        maximumFileSize: Int, maximumRows: Int, maximumCells: Int, maximumEntries: Int, maximumExpandedSize: Int,
        maximumPartSize: Int, maximumCompressionRatio: Int, ratioGraceSize: Int
    ) {
        self.maximumFileSize = maximumFileSize
        self.maximumRows = maximumRows
        self.maximumCells = maximumCells
        self.maximumEntries = maximumEntries
        self.maximumExpandedSize = maximumExpandedSize
        self.maximumPartSize = maximumPartSize
        self.maximumCompressionRatio = maximumCompressionRatio
        self.ratioGraceSize = ratioGraceSize
    }

    public static let standard = SpreadsheetLimits(
        maximumFileSize: 10 * 1024 * 1024,
        maximumRows: 20_000,
        maximumCells: 3_000_000,
        maximumEntries: 2_000,
        maximumExpandedSize: 100 * 1024 * 1024,
        maximumPartSize: 50 * 1024 * 1024,
        maximumCompressionRatio: 200,
        ratioGraceSize: 100 * 1024)
}
