/// A position on the WGS-84 ellipsoid in decimal degrees, as a phone's GPS reports it.
///
/// Maps published in China (高德, 腾讯, 百度) show GCJ-02 or BD-09 coordinates, which are shifted by a few
/// hundred metres from WGS-84. SiteRoll stores and compares WGS-84 only; whoever copies a point from such a
/// map must convert it first, since the offset cannot be detected from the numbers alone.
public struct GeoPoint: Sendable, Hashable, Codable {
    /// Degrees north of the equator (south negative).
    public var latitude: Double
    /// Degrees east of Greenwich (west negative).
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Both coordinates are finite numbers; a NaN from a broken location reading is not a position.
    var isFinite: Bool { latitude.isFinite && longitude.isFinite }
}
