/// How wide text looks in a spreadsheet column, in widths of the digit "0": Chinese characters and other
/// East Asian wide and full-width forms take two, everything else one. Used to size exported columns so that
/// names and ID numbers show without the user widening columns by hand.
enum DisplayWidth {
    static func of(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    /// The width of the widest line of a cell with line breaks.
    static func ofWidestLine(_ text: String) -> Int {
        text.split(whereSeparator: \.isNewline).map { of($0) }.max() ?? 0
    }

    /// East Asian Width W and F (UAX #11) in the blocks that occur in Chinese text.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F,  // Hangul Jamo
            0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
            0x3041...0x33FF,  // kana, bopomofo, Hangul compatibility, CJK compatibility
            0x3400...0x4DBF,  // CJK Extension A
            0x4E00...0x9FFF,  // CJK Unified Ideographs
            0xA000...0xA4CF,  // Yi
            0xAC00...0xD7A3,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0xFE30...0xFE4F,  // CJK compatibility forms
            0xFF00...0xFF60,  // full-width forms
            0xFFE0...0xFFE6,  // full-width signs
            0x20000...0x3FFFD:  // CJK Extensions B and later
            true
        default:
            false
        }
    }
}
