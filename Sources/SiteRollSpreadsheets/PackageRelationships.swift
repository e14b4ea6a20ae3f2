/// A `.rels` part of an Open Packaging package: which part plays which role for its source part.
struct PackageRelationships: Sendable {
    struct Relationship: Sendable, Equatable {
        var id: String
        /// The type URI's last path segment: `worksheet`, `sharedStrings`, `officeDocument`. Transitional and
        /// Strict OOXML use different URIs that end the same way.
        var kind: String
        /// The target as a part name inside the package (resolved, without a leading "/").
        var target: String
    }

    var relationships: [Relationship]

    func target(id: String) -> Relationship? {
        relationships.first { $0.id == id }
    }

    func first(kind: String) -> Relationship? {
        relationships.first { $0.kind == kind }
    }

    /// Reads the relationships part of `sourcePart` ("" for the package itself); none when it is missing.
    static func read(for sourcePart: String, in archive: ZipDirectory) throws(SpreadsheetError) -> Self {
        guard let bytes = try archive.contents(of: relationshipsPath(for: sourcePart)) else {
            return PackageRelationships(relationships: [])
        }
        let reader = RelationshipsReader(sourcePart: sourcePart)
        try reader.parse(bytes)
        return PackageRelationships(relationships: reader.relationships)
    }

    /// `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`; the package → `_rels/.rels`.
    static func relationshipsPath(for part: String) -> String {
        let (directory, file) = split(part)
        return directory + "_rels/" + file + ".rels"
    }

    /// Resolves a relationship target against the folder of its source part (RFC 3986 reference resolution
    /// restricted to paths): `worksheets/sheet1.xml` from `xl/workbook.xml` is `xl/worksheets/sheet1.xml`,
    /// `/xl/styles.xml` is absolute, `../` goes up.
    static func resolve(_ target: String, from sourcePart: String) -> String {
        let decoded = target.removingPercentEncoding ?? target
        let joined = decoded.hasPrefix("/") ? decoded : split(sourcePart).directory + decoded
        var segments: [Substring] = []
        for segment in joined.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }

    private static func split(_ part: String) -> (directory: String, file: String) {
        guard let slash = part.lastIndex(of: "/") else { return ("", part) }
        return (String(part[...slash]), String(part[part.index(after: slash)...]))
    }
}

private final class RelationshipsReader: XMLPartReader {
    let sourcePart: String
    var relationships: [PackageRelationships.Relationship] = []

    init(sourcePart: String) {
        self.sourcePart = sourcePart
    }

    override func start(_ element: String, attributes: [String: String]) {
        guard element == "Relationship", let id = attributes["Id"], let type = attributes["Type"],
            let target = attributes["Target"], attributes["TargetMode"] != "External"
        else { return }
        let kind = type.split(separator: "/").last.map(String.init) ?? type
        relationships.append(
            .init(id: id, kind: kind, target: PackageRelationships.resolve(target, from: sourcePart)))
    }
}
