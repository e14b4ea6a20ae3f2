import Foundation

extension Geofence {
    /// Reads a fence as people type it on the project page, and validates it.
    ///
    /// - Circle: `圆 30.657,104.066 半径 300` (`圆心`, `米` and `m` are allowed too) or simply
    ///   `30.657,104.066,300` — latitude, longitude, radius in metres.
    /// - Polygon: the vertices in order as `latitude,longitude` pairs separated by semicolons or new lines,
    ///   e.g. `30.6570,104.0660; 30.6580,104.0675; 30.6565,104.0690`. A closing repeat of the first vertex
    ///   is dropped, since many map tools emit closed rings.
    /// - The JSON that `Codable` writes, so a stored fence can be pasted back.
    ///
    /// Full-width digits and punctuation (，；．) and any spacing are accepted, because Chinese input
    /// methods produce them. Latitude comes first, as on Chinese maps and in the national standard.
    public static func parse(_ text: String) throws(GeofenceError) -> Geofence {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            let decoded: Geofence
            do {
                decoded = try JSONDecoder().decode(Geofence.self, from: Data(trimmed.utf8))
            } catch {
                throw .json
            }
            try decoded.validate()
            return decoded
        }
        let normalised = halfWidth(trimmed).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !normalised.isEmpty else { throw .empty }
        let fence =
            normalised.hasPrefix("圆") || normalised.contains("半径")
            ? try parseCircle(normalised) : try parseVertices(normalised)
        try fence.validate()
        return fence
    }

    /// The canonical typed form: `圆 30.657000,104.066000 半径 300` or `lat,lng; lat,lng; …` with six
    /// decimals (about 0.1 m). `parse` reads it back exactly for coordinates of up to six decimals and
    /// radii to the centimetre — the precision it prints, and more than GPS gives.
    public var text: String {
        switch self {
        case .circle(let center, let radius):
            "圆 \(Geofence.typed(center)) 半径 \(Geofence.plain(radius, decimals: 2))"
        case .polygon(let vertices):
            vertices.map(Geofence.typed).joined(separator: "; ")
        }
    }

    /// Checks the limits that keep a fence usable for attendance: coordinates inside China (and in the
    /// right order), a radius of 20–5000 m, or a simple polygon of 3–200 distinct vertices enclosing
    /// 100 m²–25 km². Throws the first problem found, with a message that says what to fix.
    public func validate() throws(GeofenceError) {
        switch self {
        case .circle(let center, let radius):
            try Geofence.checkInChina(center, subject: "圆心")
            guard radius.isFinite, Geofence.radiusRange.contains(radius) else { throw .radius(radius) }
        case .polygon(let vertices):
            guard vertices.count >= Geofence.vertexCountRange.lowerBound else {
                throw .tooFewVertices(vertices.count)
            }
            guard vertices.count <= Geofence.vertexCountRange.upperBound else {
                throw .tooManyVertices(vertices.count)
            }
            for (index, vertex) in vertices.enumerated() {
                try Geofence.checkInChina(vertex, subject: "第 \(index + 1) 个顶点")
            }
            for index in vertices.indices {
                let previous = (index + vertices.count - 1) % vertices.count
                if Geofence.distance(vertices[previous], vertices[index]) < Geofence.minimumVertexSpacingMetres {
                    throw .repeatedVertex(index, previous: previous)
                }
            }
            let ring = PlaneRing(vertices)
            if let edges = ring.firstSelfIntersection() {
                let count = vertices.count
                throw .selfIntersection((edges.0, (edges.0 + 1) % count), (edges.1, (edges.1 + 1) % count))
            }
            let area = abs(ring.signedArea)
            if area < Geofence.areaRangeSquareMetres.lowerBound { throw .areaTooSmall(area) }
            if area > Geofence.areaRangeSquareMetres.upperBound { throw .areaTooLarge(area) }
        }
    }

    // MARK: - Reading

    private static func checkInChina(_ point: GeoPoint, subject: String) throws(GeofenceError) {
        let shown = "\(subject)（\(plain(point.latitude, decimals: 6)),\(plain(point.longitude, decimals: 6))）"
        if chinaLatitudes.contains(point.latitude) && chinaLongitudes.contains(point.longitude) { return }
        if chinaLatitudes.contains(point.longitude) && chinaLongitudes.contains(point.latitude) {
            throw .swapped(shown)
        }
        throw .outsideChina(shown)
    }

    /// `圆 lat,lng 半径 r`, with optional 圆心/圆形, 米/m and colons; or `圆 lat,lng,r`.
    private static func parseCircle(_ text: String) throws(GeofenceError) -> Geofence {
        let form = "圆形围栏请写成“圆 纬度,经度 半径 米数”，例如 圆 30.657,104.066 半径 300"
        var numbers: [Double]
        if let range = text.range(of: "半径") {
            let centre = strip(String(text[..<range.lowerBound]), words: ["圆形", "圆心", "中心", "圆", ":"])
            let radius = strip(String(text[range.upperBound...]), words: ["米", "m", "M", ":", "="])
            guard let point = decimals(in: centre), point.count == 2, let value = decimals(in: radius),
                value.count == 1
            else { throw .syntax(form) }
            numbers = point + value
        } else {
            guard let values = decimals(in: strip(text, words: ["圆形", "圆心", "中心", "圆", ":"])), values.count == 3
            else { throw .syntax(form) }
            numbers = values
        }
        return .circle(center: GeoPoint(latitude: numbers[0], longitude: numbers[1]), radiusMetres: numbers[2])
    }

    /// Vertices one per line or semicolon; a lone line of three numbers is the short circle form, and a
    /// lone line of six or more (an even count) is a flat list of pairs.
    private static func parseVertices(_ text: String) throws(GeofenceError) -> Geofence {
        let parts = text.split(whereSeparator: { $0 == ";" || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var pairs: [[Double]] = []
        if parts.count == 1, let numbers = decimals(in: parts[0]), numbers.count != 2 {
            if numbers.count == 3 {
                return .circle(center: GeoPoint(latitude: numbers[0], longitude: numbers[1]), radiusMetres: numbers[2])
            }
            guard numbers.count >= 6, numbers.count.isMultiple(of: 2) else {
                throw .syntax("无法识别“\(excerpt(parts[0]))”")
            }
            pairs = stride(from: 0, to: numbers.count, by: 2).map { Array(numbers[$0...($0 + 1)]) }
        } else {
            for (index, part) in parts.enumerated() {
                guard let numbers = decimals(in: part), numbers.count == 2 else {
                    throw .syntax("第 \(index + 1) 个点“\(excerpt(part))”无法识别，每个点应为 纬度,经度，例如 30.657,104.066")
                }
                pairs.append(numbers)
            }
        }
        var vertices = pairs.map { GeoPoint(latitude: $0[0], longitude: $0[1]) }
        if vertices.count > 1, let first = vertices.first, let last = vertices.last,
            distance(first, last) < minimumVertexSpacingMetres
        {
            vertices.removeLast()
        }
        return .polygon(vertices)
    }

    /// The decimal numbers in `text`, separated by commas and/or spaces; nil if anything else is there.
    /// Only plain decimals: `Double("nan")`, `"inf"` and hexadecimal forms are not coordinates.
    private static func decimals(in text: String) -> [Double]? {
        let tokens = text.split(whereSeparator: { $0 == "," || $0.isWhitespace })
        guard !tokens.isEmpty else { return nil }
        var numbers: [Double] = []
        for token in tokens {
            guard token.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
                token.contains(where: \.isNumber), let value = Double(token), value.isFinite
            else { return nil }
            numbers.append(value)
        }
        return numbers
    }

    private static func strip(_ text: String, words: [String]) -> String {
        words.reduce(text) { $0.replacingOccurrences(of: $1, with: " ") }
    }

    /// Full-width digits, comma, semicolon, full stop, colon, minus and the ideographic space, as Chinese
    /// input methods type them, mapped to their ASCII forms.
    private static func halfWidth(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0x3000: " "
                    case 0xFF0B...0xFF1B: Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
                    default: scalar
                    }
                }))
    }

    private static func excerpt(_ text: String) -> String {
        text.count > 30 ? String(text.prefix(30)) + "…" : text
    }

    // MARK: - Writing

    static func typed(_ point: GeoPoint) -> String {
        String(format: "%.6f,%.6f", point.latitude, point.longitude)
    }

    /// `value` with at most `decimals` decimals and no trailing zeros, never "-0".
    static func plain(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
