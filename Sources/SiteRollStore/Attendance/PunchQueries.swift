import FluentKit
import FluentSQL
import Foundation

/// A punch as one row of a multi-row insert: device batches, phone punches, confirmed manual
/// registrations and corrections all go through `PunchQueries.insert`.
public struct PunchRow: Sendable {
    public var id: UUID
    public var projectID: UUID
    public var workerID: UUID
    public var unitID: UUID
    public var teamID: UUID
    public var localDate: String
    public var punchedAt: Date
    public var direction: String
    public var source: String
    public var deviceID: UUID?
    public var passageMethod: String?
    public var dedupeKey: String
    public var clientEventID: String?
    public var latitude: Double?
    public var longitude: Double?
    public var accuracy: Double?
    public var distance: Double?
    public var clientTime: Date?
    public var clientSentTime: Date?
    public var serverTime: Date
    public var phoneDevice: String?
    public var status: String
    public var flags = "[]"
    public var flagDetails: String?
    public var photoSHA256: String?
    public var correctsID: UUID?
    public var recordedBy: String

    public init(
        id: UUID, projectID: UUID, workerID: UUID, unitID: UUID, teamID: UUID, localDate: String, punchedAt: Date,
        direction: String, source: String, dedupeKey: String, serverTime: Date, status: String, recordedBy: String
    ) {
        self.id = id
        self.projectID = projectID
        self.workerID = workerID
        self.unitID = unitID
        self.teamID = teamID
        self.localDate = localDate
        self.punchedAt = punchedAt
        self.direction = direction
        self.source = source
        self.dedupeKey = dedupeKey
        self.serverTime = serverTime
        self.status = status
        self.recordedBy = recordedBy
    }
}

/// Writing punches (M3). A resend must land once, whoever sends it and however often: the
/// statement skips rows whose `dedupe_key` exists and reports the keys it did insert. SQLite
/// (3.35 and later) and PostgreSQL both accept `INSERT … ON CONFLICT (dedupe_key) DO NOTHING
/// RETURNING dedupe_key`, so there is one statement for both.
public struct PunchQueries: Sendable {
    public let database: any Database

    /// The database or the transaction to write in.
    public init(_ database: any Database) { self.database = database }

    /// Rows per statement: 27 binds each, inside SQLite's limit of 32 766 and PostgreSQL's 65 535.
    public static let chunk = 500

    public static let columns = [
        "id", "project_id", "worker_id", "unit_id", "team_id", "local_date", "punched_at", "direction", "source",
        "device_id", "passage_method", "dedupe_key", "client_event_id", "latitude", "longitude", "accuracy",
        "distance", "client_time", "client_sent_time", "server_time", "phone_device", "status", "flags",
        "flag_details", "photo_sha256", "corrects_id", "recorded_by",
    ]

    /// One row's values in the order of `columns`.
    public typealias Values = [any SQLExpression]

    /// Inserts the rows in multi-row statements, skipping those whose dedupe key exists; returns
    /// the keys inserted.
    public func insert(_ rows: [PunchRow]) async throws -> Set<String> {
        guard !rows.isEmpty else { return [] }
        let sql = try database.sql()
        var inserted: Set<String> = []
        for start in stride(from: 0, to: rows.count, by: Self.chunk) {
            let builder = sql.insert(into: AttendancePunchModel.schema).columns(Self.columns)
            for row in rows[start..<min(start + Self.chunk, rows.count)] { builder.values(Self.values(row)) }
            let returned = try await builder.ignoringConflicts(with: ["dedupe_key"]).returning("dedupe_key").all()
            for item in returned { inserted.insert(try item.decode(column: "dedupe_key", as: String.self)) }
        }
        return inserted
    }

    public static func values(_ row: PunchRow) -> Values {
        [
            SQLBind(row.id), SQLBind(row.projectID), SQLBind(row.workerID), SQLBind(row.unitID), SQLBind(row.teamID),
            SQLBind(row.localDate), SQLBind(row.punchedAt), SQLBind(row.direction), SQLBind(row.source),
            SQLBind(row.deviceID), SQLBind(row.passageMethod), SQLBind(row.dedupeKey), SQLBind(row.clientEventID),
            SQLBind(row.latitude), SQLBind(row.longitude), SQLBind(row.accuracy), SQLBind(row.distance),
            SQLBind(row.clientTime), SQLBind(row.clientSentTime), SQLBind(row.serverTime), SQLBind(row.phoneDevice),
            SQLBind(row.status), SQLBind(row.flags), SQLBind(row.flagDetails), SQLBind(row.photoSHA256),
            SQLBind(row.correctsID), SQLBind(row.recordedBy),
        ]
    }
}
