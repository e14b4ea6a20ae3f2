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

    public init() {}
}
