/// The age policies of all divisions, resolved by the most specific division (standards.md d.4: "a
/// configurable policy per region"). A county's own policy wins over its city's, a city's over its
/// province's, and the book's default applies where no division has one. Configured by value (from
/// the regulators' settings or a configuration file); the book itself holds no state.
///
/// Which division to ask is the caller's choice: the project's division where a worker is placed,
/// else the registering enterprise's — not the address code in the ID number, which says where the
/// person was registered at birth, not where they work.
public struct AgePolicyBook: Sendable, Hashable {
    public var defaultPolicy: AgePolicy
    /// Keyed by the division the policy is set for: `510000` Sichuan, `510100` Chengdu, `510104` Jinjiang.
    public var policies: [DivisionCode: AgePolicy]

    public init(defaultPolicy: AgePolicy = .sichuanDefault, policies: [DivisionCode: AgePolicy] = [:]) {
        self.defaultPolicy = defaultPolicy
        self.policies = policies
    }

    /// The policy of the closest division at or above `division` that has one, else the default.
    public func policy(for division: DivisionCode) -> AgePolicy {
        governingDivision(for: division).flatMap { policies[$0] } ?? defaultPolicy
    }

    /// The division whose policy applies to `division`, nil when the default does. Shown to
    /// regulators, so that "why was this person refused" has an answer.
    public func governingDivision(for division: DivisionCode) -> DivisionCode? {
        policies.keys
            .filter { $0.reaches(division) }
            .max { $0.scopePrefix.count < $1.scopePrefix.count }
    }

    /// Shorthand for `policy(for:)` then `evaluate`.
    public func evaluate(birthDate: LocalDate, on today: LocalDate, in division: DivisionCode) -> AgeDecision {
        policy(for: division).evaluate(birthDate: birthDate, on: today)
    }
}
