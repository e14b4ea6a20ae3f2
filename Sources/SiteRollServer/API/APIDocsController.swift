import Foundation
import Hummingbird
import SiteRollAPI
import Yams

/// The published contract: the raw `openapi.yaml`, and `/docs`, a readable Chinese page of it
/// drawn on the server (no script from outside: the platform runs on intranets).
struct APIDocsController: Sendable {
    let pages: PageRenderer
    let yaml: String
    let model: DocsModel

    init(pages: PageRenderer) throws {
        self.pages = pages
        self.yaml = try APISpec.yaml()
        self.model = try DocsModel(yaml: yaml)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        /// The OpenAPI document as shipped.
        router.get("openapi.yaml") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: yaml)))
        }
        /// The OpenAPI document as a page.
        router.get("docs") { _, _ -> Response in
            pages.bare("docs", model)
        }
    }
}

/// The parts of the spec a reader needs, flattened for the template.
struct DocsModel: Sendable {
    struct Parameter: Sendable {
        var name: String
        var location: String
        var required: String
        var description: String
        var type: String
    }

    struct Response: Sendable {
        var status: String
        var description: String
        var schema: String
    }

    struct Operation: Sendable {
        var method: String
        var path: String
        var summary: String
        var operationID: String
        var auth: String
        var parameters: [Parameter]
        var hasParameters: Bool
        var requestSchema: String
        var responses: [Response]
    }

    struct Group: Sendable {
        var name: String
        var description: String
        var operations: [Operation]
    }

    struct Property: Sendable {
        var name: String
        var type: String
        var required: String
        var description: String
    }

    struct Schema: Sendable {
        var name: String
        var description: String
        var properties: [Property]
        var enumValues: String
    }

    var title: String
    var version: String
    var description: String
    var groups: [Group]
    var schemas: [Schema]

    init(yaml: String) throws {
        let root = (try Yams.load(yaml: yaml) as? [String: Any]) ?? [:]
        let info = root["info"] as? [String: Any] ?? [:]
        title = info["title"] as? String ?? "接口文档"
        version = "\(info["version"] ?? "")"
        description = info["description"] as? String ?? ""
        let defaultSecured = !((root["security"] as? [Any]) ?? []).isEmpty
        var byTag: [String: [Operation]] = [:]
        let paths = root["paths"] as? [String: Any] ?? [:]
        for path in paths.keys.sorted() {
            let methods = paths[path] as? [String: Any] ?? [:]
            for method in ["get", "post", "put", "patch", "delete"] {
                guard let op = methods[method] as? [String: Any] else { continue }
                let secured = (op["security"] as? [Any]).map { !$0.isEmpty } ?? defaultSecured
                let parameters = (op["parameters"] as? [[String: Any]] ?? []).map { p in
                    Parameter(
                        name: p["name"] as? String ?? "", location: Self.locationName(p["in"] as? String ?? ""),
                        required: (p["required"] as? Bool ?? false) ? "必填" : "可选",
                        description: p["description"] as? String ?? "",
                        type: Self.typeName(p["schema"] as? [String: Any] ?? [:]))
                }
                let requestSchema =
                    ((op["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                    .flatMap { ($0 as? [String: Any])?["schema"] as? [String: Any] }.map(Self.typeName) ?? ""
                let responses = (op["responses"] as? [String: Any] ?? [:]).keys.sorted().map { status -> Response in
                    let raw = (op["responses"] as? [String: Any])?[status] as? [String: Any] ?? [:]
                    let resolved = Self.resolveResponse(raw, root: root)
                    let schema =
                        ((resolved["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                        as? [String: Any]
                    return Response(
                        status: status, description: resolved["description"] as? String ?? "",
                        schema: schema.map(Self.typeName) ?? "")
                }
                let tag = (op["tags"] as? [String])?.first ?? "其他"
                byTag[tag, default: []].append(
                    Operation(
                        method: method.uppercased(), path: "/api/v1" + path, summary: op["summary"] as? String ?? "",
                        operationID: op["operationId"] as? String ?? "", auth: secured ? "需要令牌" : "无需令牌",
                        parameters: parameters, hasParameters: !parameters.isEmpty, requestSchema: requestSchema,
                        responses: responses))
            }
        }
        let tags = root["tags"] as? [[String: Any]] ?? []
        let tagOrder = tags.compactMap { $0["name"] as? String }
        groups = (tagOrder + byTag.keys.filter { !tagOrder.contains($0) }.sorted()).compactMap { name in
            guard let operations = byTag[name] else { return nil }
            let description = tags.first { $0["name"] as? String == name }?["description"] as? String ?? ""
            return Group(name: name, description: description, operations: operations)
        }
        let schemas = (root["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        self.schemas = schemas.keys.sorted().map { name in
            let schema = schemas[name] as? [String: Any] ?? [:]
            let required = Set(schema["required"] as? [String] ?? [])
            let properties = schema["properties"] as? [String: Any] ?? [:]
            return Schema(
                name: name, description: schema["description"] as? String ?? "",
                properties: properties.keys.sorted().map { key in
                    let property = properties[key] as? [String: Any] ?? [:]
                    return Property(
                        name: key, type: Self.typeName(property), required: required.contains(key) ? "必填" : "可选",
                        description: property["description"] as? String ?? "")
                },
                enumValues: (schema["enum"] as? [Any])?.map { "\($0)" }.joined(separator: "、") ?? "")
        }
    }

    static func typeName(_ schema: [String: Any]) -> String {
        if let ref = schema["$ref"] as? String { return String(ref.split(separator: "/").last ?? "") }
        if let type = schema["type"] as? String {
            if type == "array", let items = schema["items"] as? [String: Any] { return "[\(typeName(items))]" }
            if let format = schema["format"] as? String { return "\(type) (\(format))" }
            if let pattern = schema["pattern"] as? String { return "\(type) \(pattern)" }
            return type
        }
        return "object"
    }

    static func locationName(_ location: String) -> String {
        switch location {
        case "path": "路径"
        case "query": "查询参数"
        case "header": "请求头"
        default: location
        }
    }

    static func resolveResponse(_ raw: [String: Any], root: [String: Any]) -> [String: Any] {
        guard let ref = raw["$ref"] as? String else { return raw }
        let name = String(ref.split(separator: "/").last ?? "")
        return ((root["components"] as? [String: Any])?["responses"] as? [String: Any])?[name] as? [String: Any] ?? raw
    }
}
