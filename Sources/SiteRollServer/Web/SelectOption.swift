/// One option of a `<select>` on any page.
struct SelectOption: Sendable {
    var value: String
    var label: String
    var selected = false
}
