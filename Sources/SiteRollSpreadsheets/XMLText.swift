/// Text made safe for the XML we write. XML 1.0 cannot hold most control characters at all, not even as
/// character references, and Excel refuses a whole file over one of them, so they are dropped: they come
/// from pasted text and are never meant.
enum XMLText {
    /// `&`, `<`, `>` and `"` escaped (quotes only matter in attributes, but escaping them everywhere is
    /// harmless); CR as a character reference so that it survives XML's line-end normalisation.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\r": result += "&#13;"
            default:
                if isAllowed(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above (surrogates cannot
    /// occur in a Swift string).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xFFFD: true
        case 0x10000...: true
        default: false
        }
    }

    /// Excel reads `_xHHHH_` in a string as the character U+HHHH (ECMA-376 Part 1, 22.9.2.19); a literal
    /// one is written with its underscore escaped, `_x005F_xHHHH_`, so that text comes back as it went in.
    static func excelLiteral(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "_x") {
            let hex = rest[start.upperBound...].prefix(5)
            let looksEscaped = hex.count == 5 && hex.last == "_" && hex.dropLast().allSatisfy(\.isHexDigit)
            result += rest[..<start.lowerBound]
            result += looksEscaped ? "_x005F_x" : "_x"
            rest = rest[start.upperBound...]
        }
        return result + rest
    }
}
