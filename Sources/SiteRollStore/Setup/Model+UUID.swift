import FluentKit
import Foundation

extension Model where IDValue == UUID {
    /// The row's id, for a model that was read from the database or has been created in it:
    /// FluentKit fills `id` in both cases (`@ID` generates a UUID on create), so it cannot be nil
    /// there. This is the one place that says so; code reads `model.uuid` instead of `model.uuid`.
    /// A model used before it exists in the database must use `id` and handle nil.
    public var uuid: UUID {
        // Read or created: FluentKit has set the id (see above).
        id!
    }
}
