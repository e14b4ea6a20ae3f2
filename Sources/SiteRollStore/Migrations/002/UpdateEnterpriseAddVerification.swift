import FluentKit

/// Enterprise verification (E1, G1; Corp.Upload fields, standards.md b.6): registration type,
/// address, legal representative (ID number sealed like every identity number), contact, the
/// verification code and suspension by a regulator.
struct UpdateEnterpriseAddVerification: AsyncMigration {
    static let fields: [(FieldKey, DatabaseSchema.DataType)] = [
        ("registration_type", .string), ("address", .string), ("legal_rep_name", .string),
        ("legal_rep_id_type", .string), ("legal_rep_id_cipher", .string), ("legal_rep_id_hmac", .string),
        ("legal_rep_id_masked", .string), ("contact_name", .string), ("contact_phone", .string),
        ("verification_code", .string), ("verified_at", .datetime), ("suspended_at", .datetime),
        ("suspended_reason", .string),
    ]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        for (key, type) in Self.fields {
            try await database.schema("enterprises").field(key, type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (key, _) in Self.fields.reversed() {
            try await database.schema("enterprises").deleteField(key).update()
        }
    }
}
