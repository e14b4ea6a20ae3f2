import Foundation

/// A project's attendance fence (电子围栏, REQUIREMENTS M3): the area in which a phone's position counts as
/// being on site. WGS-84 coordinates (see `GeoPoint` about GCJ-02 maps).
///
/// Build one with `parse(_:)`, which accepts what people type on the project page and validates it; the
/// cases can also be constructed directly (for example from storage), in which case call `validate()`.
/// All geometry is for site-sized shapes: a flat local projection is exact enough at that scale.
public enum Geofence: Sendable, Hashable, Codable {
    /// Everything within `radiusMetres` of `center`, the boundary included.
    case circle(center: GeoPoint, radiusMetres: Double)
    /// The area enclosed by the vertices, in order (clockwise or counter-clockwise) and not closed: the
    /// last vertex connects back to the first, which is not repeated. Concave shapes are fine.
    case polygon([GeoPoint])

    // MARK: - Limits

    /// Mean Earth radius (IUGG R₁), the usual choice for haversine distances.
    public static let earthRadiusMetres = 6_371_008.8

    /// A smaller circle than GPS error (often 10–30 m) would refuse people who are on site.
    public static let radiusRange: ClosedRange<Double> = 20...5000
    public static let vertexCountRange: ClosedRange<Int> = 3...200
    /// 100 m² is smaller than any site; 25 km² is larger than any site, so values outside are typing errors.
    public static let areaRangeSquareMetres: ClosedRange<Double> = 100...25_000_000
    /// China's bounding box, generous enough for the South China Sea islands. Latitudes and longitudes in
    /// it do not overlap, which is what lets `validate()` recognise a swapped pair.
    public static let chinaLatitudes: ClosedRange<Double> = 3.8...53.6
    public static let chinaLongitudes: ClosedRange<Double> = 73.5...135.1
    /// Consecutive vertices closer than this are the same point entered twice (6 decimals ≈ 0.1 m).
    public static let minimumVertexSpacingMetres = 0.05
    /// How far outside a boundary a point may be and still count as on it: floating-point slack, so that a
    /// point exactly at the radius is inside.
    public static let boundaryToleranceMetres = 0.001

    // MARK: - Geometry

    /// Great-circle distance in metres (haversine on a sphere of `earthRadiusMetres`); within 0.5 % of the
    /// ellipsoidal distance, and exact to millimetres over a site.
    public static func distance(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let radians = Double.pi / 180
        let dLatitude = (b.latitude - a.latitude) * radians
        let dLongitude = (b.longitude - a.longitude) * radians
        let h =
            sin(dLatitude / 2) * sin(dLatitude / 2)
            + cos(a.latitude * radians) * cos(b.latitude * radians) * sin(dLongitude / 2) * sin(dLongitude / 2)
        return 2 * earthRadiusMetres * asin(min(1, h.squareRoot()))
    }

    /// The circle's centre, or the polygon's area centroid (which a concave polygon need not contain).
    public var centroid: GeoPoint {
        switch self {
        case .circle(let center, _): center
        case .polygon(let vertices): PlaneRing.centroid(of: vertices)
        }
    }

    public var areaSquareMetres: Double {
        switch self {
        case .circle(_, let radius): Double.pi * radius * radius
        case .polygon(let vertices): abs(PlaneRing(vertices).signedArea)
        }
    }

    /// Whether `point` is inside the fence or on its boundary. Polygons use ray casting on a projection
    /// around the centroid.
    public func contains(_ point: GeoPoint) -> Bool {
        distanceOutside(point) == 0
    }

    /// 0 when `point` is inside (or on the boundary); otherwise the distance in metres to the nearest point
    /// of the boundary — the circle, or the nearest polygon edge measured on the local projection.
    /// Infinite for a point that is not a finite coordinate, or a polygon without vertices.
    public func distanceOutside(_ point: GeoPoint) -> Double {
        guard point.isFinite else { return .infinity }
        switch self {
        case .circle(let center, let radius):
            let beyond = Geofence.distance(center, point) - radius
            return beyond <= Geofence.boundaryToleranceMetres ? 0 : beyond
        case .polygon(let vertices):
            guard !vertices.isEmpty else { return .infinity }
            let ring = PlaneRing(vertices)
            let q = ring.projection.project(point)
            let toEdge = ring.distanceToBoundary(q)
            return toEdge <= Geofence.boundaryToleranceMetres || ring.encloses(q) ? 0 : toEdge
        }
    }

    /// How a reported position relates to the fence, given the radius (metres, 68 %) that the phone
    /// reports for its own accuracy.
    ///
    /// This only describes the geometry. Attendance policy decides what `.uncertain` means — accept it,
    /// ask for a photo, or let the employer confirm — because that is a rule of the project, not of maps.
    public func verdict(at point: GeoPoint, accuracyMetres: Double) -> GeofenceVerdict {
        guard point.isFinite else { return .uncertain(distanceMetres: .infinity) }
        let outside = distanceOutside(point)
        if outside == 0 { return .inside }
        let accuracy = accuracyMetres.isNaN ? 0 : max(0, accuracyMetres)
        return outside > accuracy ? .outside(distanceMetres: outside) : .uncertain(distanceMetres: outside)
    }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey {
        case type
        case center
        case radiusMetres
        case vertices
    }

    private enum Kind: String, Codable {
        case circle
        case polygon
    }

    /// `{"type":"circle","center":{"latitude":…,"longitude":…},"radiusMetres":…}` or
    /// `{"type":"polygon","vertices":[{"latitude":…,"longitude":…}, …]}`: explicit names rather than the
    /// synthesised `_0`, because this is what storage and the API keep. Decoding does not validate.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .circle:
            self = .circle(
                center: try container.decode(GeoPoint.self, forKey: .center),
                radiusMetres: try container.decode(Double.self, forKey: .radiusMetres))
        case .polygon:
            self = .polygon(try container.decode([GeoPoint].self, forKey: .vertices))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .circle(let center, let radius):
            try container.encode(Kind.circle, forKey: .type)
            try container.encode(center, forKey: .center)
            try container.encode(radius, forKey: .radiusMetres)
        case .polygon(let vertices):
            try container.encode(Kind.polygon, forKey: .type)
            try container.encode(vertices, forKey: .vertices)
        }
    }
}

/// Where a reported position lies relative to a fence, allowing for the reading's accuracy radius.
public enum GeofenceVerdict: Sendable, Equatable {
    /// The reported point is inside the fence or on its boundary.
    case inside
    /// The point is outside by more than its accuracy radius: even the most favourable reading is outside.
    case outside(distanceMetres: Double)
    /// The point is outside, but within its accuracy radius of the boundary: the person may be on site.
    /// Attendance policy decides. A reading without finite coordinates is uncertain at infinite distance.
    case uncertain(distanceMetres: Double)
}
