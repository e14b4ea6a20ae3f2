import FluentKit
import Foundation

public final class EnterpriseModel: Model, @unchecked Sendable {
    public static let schema = "enterprises"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// GB 32100 unified social credit code.
    @Field(key: "credit_code") public var creditCode: String
    @Field(key: "division_code") public var divisionCode: String
    @Field(key: "status") public var status: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(id: UUID? = nil, name: String, creditCode: String, divisionCode: String, status: String = "active") {
        self.id = id
        self.name = name
        self.creditCode = creditCode
        self.divisionCode = divisionCode
        self.status = status
        self.createdAt = Date()
    }
}
