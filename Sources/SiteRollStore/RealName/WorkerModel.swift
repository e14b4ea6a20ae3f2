import FluentKit
import Foundation

public final class WorkerModel: Model, @unchecked Sendable {
    public static let schema = "workers"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// AES-GCM sealed identity number (base64); see `FieldCipher`.
    @Field(key: "id_number_cipher") public var idNumberCipher: String
    /// HMAC of the identity number: lookups and uniqueness without decrypting.
    @Field(key: "id_number_hmac") public var idNumberHMAC: String
    /// `5101**********1234`, for screens that do not need the full number.
    @Field(key: "id_number_masked") public var idNumberMasked: String
    /// The division of the number's address code, for regulators' reach.
    @Field(key: "division_code") public var divisionCode: String
    @Field(key: "created_at") public var createdAt: Date
    /// Code table c.4; 01 居民身份证.
    @OptionalField(key: "id_card_type") public var idCardType: String?
    /// Code table c.22: 0 男, 1 女.
    @OptionalField(key: "gender") public var gender: String?
    /// 民族, code table c.26.
    @OptionalField(key: "nation") public var nation: String?
    /// yyyy-MM-dd, as printed on the card and in the number.
    @OptionalField(key: "birth_date") public var birthDate: String?
    /// The card's address, sealed like the number.
    @OptionalField(key: "address_cipher") public var addressCipher: String?
    @OptionalField(key: "issuing_authority") public var issuingAuthority: String?
    @OptionalField(key: "id_valid_from") public var idValidFrom: String?
    /// nil with a start date: 长期 (long-term).
    @OptionalField(key: "id_valid_until") public var idValidUntil: String?
    /// The worker verification code (M1, G1): unique, not derived from the number.
    @OptionalField(key: "verification_code") public var verificationCode: String?
    @OptionalField(key: "verified_at") public var verifiedAt: Date?
    /// Who confirmed the identity: the authority's name as it answered.
    @OptionalField(key: "verified_by") public var verifiedBy: String?
    @OptionalField(key: "verification_simulated") public var verificationSimulated: Bool?
    @OptionalField(key: "health_certificate_required") public var healthCertificateRequired: Bool?

    public init() {}
}
