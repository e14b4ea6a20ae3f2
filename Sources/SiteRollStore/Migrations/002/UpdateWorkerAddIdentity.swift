import FluentKit

/// The identity card data of a worker (WorkerMaster, standards.md b.6; M1, E1): card type,
/// gender, nation, birth date, address (sealed), issuing authority, validity, the verification
/// code and who confirmed the identity.
struct UpdateWorkerAddIdentity: AsyncMigration {
    static let fields: [(FieldKey, DatabaseSchema.DataType)] = [
        ("id_card_type", .string), ("gender", .string), ("nation", .string), ("birth_date", .string),
        ("address_cipher", .string), ("issuing_authority", .string), ("id_valid_from", .string),
        ("id_valid_until", .string), ("verification_code", .string), ("verified_at", .datetime),
        ("verified_by", .string), ("verification_simulated", .bool), ("health_certificate_required", .bool),
    ]

    func prepare(on database: any Database) async throws {
        for (key, type) in Self.fields {
            try await database.schema("workers").field(key, type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (key, _) in Self.fields.reversed() {
            try await database.schema("workers").deleteField(key).update()
        }
    }
}
