import FluentKit
import Foundation
import SiteRollCore

/// Walks the whole chain in sequence order and names the first event that was altered or removed.
public struct AuditVerifier: Sendable {
    public struct Report: Sendable, Equatable {
        public var eventsChecked: Int
        public var firstBreak: AuditChainBreak?
        public var isIntact: Bool { firstBreak == nil }
    }

    public init() {}

    public func verify(on db: any Database, pageSize: Int = 1000) async throws -> Report {
        var expectedSequence: Int64 = 1
        var previousHash = AuditEntry.genesisHash
        var checked = 0
        while true {
            let page = try await AuditEventModel.query(on: db)
                .filter(\.$sequence >= expectedSequence)
                .sort(\.$sequence)
                .limit(pageSize)
                .all()
            for event in page {
                if event.sequence != expectedSequence {
                    return Report(
                        eventsChecked: checked,
                        firstBreak: .missing(afterSequence: expectedSequence - 1, nextSequence: event.sequence))
                }
                if AuditTrail.hash(of: event.entry) != event.hash {
                    return Report(eventsChecked: checked, firstBreak: .altered(sequence: event.sequence))
                }
                if event.previousHash != previousHash {
                    return Report(eventsChecked: checked, firstBreak: .brokenLink(sequence: event.sequence))
                }
                previousHash = event.hash
                expectedSequence += 1
                checked += 1
            }
            if page.count < pageSize { break }
        }
        if let head = try await AuditHeadModel.find(1, on: db) {
            if head.sequence > expectedSequence - 1 {
                return Report(
                    eventsChecked: checked,
                    firstBreak: .truncated(lastSequence: expectedSequence - 1, headSequence: head.sequence))
            }
            if head.hash != previousHash, head.sequence == expectedSequence - 1 {
                return Report(eventsChecked: checked, firstBreak: .altered(sequence: head.sequence))
            }
        }
        return Report(eventsChecked: checked, firstBreak: nil)
    }
}
