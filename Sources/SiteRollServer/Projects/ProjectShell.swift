import Foundation
import SiteRollCore
import SiteRollStore

/// A project as one caller reaches it, with what every project page shows above its own
/// content: name, code, status, the tab bar for the caller's standing, and the set-up gaps.
/// Every project page's read function starts here, so reach is decided once per request.
struct ProjectShell: Sendable {
    var project: ProjectModel
    var standing: ProjectReach.Standing
    var path: ProjectPath
    var head: ProjectHead
}

/// The part of a project page above its content (`project-head.mustache`).
struct ProjectHead: Sendable {
    struct Tab: Sendable {
        var label: String
        var href: String
        var active: Bool
    }

    var id: String
    var name: String
    var code: String
    var status: String
    var division: String
    var contractor: String
    var tabs: [Tab]
    var canEdit: Bool
    var isContractor: Bool
    var csrf: String
    var base: String
    var error: AppError?
    var noLabourOfficer: Bool
}

/// A project page's view model: the head above and the page's title.
protocol ProjectView: Sendable {
    var head: ProjectHead { get set }
    var title: String { get }
}

extension ProjectReads {
    /// The project `id` as `caller` reaches it, with its head for `tab`; 404 outside reach.
    func shell(_ id: UUID, _ caller: Caller, tab: ProjectTab) async throws -> ProjectShell {
        guard let (project, standing) = try await services.reach.project(id, in: caller.scope) else {
            throw AppError.notFound
        }
        let head = try await head(project, standing: standing, caller: caller, tab: tab)
        return ProjectShell(
            project: project, standing: standing, path: ProjectPath(audience: caller.audience, project: project.uuid),
            head: head)
    }

    /// The head of a project already reached.
    func head(_ project: ProjectModel, standing: ProjectReach.Standing, caller: Caller, tab: ProjectTab)
        async throws -> ProjectHead
    {
        let path = ProjectPath(audience: caller.audience, project: project.uuid)
        let hasOfficer = try await services.projects.projectsWithLabourOfficer([project.uuid]).contains(project.uuid)
        return ProjectHead(
            id: project.uuid.uuidString, name: project.name, code: project.code,
            status: CodeTable.projectStatuses.name(of: project.status) ?? project.status,
            division: DivisionCode(project.divisionCode).map { divisions.fullName(of: $0) } ?? "",
            contractor: project.contractorName,
            tabs: ProjectTab.allCases.filter { $0.isShown(to: standing) }.map {
                ProjectHead.Tab(label: $0.label, href: path.tab($0), active: $0 == tab)
            },
            canEdit: standing.canChange, isContractor: standing.isContractor, csrf: caller.csrf, base: path.root,
            error: nil, noLabourOfficer: !hasOfficer)
    }
}
