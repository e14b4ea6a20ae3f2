import Foundation
import Testing

/// Issue 13 item 4: SQL lives in the store. SiteRollServer's services call repositories
/// (`SiteRollStore/<Subsystem>/…Queries.swift`) and FluentKit's builder; none imports SQLKit or
/// writes a statement of its own, so the SQLite and PostgreSQL branches stay in one place, each
/// with its test. The benchmarks, which compare against raw SQL on purpose, are a target of their
/// own (`SiteRollBench`) and not scanned.
@Suite("Reliability: SQL only in the store")
struct StoreBoundaryLintTests {
    static let sqlModules = [
        "SQLKit", "FluentSQL", "SQLiteKit", "PostgresKit", "SQLiteNIO", "PostgresNIO", "FluentSQLiteDriver",
        "FluentPostgresDriver",
    ]

    /// What a line of server code may not contain: an import of a SQL module, a raw statement, the
    /// SQL accessor, SQLKit's types, or a SQL interpolation (`\(bind:)`, `\(unsafeRaw:)` …), which
    /// only a statement's text has.
    static func buildsSQL(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("//") { return false }
        let code = SourceLintTests.code(of: line)
        let modules = sqlModules.joined(separator: "|")
        let importPattern = #"^\s*(@testable\s+)?import\s+(\w+\s+)?("# + modules + #")\b"#
        if code.range(of: importPattern, options: .regularExpression) != nil { return true }
        let codePattern = #"\.raw\(|\.sql\(|\bSQL(QueryString|Database|Bind|Raw|Row|Expression|Literal|Identifier)\b"#
        if code.range(of: codePattern, options: .regularExpression) != nil { return true }
        let interpolation = #"\\\((unsafeRaw|bind|binds|ident|idents|literal|literals):"#
        return line.range(of: interpolation, options: .regularExpression) != nil
    }

    @Test("SiteRollServer neither imports SQLKit nor builds SQL")
    func noSQLInServer() throws {
        let sources = SourceLintTests.root.appendingPathComponent("Sources/SiteRollServer")
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50, "the server's sources were found")
        var offenders: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (index, line) in lines.enumerated() where Self.buildsSQL(line) {
                offenders.append(
                    "\(file.path.replacingOccurrences(of: SourceLintTests.root.path + "/", with: "")):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))"
                )
            }
        }
        #expect(
            offenders.isEmpty,
            "SQL outside SiteRollStore (move it into a …Queries repository):\n\(offenders.joined(separator: "\n"))")
    }

    @Test(
        "the lint sees what it looks for",
        arguments: [
            ("import SQLKit", true), ("import FluentSQL", true), ("@testable import PostgresKit", true),
            ("import struct SQLKit.SQLBind", true), ("import FluentKit", false), ("import SiteRollStore", false),
            (#"try await sql.raw("SELECT 1").run()"#, true), (#"x = "\(unsafeRaw: y)""#, true),
            (#"WHERE id = \(bind: id) AND \(clause)"#, true), (#"let s = "第 \(index) 条""#, false),
            ("let sql = try tx.sql()", true), ("var clause: SQLQueryString", true), ("db as? any SQLDatabase", true),
            ("let kind = Kind(rawValue: text)", false), (#"let text = "写 .raw( 也不算""#, false),
            ("// not sql.raw( in a comment", false), ("isSQLite", false),
        ])
    func detects(line: String, expected: Bool) {
        #expect(Self.buildsSQL(line) == expected)
    }
}
