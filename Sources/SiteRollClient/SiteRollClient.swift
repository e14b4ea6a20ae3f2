// The generated `Client` (from SiteRollAPI/openapi.yaml) is the Swift SDK for `/api/v1`: vendors,
// the mobile app and tests use it with any `ClientTransport`. The national-interface signer
// joins it with the national gateway.
@_exported import SiteRollAPI
