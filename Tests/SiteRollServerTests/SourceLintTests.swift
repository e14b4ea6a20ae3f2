import Foundation
import Testing

/// Issue 12 item 1 (S1): a force unwrap, `try!` or `as!` on a path a request can reach stops the
/// whole server. None may be added without a comment on the same or the line above saying why it
/// cannot fail. The demo loader and the benchmarks run the program's own data, not a request's,
/// and the command line is not a request path: they are left out.
@Suite("Reliability: no unexplained trap in request code")
struct SourceLintTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func excluded(_ path: String) -> Bool {
        path.contains("/Demo/") || path.contains("Benchmark") || path.contains("/Sources/siteroll/")
    }

    /// The line without its string literals and its trailing comment.
    static func code(of line: String) -> String {
        var result = ""
        var inString = false
        var previous: Character = " "
        for character in line {
            if character == "\"" && previous != "\\" {
                inString.toggle()
                result.append("\"")
            } else if !inString {
                if character == "/" && previous == "/" {
                    result.removeLast()
                    break
                }
                result.append(character)
            }
            previous = character
        }
        return result
    }

    static func traps(in line: String) -> Bool {
        let code = code(of: line)
        if code.contains("try!") || code.contains("as!") { return true }
        // `value!` and `call()!`, `array[0]!`, but not `!=` or a prefix `!flag`.
        let pattern = #"[\w\)\]]!(?!=)"#
        return code.range(of: pattern, options: .regularExpression) != nil
    }

    @Test("every force unwrap, try! and as! in the server's request code carries a comment saying why it cannot fail")
    func explained() throws {
        var offenders: [String] = []
        let sources = Self.root.appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 100, "the sources were found")
        for file in files where !Self.excluded(file.path) {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (index, line) in lines.enumerated() where Self.traps(in: line) {
                let above = index > 0 ? lines[index - 1] : ""
                if line.contains("//") || above.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
                offenders.append(
                    "\(file.path.replacingOccurrences(of: Self.root.path + "/", with: "")):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))"
                )
            }
        }
        #expect(offenders.isEmpty, "unexplained traps:\n\(offenders.joined(separator: "\n"))")
    }

    @Test(
        "the lint sees what it looks for",
        arguments: [
            ("let x = y!", true), ("let x = f()!", true), ("let x = a[0]!", true), ("try! f()", true),
            ("x as! Y", true), ("if a != b {", false), ("if !flag {", false), (#"let s = "wow!""#, false),
            ("let x = y ?? z // y! is fine", false),
        ])
    func detects(line: String, expected: Bool) {
        #expect(Self.traps(in: line) == expected)
    }
}
