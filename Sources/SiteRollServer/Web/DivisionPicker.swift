import SiteRollCore

/// A cascading division choice (issue 14 item 7): instead of one flat list of some two hundred
/// divisions, a first select picks the city (市、州) and the second — the one the form sends —
/// lists only that city's counties. Without JavaScript the second select alone still works: its
/// options are grouped by city. Below a city there is one level only, so no first select.
struct DivisionPicker: Sendable {
    struct Group: Sendable {
        var label: String
        var value: String
        var options: [SelectOption]
    }

    var name: String
    var label: String
    var parentLabel: String
    var required: Bool
    var lead: [SelectOption]
    var parents: [SelectOption]
    var groups: [Group]
    /// Whether the first select is shown (stored: templates see stored properties only).
    var cascades: Bool

    /// The divisions below `root` (two levels at most), with `lead` options first (such as
    /// "全部" or the root itself). A group's own division is selectable as "（全市）" when
    /// `groupsSelectable`.
    init(
        name: String, label: String, catalog: DivisionCatalog, root: DivisionCode, selected: String,
        lead: [SelectOption], groupSuffix: String? = "（全市）", required: Bool = false
    ) {
        self.name = name
        self.label = label
        self.required = required
        self.lead = lead.map {
            var option = $0
            option.selected = option.value == selected
            return option
        }
        let children = catalog.children(of: root)
        let nested = children.contains { !catalog.children(of: $0.code).isEmpty }
        func option(_ division: Division, label: String? = nil) -> SelectOption {
            SelectOption(
                value: division.code.rawValue, label: label ?? division.name,
                selected: division.code.rawValue == selected)
        }
        if nested {
            parentLabel = catalog.division(root)?.level == .province ? "市（州）" : "上级区划"
            groups = children.map { child in
                Group(
                    label: child.name, value: child.code.rawValue,
                    options: (groupSuffix.map { [option(child, label: child.name + $0)] } ?? [])
                        + catalog.children(of: child.code).map { option($0) })
            }
            parents = children.map {
                SelectOption(
                    value: $0.code.rawValue, label: $0.name,
                    selected: $0.code.rawValue == selected
                        || catalog.children(of: $0.code).contains { $0.code.rawValue == selected })
            }
        } else {
            parentLabel = ""
            parents = []
            groups =
                children.isEmpty
                ? []
                : [
                    Group(
                        label: catalog.division(root)?.name ?? "", value: root.rawValue,
                        options: children.map { option($0) })
                ]
        }
        cascades = groups.count > 1
    }
}
