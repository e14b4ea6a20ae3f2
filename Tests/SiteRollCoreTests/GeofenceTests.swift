import Foundation
import Testing

@testable import SiteRollCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Attendance geofences (REQUIREMENTS M3): geometry, the typed form, validation and the drawing.
@Suite("Geofence")
struct GeofenceTests {
    /// 天府广场, Chengdu.
    static let tianfu = GeoPoint(latitude: 30.6574, longitude: 104.0659)

    /// The point `east` and `north` metres from `origin`, independently of the code under test.
    static func offset(_ origin: GeoPoint, east: Double, north: Double) -> GeoPoint {
        let radius = 6_371_008.8
        return GeoPoint(
            latitude: origin.latitude + north / radius * 180 / .pi,
            longitude: origin.longitude + east / (radius * cos(origin.latitude * .pi / 180)) * 180 / .pi)
    }

    static func polygon(metres: [(Double, Double)], around origin: GeoPoint = tianfu) -> Geofence {
        .polygon(metres.map { offset(origin, east: $0.0, north: $0.1) })
    }

    /// A U open to the north: 90 × 90 m with a 30 m wide notch from y = 30 to the top.
    static let uShape = polygon(metres: [(0, 0), (90, 0), (90, 90), (60, 90), (60, 30), (30, 30), (30, 90), (0, 90)])

    static func failure(_ text: String) -> GeofenceError? {
        do {
            _ = try Geofence.parse(text)
            return nil
        } catch {
            return error
        }
    }

    static func failure(_ fence: Geofence) -> GeofenceError? {
        do {
            try fence.validate()
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Geometry

    @Test("haversine: a kilometre north of Tianfu Square, and a degree of latitude")
    func haversine() {
        let north = Self.offset(Self.tianfu, east: 0, north: 1000)
        #expect(abs(Geofence.distance(Self.tianfu, north) - 1000) < 1)
        let east = Self.offset(Self.tianfu, east: 1000, north: 0)
        #expect(abs(Geofence.distance(Self.tianfu, east) - 1000) < 1)
        #expect(Geofence.distance(Self.tianfu, Self.tianfu) == 0)
        let degree = Geofence.distance(
            GeoPoint(latitude: 30, longitude: 104), GeoPoint(latitude: 31, longitude: 104))
        #expect(abs(degree - 111_195.08) < 1)
        #expect(Geofence.distance(north, east) == Geofence.distance(east, north))
    }

    @Test("circle: the centre and the radius itself are inside, just beyond is outside")
    func circle() {
        let fence = Geofence.circle(center: Self.tianfu, radiusMetres: 300)
        #expect(fence.contains(Self.tianfu))
        #expect(fence.contains(Self.offset(Self.tianfu, east: 0, north: 300)))
        #expect(fence.contains(Self.offset(Self.tianfu, east: -299.9, north: 0)))
        #expect(!fence.contains(Self.offset(Self.tianfu, east: 0, north: 300.05)))
        #expect(!fence.contains(Self.offset(Self.tianfu, east: 250, north: -250)))
        #expect(fence.distanceOutside(Self.offset(Self.tianfu, east: 0, north: 300)) == 0)
        #expect(abs(fence.distanceOutside(Self.offset(Self.tianfu, east: 350, north: 0)) - 50) < 0.1)
        #expect(fence.centroid == Self.tianfu)
        #expect(abs(fence.areaSquareMetres - .pi * 90_000) < 1e-6)
    }

    @Test("verdict: inside, outside beyond the accuracy radius, uncertain within it")
    func verdict() {
        let fence = Geofence.circle(center: Self.tianfu, radiusMetres: 300)
        let near = Self.offset(Self.tianfu, east: 0, north: 330)
        #expect(fence.verdict(at: Self.tianfu, accuracyMetres: 500) == .inside)
        #expect(fence.verdict(at: Self.offset(Self.tianfu, east: 0, north: 300), accuracyMetres: 0) == .inside)
        guard case .uncertain(let uncertain) = fence.verdict(at: near, accuracyMetres: 50) else {
            Issue.record("30 m out with 50 m accuracy should be uncertain")
            return
        }
        #expect(abs(uncertain - 30) < 0.1)
        guard case .outside(let outside) = fence.verdict(at: near, accuracyMetres: 10) else {
            Issue.record("30 m out with 10 m accuracy should be outside")
            return
        }
        #expect(abs(outside - 30) < 0.1)
        #expect(
            fence.verdict(at: near, accuracyMetres: 30.5) == .uncertain(distanceMetres: fence.distanceOutside(near)))
        #expect(fence.verdict(at: near, accuracyMetres: .nan) == .outside(distanceMetres: fence.distanceOutside(near)))
        #expect(fence.verdict(at: near, accuracyMetres: -5) == .outside(distanceMetres: fence.distanceOutside(near)))
        #expect(
            fence.verdict(at: GeoPoint(latitude: .nan, longitude: 104), accuracyMetres: 10)
                == .uncertain(distanceMetres: .infinity))
    }

