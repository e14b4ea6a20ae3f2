import Foundation

/// A point on a flat local grid, in metres: `x` east and `y` north of the grid's origin.
struct PlanePoint: Sendable, Hashable {
    var x: Double
    var y: Double

    static func - (lhs: PlanePoint, rhs: PlanePoint) -> PlanePoint { PlanePoint(x: lhs.x - rhs.x, y: lhs.y - rhs.y) }

    /// The z component of the cross product: positive when `other` turns left (counter-clockwise) from `self`.
    func cross(_ other: PlanePoint) -> Double { x * other.y - y * other.x }

    func dot(_ other: PlanePoint) -> Double { x * other.x + y * other.y }

    var length: Double { (x * x + y * y).squareRoot() }
}

/// An equirectangular projection around an origin: metres east are scaled by the cosine of the origin's
/// latitude, metres north are not. Over a construction site (a few kilometres) the error is centimetres,
/// far below GPS accuracy, and the flat grid makes ray casting, edge distances and areas plain arithmetic.
/// It is not meant for distances of hundreds of kilometres; `Geofence.distance` is.
struct LocalProjection: Sendable {
    let origin: GeoPoint
    private let metresPerRadianNorth = Geofence.earthRadiusMetres
    private let metresPerRadianEast: Double

    init(origin: GeoPoint) {
        self.origin = origin
        self.metresPerRadianEast = Geofence.earthRadiusMetres * cos(origin.latitude * .pi / 180)
    }

    func project(_ point: GeoPoint) -> PlanePoint {
        PlanePoint(
            x: (point.longitude - origin.longitude) * .pi / 180 * metresPerRadianEast,
            y: (point.latitude - origin.latitude) * .pi / 180 * metresPerRadianNorth)
    }

    func unproject(_ point: PlanePoint) -> GeoPoint {
        GeoPoint(
            latitude: origin.latitude + point.y / metresPerRadianNorth * 180 / .pi,
            longitude: origin.longitude + point.x / metresPerRadianEast * 180 / .pi)
    }
}

/// A polygon fence laid flat on a `LocalProjection` around its own centroid: the shape that containment,
/// edge distance, area and the self-intersection check work on. Vertices are in order and not closed.
struct PlaneRing: Sendable {
    let projection: LocalProjection
    let points: [PlanePoint]

    init(_ vertices: [GeoPoint]) {
        projection = LocalProjection(origin: PlaneRing.centroid(of: vertices))
        points = vertices.map(projection.project)
    }

    /// The area centroid of `vertices`, computed on a projection around their mean (close enough to the
    /// centroid that the projection error is negligible). Degenerate rings fall back to the vertex mean.
    static func centroid(of vertices: [GeoPoint]) -> GeoPoint {
        guard !vertices.isEmpty else { return GeoPoint(latitude: 0, longitude: 0) }
        let count = Double(vertices.count)
        let mean = GeoPoint(
            latitude: vertices.reduce(0) { $0 + $1.latitude } / count,
            longitude: vertices.reduce(0) { $0 + $1.longitude } / count)
        let projection = LocalProjection(origin: mean)
        let points = vertices.map(projection.project)
        var twiceArea = 0.0
        var x = 0.0
        var y = 0.0
        for (a, b) in edges(of: points) {
            let cross = a.cross(b)
            twiceArea += cross
            x += (a.x + b.x) * cross
            y += (a.y + b.y) * cross
        }
        guard abs(twiceArea) > 1e-6, x.isFinite, y.isFinite else { return mean }
        return projection.unproject(PlanePoint(x: x / (3 * twiceArea), y: y / (3 * twiceArea)))
    }

    /// Each edge as a pair of end points, including the closing edge from the last vertex back to the first.
    static func edges(of points: [PlanePoint]) -> [(PlanePoint, PlanePoint)] {
        points.indices.map { (points[$0], points[($0 + 1) % points.count]) }
    }

    /// Shoelace area; positive when the vertices run counter-clockwise.
    var signedArea: Double {
        PlaneRing.edges(of: points).reduce(0) { $0 + $1.0.cross($1.1) } / 2
    }

