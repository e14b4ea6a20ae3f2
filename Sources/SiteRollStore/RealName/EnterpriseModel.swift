import FluentKit
import Foundation
import SiteRollCore

public final class EnterpriseModel: Model, @unchecked Sendable {
    public static let schema = "enterprises"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// GB 32100 unified social credit code.
    @Field(key: "credit_code") public var creditCode: String
    @Field(key: "division_code") public var divisionCode: String
    @Field(key: "status") public var status: String
    @Field(key: "created_at") public var createdAt: Date
    /// Enterprise registration type, code table c.6.
    @OptionalField(key: "registration_type") public var registrationType: String?
    @OptionalField(key: "address") public var address: String?
    @OptionalField(key: "legal_rep_name") public var legalRepName: String?
    @OptionalField(key: "legal_rep_id_type") public var legalRepIDType: String?
    @OptionalField(key: "legal_rep_id_cipher") public var legalRepIDCipher: String?
    @OptionalField(key: "legal_rep_id_hmac") public var legalRepIDHMAC: String?
    @OptionalField(key: "legal_rep_id_masked") public var legalRepIDMasked: String?
    @OptionalField(key: "contact_name") public var contactName: String?
    @OptionalField(key: "contact_phone") public var contactPhone: String?
    /// The enterprise verification code (G1, E1), issued when verification passes.
    @OptionalField(key: "verification_code") public var verificationCode: String?
    @OptionalField(key: "verified_at") public var verifiedAt: Date?
    @OptionalField(key: "suspended_at") public var suspendedAt: Date?
    @OptionalField(key: "suspended_reason") public var suspendedReason: String?

    public init() {}

    public init(id: UUID? = nil, name: String, creditCode: String, divisionCode: String, status: String = "active") {
        self.id = id
        self.name = name
        self.creditCode = creditCode
        self.divisionCode = divisionCode
        self.status = status
        self.createdAt = ServerClock.now()
    }
}