    @Test("a concave U: the notch is outside, both arms and the base are inside")
    func concave() {
        let fence = Self.uShape
        #expect(!fence.contains(Self.offset(Self.tianfu, east: 45, north: 60)))
        #expect(!fence.contains(Self.offset(Self.tianfu, east: 45, north: 89)))
        #expect(fence.contains(Self.offset(Self.tianfu, east: 15, north: 60)))
        #expect(fence.contains(Self.offset(Self.tianfu, east: 75, north: 60)))
        #expect(fence.contains(Self.offset(Self.tianfu, east: 45, north: 15)))
        #expect(fence.contains(Self.offset(Self.tianfu, east: 75, north: 89.9)))
        #expect(!fence.contains(Self.offset(Self.tianfu, east: 100, north: 45)))
        #expect(!fence.contains(Self.offset(Self.tianfu, east: -1, north: 45)))
        // On an edge and on a vertex count as inside, as for the circle.
        #expect(fence.contains(Self.offset(Self.tianfu, east: 90, north: 45)))
        #expect(fence.contains(Self.offset(Self.tianfu, east: 30, north: 30)))
        // The area centroid lies in the notch: a concave fence need not contain it.
        #expect(!fence.contains(fence.centroid))
        #expect(abs(fence.areaSquareMetres - 6300) < 1)
        let centroid = Self.offset(Self.tianfu, east: 45, north: (8100.0 * 45 - 1800 * 60) / 6300)
        #expect(Geofence.distance(fence.centroid, centroid) < 0.1)
    }

    @Test(
        "distance outside a polygon is to the nearest edge",
        arguments: [
            (45.0, 60.0, 15.0),  // in the notch, 15 m from either arm
            (45.0, 100.0, (15.0 * 15 + 10 * 10).squareRoot()),  // above the notch: nearest is a corner
            (100.0, 45.0, 10.0),  // east of the base
            (45.0, -20.0, 20.0),  // south of the base
            (45.0, 15.0, 0.0),  // inside
        ])
    func distanceOutside(east: Double, north: Double, expected: Double) {
        let point = Self.offset(Self.tianfu, east: east, north: north)
        #expect(abs(Self.uShape.distanceOutside(point) - expected) < 1)
    }

    // MARK: - Typed form

    @Test(
        "circle in each typed form",
        arguments: [
            "圆 30.657,104.066 半径 300", "30.657,104.066,300", "  30.657, 104.066, 300\n", "圆心：30.657，104.066 半径：300米",
            "圆 30.657 104.066 半径 300m", "３０．６５７，１０４．０６６，３００", "圆 30.657,104.066,300",
        ])
    func parseCircle(text: String) throws {
        let fence = try Geofence.parse(text)
        #expect(fence == .circle(center: GeoPoint(latitude: 30.657, longitude: 104.066), radiusMetres: 300))
    }

