import FluentKit
import FluentSQL
import Foundation
import SiteRollCore
import Testing

@testable import SiteRollServer
@testable import SiteRollStore

/// Migrations up and down, on whichever engine the suite runs on (issue 2, item 7).
@Suite("Store: migrations")
struct MigrationTests {
    @Test("every migration applies, reverts and applies again")
    func upDownUp() async throws {
        let location = try await TestDatabase.fresh()
        let database = try DatabaseService(location: location, logger: TestDatabase.quietLogger, connectionsPerLoop: 1)
        do {
            try await database.migrate()
            #expect(try await AccountModel.query(on: database.database()).count() == 0)
            try await database.revertAll()
            await #expect(throws: (any Error).self) {
                try await AccountModel.query(on: database.database()).count()
            }
            try await database.migrate()
            #expect(try await AuditEventModel.query(on: database.database()).count() == 0)
            try await database.migrate()  // a second run is a no-op
        } catch {
            await database.shutdown()
            await TestDatabase.drop(location)
            throw error
        }
        await database.shutdown()
        await TestDatabase.drop(location)
    }

    @Test("after shutdown a handle fails its queries with a clear error instead of trapping")
    func closedHandle() async throws {
        // setup
        let location = try await TestDatabase.fresh()
        let database = try DatabaseService(location: location, logger: TestDatabase.quietLogger, connectionsPerLoop: 1)
        try await database.migrate()
        // act: a background job still finishing asks for the database after the pools closed
        await database.shutdown()
        let late = database.database()
        // check
        await #expect(throws: DatabaseClosedError.self) { try await AccountModel.query(on: late).count() }
        await #expect(throws: DatabaseClosedError.self) {
            try await (late as! any SQLDatabase).raw("SELECT 1").run()
        }
        await #expect(throws: DatabaseClosedError.self) { try await late.transaction { _ in () } }
        await TestDatabase.drop(location)
    }
}

/// S5: the hash chain, and `audit verify` naming the first event altered or removed.
@Suite("Store: audit chain")
struct AuditChainTests {
    /// Appends `count` events through the real trail and returns the database service.
    func chain(_ count: Int, _ body: @Sendable (DatabaseService) async throws -> Void) async throws {
        let location = try await TestDatabase.fresh()
        let database = try DatabaseService(location: location, logger: TestDatabase.quietLogger, connectionsPerLoop: 1)
        do {
            try await database.migrate()
            let trail = AuditTrail()
            for index in 1...count {
                try await trail.write(on: database.database(), actor: .system) { _ in
                    (
                        (),
                        AuditDraft(
                            action: "test.event", entityType: "test", entityID: "\(index)", divisionCode: "510104",
                            summary: "事件 \(index)", change: ["index": index])
                    )
                }
            }
            try await body(database)
        } catch {
            await database.shutdown()
            await TestDatabase.drop(location)
            throw error
        }
        await database.shutdown()
        await TestDatabase.drop(location)
    }

    @Test("an untouched chain verifies, event by event")
    func intact() async throws {
        try await chain(5) { database in
            let report = try await AuditVerifier().verify(on: database.database(), pageSize: 2)
            #expect(report.isIntact)
            #expect(report.eventsChecked == 5)
            let events = try await AuditEventModel.query(on: database.database()).sort(\.$sequence).all()
            #expect(events.map(\.sequence) == [1, 2, 3, 4, 5])
            #expect(events[0].previousHash == AuditEntry.genesisHash)
            for (earlier, later) in zip(events, events.dropFirst()) { #expect(later.previousHash == earlier.hash) }
        }
    }

    @Test(
        "direct edits in the database are named: altered, removed, truncated",
        arguments: [
            ("UPDATE audit_events SET summary = '篡改' WHERE sequence = 3", AuditChainBreak.altered(sequence: 3)),
            ("DELETE FROM audit_events WHERE sequence = 4", .missing(afterSequence: 3, nextSequence: 5)),
            ("DELETE FROM audit_events WHERE sequence >= 4", .truncated(lastSequence: 3, headSequence: 5)),
        ])
    func tampered(statement: String, expected: AuditChainBreak) async throws {
        try await chain(5) { database in
            let sql = database.database() as! any SQLDatabase
            try await sql.raw(SQLQueryString(statement)).run()
            let report = try await AuditVerifier().verify(on: database.database())
            #expect(report.firstBreak == expected)
            #expect(report.eventsChecked < 5)
        }
    }

    @Test("a row whose hash was recomputed after editing still breaks the next link")
    func rehashed() async throws {
        try await chain(4) { database in
            let db = database.database()
            let event = try #require(try await AuditEventModel.query(on: db).filter(\.$sequence == 2).first())
            event.summary = "篡改"
            event.hash = AuditTrail.hash(of: event.entry)
            try await event.update(on: db)
            #expect(try await AuditVerifier().verify(on: db).firstBreak == .brokenLink(sequence: 3))
        }
    }

    @Test("a write that fails leaves no audit event and no row")
    func atomic() async throws {
        try await chain(1) { database in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await AuditTrail().write(on: database.database(), actor: .system) { tx -> (Void, AuditDraft) in
                    let enterprise = EnterpriseModel(
                        name: "测试企业", creditCode: "91350100M000100Y43", divisionCode: "510104")
                    try await enterprise.create(on: tx)
                    throw Boom()
                }
            }
            let enterprises = try await EnterpriseModel.query(on: database.database()).count()
            let events = try await AuditEventModel.query(on: database.database()).count()
            #expect(enterprises == 0)
            #expect(events == 1)
        }
    }
}

/// S2: sensitive numbers are sealed, looked up by keyed hash, shown masked.
@Suite("Store: field encryption")
struct FieldCipherTests {
    @Test("seal, open, look up and mask")
    func roundTrip() throws {
        let cipher = try FieldCipher(masterKey: Data(repeating: 1, count: 32))
        let number = "11010519491231002X"
        let sealed = try cipher.seal(number)
        #expect(!sealed.contains(number))
        #expect(try cipher.open(sealed) == number)
        #expect(try cipher.seal(number) != sealed)  // fresh nonce each time
        #expect(cipher.lookupHash(number) == cipher.lookupHash(number))
        let other = try FieldCipher(masterKey: Data(repeating: 2, count: 32))
        #expect(other.lookupHash(number) != cipher.lookupHash(number))
        #expect(IdentityNumber.masked(number) == "110105********002X")
        #expect(throws: FieldCipher.CipherError.keyTooShort) { try FieldCipher(masterKey: Data(count: 16)) }
    }
}

/// S4: the data key is generated once and never replaced, even when its file is damaged.
@Suite("Store: data key")
struct DataKeyTests {
    @Test("a generated key is read back; a data.key that cannot be read stops the start instead of being replaced")
    func neverReplaced() throws {
        var configuration = SiteRollConfiguration()
        configuration.dataDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent("siteroll-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
        let first = try DataKey.load(configuration)
        #expect(try DataKey.load(configuration) == first)
        let file = DataKey.file(configuration)
        try Data("not a key".utf8).write(to: file)
        #expect(throws: DataKey.Unreadable.self) { try DataKey.load(configuration) }
        #expect(
            try String(contentsOf: file, encoding: .utf8) == "not a key", "the damaged file is left for the operator")
    }
}