    /// Even-odd ray casting towards +x. Concave rings work; points exactly on an edge may go either way,
    /// which is why `Geofence.contains` checks the boundary distance first.
    func encloses(_ q: PlanePoint) -> Bool {
        var inside = false
        for (a, b) in PlaneRing.edges(of: points) where (a.y > q.y) != (b.y > q.y) {
            let crossingX = a.x + (q.y - a.y) / (b.y - a.y) * (b.x - a.x)
            if q.x < crossingX { inside.toggle() }
        }
        return inside
    }

    /// Metres from `q` to the nearest point of any edge.
    func distanceToBoundary(_ q: PlanePoint) -> Double {
        PlaneRing.edges(of: points).reduce(Double.infinity) { min($0, PlaneRing.distance(from: q, toSegment: $1)) }
    }

    static func distance(from q: PlanePoint, toSegment segment: (PlanePoint, PlanePoint)) -> Double {
        let (a, b) = segment
        let ab = b - a
        let lengthSquared = ab.dot(ab)
        guard lengthSquared > 0 else { return (q - a).length }
        let t = min(1, max(0, (q - a).dot(ab) / lengthSquared))
        return (q - PlanePoint(x: a.x + t * ab.x, y: a.y + t * ab.y)).length
    }

    /// The first pair of edges (by their start vertex index) that cross, touch or overlap although they
    /// are not neighbours, or neighbours that fold back onto each other. O(n²), fine for 200 vertices.
    func firstSelfIntersection() -> (Int, Int)? {
        let count = points.count
        guard count >= 3 else { return nil }
        let edges = PlaneRing.edges(of: points)
        for i in 0..<count {
            for j in (i + 1)..<count {
                let neighbours = j == i + 1 || (i == 0 && j == count - 1)
                if neighbours {
                    // The shared vertex always touches; only a fold back along the same line overlaps.
                    let (first, second) = j == i + 1 ? (edges[i], edges[j]) : (edges[j], edges[i])
                    let incoming = first.1 - first.0
                    let outgoing = second.1 - second.0
                    if PlaneRing.orientation(first.0, first.1, second.1) == 0 && incoming.dot(outgoing) < 0 {
                        return (i, j)
                    }
                } else if PlaneRing.segmentsMeet(edges[i], edges[j]) {
                    return (i, j)
                }
            }
        }
        return nil
    }

    /// Below this many square metres a turn counts as straight: a millimetre off a kilometre-long edge.
    private static let collinearTolerance = 1e-3

    /// +1 when `c` lies left of the line from `a` to `b`, -1 when right, 0 when (nearly) on it.
    static func orientation(_ a: PlanePoint, _ b: PlanePoint, _ c: PlanePoint) -> Int {
        let turn = (b - a).cross(c - a)
        return turn > collinearTolerance ? 1 : turn < -collinearTolerance ? -1 : 0
    }

    /// Whether two segments share any point: a proper crossing, an end point on the other segment, or a
    /// collinear overlap.
    static func segmentsMeet(_ p: (PlanePoint, PlanePoint), _ q: (PlanePoint, PlanePoint)) -> Bool {
        let o1 = orientation(p.0, p.1, q.0)
        let o2 = orientation(p.0, p.1, q.1)
        let o3 = orientation(q.0, q.1, p.0)
        let o4 = orientation(q.0, q.1, p.1)
        if o1 != o2 && o3 != o4 { return true }
        return (o1 == 0 && lies(q.0, within: p)) || (o2 == 0 && lies(q.1, within: p))
            || (o3 == 0 && lies(p.0, within: q)) || (o4 == 0 && lies(p.1, within: q))
    }

    /// For a point known to be collinear with the segment: whether it lies between the end points.
    private static func lies(_ c: PlanePoint, within segment: (PlanePoint, PlanePoint)) -> Bool {
        let (a, b) = segment
        let slack = 1e-6
        return c.x >= min(a.x, b.x) - slack && c.x <= max(a.x, b.x) + slack && c.y >= min(a.y, b.y) - slack
            && c.y <= max(a.y, b.y) + slack
    }
}
