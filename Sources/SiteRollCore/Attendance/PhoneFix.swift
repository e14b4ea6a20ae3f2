import Foundation

/// What a worker's phone reports with a punch (REQUIREMENTS M3): the browser's position reading, three
/// clocks and the device id. Everything except `serverTime` comes from the phone and is untrusted: these
/// are exactly the values a mock-location app or a changed clock would fake, which is what
/// `PunchPlausibility` looks for.
public struct PhoneFix: Sendable, Equatable {
    /// WGS-84, as the browser's Geolocation API reports it.
    public var point: GeoPoint
    /// The radius in metres that the phone reports for its own accuracy.
    public var accuracyMetres: Double
    /// When the worker pressed the button, by the phone's clock.
    public var clientTime: Date
    /// The phone's clock when it sent the punch (later than clientTime if it waited offline).
    public var clientSentTime: Date
    /// When the server received it.
    public var serverTime: Date
    /// The phone's random device id (kept in the browser's storage).
    public var deviceID: String

    public init(
        point: GeoPoint, accuracyMetres: Double, clientTime: Date, clientSentTime: Date, serverTime: Date,
        deviceID: String
    ) {
        self.point = point
        self.accuracyMetres = accuracyMetres
        self.clientTime = clientTime
        self.clientSentTime = clientSentTime
        self.serverTime = serverTime
        self.deviceID = deviceID
    }
}

/// One of the worker's earlier phone punches, as stored: its position reading and its corrected time
/// (`PunchVerdict.correctedTime`, on the server's clock).
public struct PreviousFix: Sendable, Equatable {
    public var point: GeoPoint
    public var accuracyMetres: Double
    public var time: Date

    public init(point: GeoPoint, accuracyMetres: Double, time: Date) {
        self.point = point
        self.accuracyMetres = accuracyMetres
        self.time = time
    }
}
