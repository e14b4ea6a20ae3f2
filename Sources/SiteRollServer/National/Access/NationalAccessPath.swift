import Foundation
import Hummingbird

/// The platform-access pages' paths, declared once for routes and links (issue 15 item 4).
enum NationalAccessPath {
    /// `/gov/access` or `/corp/access`: 系统接入.
    static func base(_ audience: Audience) -> String { audience.basePath + "/access" }

    static func application(_ id: UUID, _ audience: Audience) -> String {
        base(audience) + "/applications/" + id.uuidString
    }

    static func app(_ id: UUID, _ audience: Audience) -> String { base(audience) + "/apps/" + id.uuidString }

    /// A route below the base, relative to the audience's group.
    static func route(_ below: String, _ audience: Audience) -> RouterPath {
        Paths.relative(base(audience) + below, to: audience)
    }
}
