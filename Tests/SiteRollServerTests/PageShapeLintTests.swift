import Foundation
import Testing

/// Issue 13 item 2: a page is one read function, a view model and a template. Files that hold
/// pages (`*Pages*.swift`) do no database work of their own: no Fluent query, no `find(_:on:)`,
/// no reach into a service's database. Their reads live in the subsystem's `…Reads` or service.
@Suite("Shape: pages do no database work")
struct PageShapeLintTests {
    static let patterns = [#"\.query\(on:"#, #"\.find\([^)]*on:"#, #"\.database\.database\(\)"#, #"\.sql\(\)"#]

    static func databaseWork(in line: String) -> Bool {
        let code = SourceLintTests.code(of: line)
        return patterns.contains { code.range(of: $0, options: .regularExpression) != nil }
    }

    @Test("no page file queries the database")
    func pagesReadThroughReads() throws {
        let sources = SourceLintTests.root.appendingPathComponent("Sources/SiteRollServer")
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" && $0.lastPathComponent.contains("Pages") } ?? []
        #expect(files.count > 15, "the page files were found")
        var offenders: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (index, line) in lines.enumerated() where Self.databaseWork(in: line) {
                offenders.append("\(file.lastPathComponent):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(offenders.isEmpty, "pages doing database work:\n\(offenders.joined(separator: "\n"))")
    }

    @Test(
        "the lint sees what it looks for",
        arguments: [
            ("let rows = try await WorkerModel.query(on: db).all()", true),
            ("let w = try await WorkerModel.find(id, on: services.database.database())", true),
            ("let db = attendance.database.database()", true),
            ("let worker = try await services.directory.own(context.workerID)", false),
            (#"let text = "query(on: is a word here""#, false),
        ])
    func detects(line: String, expected: Bool) {
        #expect(Self.databaseWork(in: line) == expected)
    }
}
