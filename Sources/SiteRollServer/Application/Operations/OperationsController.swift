import Foundation
import Hummingbird
import Prometheus
import SiteRollAPI
import SiteRollStore

/// `/health` (with a database round trip) and `/metrics` (Prometheus text format) for operators.
struct OperationsController: Sendable {
    let database: DatabaseService
    let registry: PrometheusCollectorRegistry

    func addRoutes(to router: Router<AppRequestContext>) {
        /// Liveness and readiness: 200 when the database answers, 503 when it does not.
        router.get("health") { _, _ -> Response in
            let engine = database.location.isPostgres ? "postgresql" : "sqlite"
            do {
                try await database.ping()
                return Self.json(.ok, ["status": "ok", "database": engine, "message": "服务正常"])
            } catch {
                return Self.json(
                    .serviceUnavailable, ["status": "unavailable", "database": engine, "message": "数据库无法连接"])
            }
        }
        /// Prometheus metrics of this process.
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    static func json(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(fields)) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
