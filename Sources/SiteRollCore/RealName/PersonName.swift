import Foundation

/// A person's name as the resident identity card prints it (M1, E1): 2 to 30 characters, Chinese
/// characters and the middle dot `·` that separates the parts of a transcribed minority name
/// (e.g. 买买提·艾力). The registration page checks the same rule in the browser
/// (`worker-form.js`), with the limits the page renders from here.
public enum PersonName {
    public static let minimumLength = 2
    public static let maximumLength = 30
    /// The separator of a transcribed name: U+00B7, and the full-width U+30FB some input methods type.
    public static let separators: Set<Character> = ["·", "・"]

    /// nil when acceptable; otherwise the Chinese reason. The input is trimmed first.
    public static func problem(_ text: String) -> String? {
        let name = text.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { return "请填写与身份证一致的姓名" }
        guard (minimumLength...maximumLength).contains(name.count) else {
            return "姓名应为 \(minimumLength) 至 \(maximumLength) 个字，与身份证一致"
        }
        guard name.allSatisfy({ separators.contains($0) || isChinese($0) }),
            let first = name.first, let last = name.last, !separators.contains(first), !separators.contains(last)
        else { return "姓名只能由汉字和间隔号“·”组成，与身份证一致" }
        return nil
    }

    /// CJK Unified Ideographs, their extensions A–H and the compatibility block: every character a
    /// resident identity card prints for a name.
    static func isChinese(_ character: Character) -> Bool {
        character.unicodeScalars.count == 1
            && character.unicodeScalars.allSatisfy { scalar in
                switch scalar.value {
                case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x323AF: true
                default: false
                }
            }
    }
}
