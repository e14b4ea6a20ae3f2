import Foundation
import Hummingbird
import SiteRollCore
import SiteRollStore

/// `/gov/restrictions`: the blacklist, dispute and other restrictions a regulator keeps for its
/// divisions (G1 item 4), checked by every verification and by `/api/v1/checks/restrictions`.
struct RestrictionPages: Sendable {
    let restrictions: RestrictionService
    let pages: PageRenderer
    let navigation: Navigation

    struct Row {
        var id: String
        var subject: String
        var kind: String
        var reason: String
        var endsOn: String
        var division: String
        var active: Bool
        var created: String
    }

    typealias Option = SelectOption

    struct ListModel {
        var rows: [Row]
        var hasRows: Bool
        var kinds: [Option]
        var csrf: String
        var error: AppError?
    }

    func addRoutes(to group: RouterGroup<GovContext>) {
        /// The list, with the form to add an entry.
        group.get("restrictions") { request, context in
            try await page(context, path: request.uri.path, error: nil)
        }
        /// Adds an entry for the regulator's division.
        group.post("restrictions") { request, context in
            let form = try await FormFields.read(request)
            return try await PageOutcome.respond(to: Paths.Gov.restrictions) {
                try await restrictions.add(
                    .init(
                        subjectKind: form.text("subjectKind") == "enterprise" ? "enterprise" : "worker",
                        subjectNumber: form.text("subjectNumber"), subjectName: form.text("subjectName"),
                        kind: RestrictionService.Kind(rawValue: form.text("kind")) ?? .other,
                        reason: form.text("reason"),
                        endsOn: form.text("endsOn")),
                    by: context.account, division: context.division)
                return "已登记，限制自即日起生效"
            } refused: { error in
                try await page(context, path: request.uri.path, error: error)
            }
        }
        /// Lifts an entry within reach.
        group.post("restrictions/:id/lift") { request, context in
            guard let id = context.parameters.get("id", as: UUID.self) else { throw AppError.notFound }
            try await restrictions.lift(id, by: context.account, division: context.division)
            return PageOutcome.redirect(to: Paths.Gov.restrictions, "已解除该限制")
        }
    }

    private func page(_ context: GovContext, path: String, error: AppError?) async throws -> Response {
        let rows = try await restrictions.list(in: context.division).map {
            Row(
                id: $0.id?.uuidString ?? "", subject: $0.subjectLabel,
                kind: RestrictionService.Kind(rawValue: $0.kind)?.chineseName ?? $0.kind, reason: $0.reason,
                endsOn: $0.endsOn ?? "解除前一直有效",
                division: DivisionCode($0.divisionCode).flatMap { navigation.divisions.division($0)?.name }
                    ?? $0.divisionCode,
                active: $0.liftedAt == nil, created: ChineseFormat.dateTime($0.createdAt))
        }
        let model = ListModel(
            rows: rows, hasRows: !rows.isEmpty,
            kinds: RestrictionService.Kind.allCases.map { Option(value: $0.rawValue, label: $0.chineseName) },
            csrf: context.identity.csrfToken, error: error)
        return pages.html(
            "restrictions", model,
            layout: navigation.layout(.gov, title: "限制名单", identity: context.identity, current: path),
            status: error?.status ?? .ok)
    }
}
