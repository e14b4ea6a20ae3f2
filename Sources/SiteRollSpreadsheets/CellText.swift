import Foundation

/// How a cell's text is cleaned before it is returned: surrounding white space of any kind (ideographic
/// space U+3000, no-break space, line breaks) and the invisible characters that come with copy and paste
/// from web pages and chat apps, which would otherwise make an ID number fail its check for no visible reason.
enum CellText {
    private static let trimmedCharacters = CharacterSet.whitespacesAndNewlines
        .union(CharacterSet(charactersIn: "\u{200B}\u{FEFF}"))

    static func trimmed(_ text: some StringProtocol) -> String {
        text.trimmingCharacters(in: trimmedCharacters)
    }
}
