/// Bounds on what one upload may cost the server. A roster of a large site has a few thousand workers;
/// anything far beyond that is a mistake or an attack (a "zip bomb" inflates kilobytes into gigabytes).
struct SpreadsheetLimits: Sendable {
    /// The uploaded file itself.
    var maximumFileSize: Int
    /// Rows returned, header included.
    var maximumRows: Int
    /// One ZIP entry after inflating (the sheet XML of a 20,000-row roster is well under 20 MB).
    var maximumEntrySize: Int
    /// Rows × columns materialised, so that one stray cell in column XFD cannot multiply memory.
    var maximumCells: Int

    static let standard = SpreadsheetLimits(
        maximumFileSize: 10 * 1024 * 1024,
        maximumRows: 20_000,
        maximumEntrySize: 50 * 1024 * 1024,
        maximumCells: 3_000_000)
}