    @Test(
        "polygon in each typed form, a closing repeat of the first point dropped",
        arguments: [
            "30.6570,104.0660; 30.6580,104.0675; 30.6565,104.0690",
            "30.6570，104.0660；30.6580，104.0675；30.6565，104.0690；30.6570，104.0660",
            "30.6570 104.0660\n30.6580, 104.0675\r\n 30.6565 ,104.0690\n30.657,104.066\n",
            "30.6570,104.0660,30.6580,104.0675,30.6565,104.0690",
            "30.6570,104.0660;;30.6580,104.0675;30.6565,104.0690;",
        ])
    func parsePolygon(text: String) throws {
        let fence = try Geofence.parse(text)
        #expect(
            fence
                == .polygon([
                    GeoPoint(latitude: 30.657, longitude: 104.066), GeoPoint(latitude: 30.658, longitude: 104.0675),
                    GeoPoint(latitude: 30.6565, longitude: 104.069),
                ]))
    }

    @Test("the Codable JSON: explicit names, and parse reads it back")
    func json() throws {
        let circle = Geofence.circle(center: GeoPoint(latitude: 30.657, longitude: 104.066), radiusMetres: 300)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let circleJSON = String(decoding: try encoder.encode(circle), as: UTF8.self)
        #expect(
            circleJSON == #"{"center":{"latitude":30.657,"longitude":104.066},"radiusMetres":300,"type":"circle"}"#)
        #expect(try Geofence.parse(circleJSON) == circle)
        let polygon = Self.uShape
        let polygonJSON = String(decoding: try encoder.encode(polygon), as: UTF8.self)
        #expect(polygonJSON.hasPrefix(#"{"type":"polygon","vertices":[{"latitude":"#))
        #expect(try JSONDecoder().decode(Geofence.self, from: Data(polygonJSON.utf8)) == polygon)
        #expect(try Geofence.parse(" \n" + polygonJSON) == polygon)
        #expect(Self.failure(#"{"type":"circle","center":{"latitude":30.657}}"#)?.code == "GEOFENCE_JSON")
        #expect(
            Self.failure(#"{"type":"circle","center":{"latitude":30.657,"longitude":104.066},"radiusMetres":5}"#)?.code
                == "GEOFENCE_RADIUS")
    }

    @Test("text is the canonical typed form and parse round-trips it")
    func textRoundTrip() throws {
        let circle = try Geofence.parse("30.657,104.066,300")
        #expect(circle.text == "圆 30.657000,104.066000 半径 300")
        #expect(try Geofence.parse(circle.text) == circle)
        let wider = Geofence.circle(center: Self.tianfu, radiusMetres: 250.5)
        #expect(wider.text == "圆 30.657400,104.065900 半径 250.5")
        #expect(try Geofence.parse(wider.text) == wider)
        let triangle = try Geofence.parse("30.6570,104.0660; 30.6580,104.0675; 30.6565,104.0690")
        #expect(triangle.text == "30.657000,104.066000; 30.658000,104.067500; 30.656500,104.069000")
        #expect(try Geofence.parse(triangle.text) == triangle)
        let u = try Geofence.parse(Self.uShape.text)
        #expect(try Geofence.parse(u.text) == u)
        #expect(u.text == Self.uShape.text)
    }

    // MARK: - Validation

    @Test("latitude and longitude swapped: recognised and explained")
    func swapped() {
        let circle = Self.failure("104.066,30.657,300")
        #expect(circle?.code == "GEOFENCE_LAT_LNG_SWAPPED")
        #expect(circle?.message.contains("坐标不在中国境内，请确认纬度在前、经度在后") == true)
        let polygon = Self.failure("30.6570,104.0660; 104.0675,30.6580; 30.6565,104.0690")
        #expect(polygon?.code == "GEOFENCE_LAT_LNG_SWAPPED")
        #expect(polygon?.message.contains("第 2 个顶点") == true)
        let london = Self.failure("51.5074,-0.1278,300")
        #expect(london?.code == "GEOFENCE_OUTSIDE_CHINA")
        #expect(london?.message.contains("纬度在前、经度在后") == true)
    }

    @Test("a self-intersecting bow tie, and an edge folding back on itself, are refused")
    func selfIntersection() {
        let bowTie = Self.polygon(metres: [(0, 0), (100, 100), (100, 0), (0, 100)])
        let error = Self.failure(bowTie)
        #expect(error?.code == "GEOFENCE_SELF_INTERSECTION")
        #expect(error?.message.contains("第 1–2 个顶点之间的边与第 3–4 个顶点之间的边相交") == true)
        #expect(Self.failure(bowTie.text)?.code == "GEOFENCE_SELF_INTERSECTION")
        let spike = Self.polygon(metres: [(0, 0), (100, 0), (50, 0), (50, 50)])
        #expect(Self.failure(spike)?.code == "GEOFENCE_SELF_INTERSECTION")
        let touching = Self.polygon(metres: [(0, 0), (100, 0), (100, 100), (50, 0), (0, 100)])
        #expect(Self.failure(touching)?.code == "GEOFENCE_SELF_INTERSECTION")
        #expect(Self.failure(Self.uShape) == nil)
        let clockwise = Self.polygon(metres: [(0, 0), (0, 100), (100, 100), (100, 0)])
        #expect(Self.failure(clockwise) == nil)
    }

    @Test(
        "limits, each with its own code",
        arguments: [
            ("30.657,104.066,10", "GEOFENCE_RADIUS"), ("30.657,104.066,19.9", "GEOFENCE_RADIUS"),
            ("30.657,104.066,5001", "GEOFENCE_RADIUS"), ("30.657,104.066; 30.658,104.067", "GEOFENCE_TOO_FEW_VERTICES"),
            ("30.657,104.066", "GEOFENCE_TOO_FEW_VERTICES"),
            ("30.657,104.066; 30.657,104.066; 30.658,104.0675; 30.6565,104.069", "GEOFENCE_REPEATED_VERTEX"),
            ("30.657,104.066; abc; 30.6565,104.069", "GEOFENCE_SYNTAX"), ("nan,104.066,300", "GEOFENCE_SYNTAX"),
            ("30.657,104.066,300,1", "GEOFENCE_SYNTAX"), ("圆 30.657,104.066 半径", "GEOFENCE_SYNTAX"),
            ("0x1p4,104.066,300", "GEOFENCE_SYNTAX"), ("  \n ", "GEOFENCE_EMPTY"), ("{oops", "GEOFENCE_JSON"),
        ])
    func limits(text: String, code: String) {
        let error = Self.failure(text)
        #expect(error?.code == code)
        #expect(error?.message.isEmpty == false)
    }

    @Test("radius limits are inclusive, and the messages say what to do")
    func radius() throws {
        _ = try Geofence.parse("30.657,104.066,20")
        _ = try Geofence.parse("30.657,104.066,5000")
        #expect(Self.failure("30.657,104.066,10")?.message.contains("20 至 5000 米") == true)
        #expect(Self.failure("30.657,104.066,8000")?.message.contains("多边形") == true)
        #expect(Self.failure(Geofence.circle(center: Self.tianfu, radiusMetres: .nan))?.code == "GEOFENCE_RADIUS")
    }

    @Test("polygon size: area 100 m² to 25 km², at most 200 vertices, no repeated closing vertex")
    func polygonSize() {
        #expect(
            Self.failure(Self.polygon(metres: [(0, 0), (5, 0), (5, 5), (0, 5)]))?.code == "GEOFENCE_AREA_TOO_SMALL")
        #expect(Self.failure(Self.polygon(metres: [(0, 0), (11, 0), (11, 11), (0, 11)])) == nil)
        let huge = Self.polygon(metres: [(0, 0), (6000, 0), (6000, 6000), (0, 6000)])
        #expect(Self.failure(huge)?.code == "GEOFENCE_AREA_TOO_LARGE")
        let ring = { (count: Int) in
            Self.polygon(
                metres: (0..<count).map {
                    let angle = Double($0) / Double(count) * 2 * .pi
                    return (500 * cos(angle), 500 * sin(angle))
                })
        }
        #expect(Self.failure(ring(200)) == nil)
        #expect(Self.failure(ring(201))?.code == "GEOFENCE_TOO_MANY_VERTICES")
        let closed = Self.polygon(metres: [(0, 0), (100, 0), (100, 100), (0, 0)])
        #expect(Self.failure(closed)?.code == "GEOFENCE_REPEATED_VERTEX")
        #expect(Self.failure(closed)?.message.contains("最后一个顶点") == true)
    }

    // MARK: - Drawing

    /// Parses an SVG with Foundation's XMLParser and collects what a test needs.
    final class SVGReader: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var rootAttributes: [String: String] = [:]
        var texts: [String] = []
        private var current = ""

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            if elements.isEmpty { rootAttributes = attributeDict }
            elements.append(elementName)
            current = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            if elementName == "text" || elementName == "title" { texts.append(current) }
            current = ""
        }

        static func read(_ svg: String) -> SVGReader? {
            let reader = SVGReader()
            let parser = XMLParser(data: Data(svg.utf8))
            parser.delegate = reader
            return parser.parse() ? reader : nil
        }
    }

    @Test(
        "the drawing is well-formed SVG with a round scale bar, a north arrow and the marker",
        arguments: [
            Geofence.circle(center: Self.tianfu, radiusMetres: 300), Self.uShape,
            Geofence.circle(center: Self.tianfu, radiusMetres: 5000),
        ])
    func svg(fence: Geofence) throws {
        let marker = Self.offset(Self.tianfu, east: 40, north: 200)
        let drawing = fence.svg(width: 320, height: 240, marker: marker)
        let reader = try #require(SVGReader.read(drawing))
        #expect(reader.elements.first == "svg")
        #expect(reader.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(reader.rootAttributes["viewBox"] == "0 0 320 240")
        #expect(reader.rootAttributes["role"] == "img")
        #expect(reader.rootAttributes["aria-label"] == "考勤电子围栏")
        #expect(reader.texts.contains("北"))
        let scale = try #require(reader.texts.first { $0.hasSuffix(" 米") && !$0.contains("：") })
        let metres = try #require(Int(scale.dropLast(2)))
        var mantissa = metres
        while mantissa >= 10 && mantissa.isMultiple(of: 10) { mantissa /= 10 }
        #expect([1, 2, 5].contains(mantissa))
        let shapeCircles: Int
        if case .circle = fence { shapeCircles = 1 } else { shapeCircles = 0 }
        #expect(reader.elements.filter { $0 == "circle" }.count == shapeCircles + 1)
        #expect(drawing.contains("#d93025"))
        #expect(!drawing.contains("nan") && !drawing.contains("inf"))
        let plain = try #require(SVGReader.read(fence.svg(width: 320, height: 240)))
        #expect(plain.elements.filter { $0 == "circle" }.count == shapeCircles)
    }

    @Test("the scale bar for a 300 m circle in 320 px reads 200 米; numbers are short")
    func svgScale() throws {
        let drawing = Geofence.circle(center: Self.tianfu, radiusMetres: 300).svg(width: 320, height: 240)
        #expect(drawing.contains(">200 米</text>"))
        let geometry = drawing.split(separator: "\n").filter { !$0.hasPrefix("<title>") }.joined()
        #expect(geometry.range(of: #"\.\d{3}"#, options: .regularExpression) == nil)
        #expect(drawing.contains("<title>考勤电子围栏：圆形，圆心 30.657400,104.065900，半径 300 米</title>"))
        #expect(
            Geofence.circle(center: Self.tianfu, radiusMetres: 300).svg(width: 0, height: -5).contains(
                "viewBox=\"0 0 120 90\""))
        #expect(Geofence.polygon([]).svg(width: 200, height: 150).hasSuffix("</svg>"))
    }

    @Test("XML text is escaped")
    func escaping() {
        #expect(
            Geofence.xmlEscaped(#"<a href="x">Tom & Jerry's</a>"#)
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;")
        #expect(Geofence.xmlEscaped("考勤电子围栏") == "考勤电子围栏")
    }
}
