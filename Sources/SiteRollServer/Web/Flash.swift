import FluentKit
import Foundation
import HTTPTypes
import SiteRollStore

/// What a console form's successful POST leaves for the page it redirects to (issue 14 item 5):
/// the notice, and where a result cannot be read again later, that result — a secret shown once,
/// an import's row report. `PageOutcome` puts it on the redirect; `ConsoleSessionMiddleware`
/// moves it into the session (sealed) and the layout shows it on the next page, once.
struct Flash: Codable, Sendable, Equatable {
    /// A value shown once (a device's secret): a titled list of label/value pairs.
    struct Once: Codable, Sendable, Equatable {
        struct Row: Codable, Sendable, Equatable {
            var label: String
            var value: String
            /// The element id, for the person's browser tools and the tests.
            var id: String
        }

        var title: String
        var rows: [Row]
        var hint: String
    }

    var notice: String
    /// The notice asks for attention (a bank that has not answered) rather than confirms.
    var warning: Bool?
    /// A stable code for support, shown muted (a warning's cause).
    var code: String?
    var once: Once?
    var report: RosterImport.Report?

    init(
        _ notice: String, warning: Bool = false, code: String? = nil, once: Once? = nil,
        report: RosterImport.Report? = nil
    ) {
        self.notice = notice
        self.warning = warning ? true : nil
        self.code = code
        self.once = once
        self.report = report.map(Self.bounded)
    }

    /// Rows refused are all kept up to a limit; rows accepted are visible in the lists anyway, so
    /// a large import keeps its counts and the refusals the person must act on.
    static let maxReportRows = 2000

    private static func bounded(_ report: RosterImport.Report) -> RosterImport.Report {
        guard report.results.count > maxReportRows else { return report }
        var kept = Array(report.results.filter { !$0.ok }.prefix(maxReportRows))
        kept.sort { $0.line < $1.line }
        return RosterImport.Report(
            kind: report.kind, results: kept, acceptedCount: report.accepted, refusedCount: report.refused)
    }

    /// The layout's view of it (Mustache sees stored properties only).
    struct View {
        struct Report {
            var kind: String
            var accepted: Int
            var refused: Int
            var rows: [RosterImport.RowResult]
        }

        var notice: String
        var warning: Bool
        var code: String?
        var once: Once?
        var report: Report?
    }

    var view: View {
        View(
            notice: notice, warning: warning == true, code: code, once: once,
            report: report.map {
                View.Report(kind: $0.kind, accepted: $0.accepted, refused: $0.refused, rows: $0.results)
            })
    }

    /// The internal response header a handler uses to hand the flash to the session middleware,
    /// which always removes it: it never leaves the server.
    static let header = HTTPField.Name.xSiteRollFlash

    var headerValue: String? { (try? JSONEncoder().encode(self))?.base64EncodedString() }

    init?(headerValue: String) {
        guard let data = Data(base64Encoded: headerValue),
            let flash = try? JSONDecoder().decode(Flash.self, from: data)
        else { return nil }
        self = flash
    }
}

extension SessionService {
    /// Leaves a flash for the session's next page, sealed with the data key.
    func leave(_ flash: Flash, for sessionID: UUID) async throws {
        guard let cipher, let json = String(data: try JSONEncoder().encode(flash), encoding: .utf8) else { return }
        try await SessionModel.query(on: database.database())
            .set(\.$flash, to: try cipher.seal(json))
            .filter(\.$id == sessionID)
            .update()
    }

    /// Clears the flash once a page has shown it.
    func clearFlash(of sessionID: UUID) async throws {
        try await SessionModel.query(on: database.database())
            .set(\.$flash, to: nil)
            .filter(\.$id == sessionID)
            .update()
    }

    /// Opens a stored flash; a damaged one (another key after a restore) is dropped.
    static func openFlash(_ sealed: String?, cipher: FieldCipher?) -> Flash? {
        guard let sealed, let cipher, let json = try? cipher.open(sealed) else { return nil }
        return try? JSONDecoder().decode(Flash.self, from: Data(json.utf8))
    }
}
