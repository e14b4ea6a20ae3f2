import Foundation

/// The published contract, as shipped: served at `/openapi.yaml` and rendered at `/docs`.
public enum APISpec {
    public static func yaml() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
