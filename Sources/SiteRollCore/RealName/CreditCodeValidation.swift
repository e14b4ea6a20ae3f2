import Foundation

/// The outcome of checking an enterprise's code: the normalised text, what kind of code it is, and
/// every fault (refusing) and warning (shown, not refusing).
public struct CreditCodeValidation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// GB 32100 unified social credit code, 18 characters.
        case creditCode
        /// GB 11714 organisation code, 9 characters, for a unit without a credit code.
        case organisationCode
    }

    /// Trimmed and upper-cased; an organisation code without its printed hyphen.
    public var normalized: String
    public var kind: Kind
    public var faults: [CreditCodeFault]
    public var warnings: [CreditCodeWarning]

    public var isValid: Bool { faults.isEmpty }

    /// Positions 3–8 of a well-formed credit code: the division of the registering authority.
    public var registrationDivision: String? {
        kind == .creditCode && normalized.count == 18 ? String(Array(normalized)[2..<8]) : nil
    }
}

/// Checks enterprise codes completely (GB 32100 and GB 11714, standards.md e.2; issue 3 item 1).
public struct CreditCodeValidator: Sendable {
    /// Registration authorities of the central government put 100000 in positions 3–8 [I]; it is not a
    /// GB/T 2260 row but must not be refused (central state-owned groups are common general contractors).
    public static let centralAuthorityDivision = "100000"

    public let divisions: NationalDivisionTable

    public init(divisions: NationalDivisionTable) {
        self.divisions = divisions
    }

    /// `allowingOrganisationCode`: the national `corpCode` field takes a 9-character organisation code
    /// (also written `XXXXXXXX-X`) when a unit has none (standards.md b.6, e.2). Positional checks run
    /// only on a code of the right length and alphabet; then all of them run.
    public func validate(_ input: String, allowingOrganisationCode: Bool = false) -> CreditCodeValidation {
        let organisation = OrganisationCode.normalized(input)
        if allowingOrganisationCode && organisation.count == 9 {
            return validateOrganisationCode(organisation)
        }
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        var faults: [CreditCodeFault] = []
        var warnings: [CreditCodeWarning] = []
        if text.count != 18 {
            faults.append(.length(actual: text.count, organisationCodeAllowed: allowingOrganisationCode))
        }
        var invalid = ""
        for character in text where !CreditCode.alphabet.contains(character) && !invalid.contains(character) {
            invalid.append(character)
        }
        if !invalid.isEmpty { faults.append(.characters(invalid: invalid)) }
        guard faults.isEmpty else {
            return CreditCodeValidation(normalized: text, kind: .creditCode, faults: faults, warnings: [])
        }

        let characters = Array(text)
        if !CreditCode.isValid(text) { faults.append(.checkCharacter) }
        let division = String(characters[2..<8])
        if division != Self.centralAuthorityDivision && divisions.entries(for: division).isEmpty {
            faults.append(.division(code: division))
        }
        let entityType = String(characters[0..<2])
        if !CodeTable.creditCodeEntityTypes.contains(entityType) { warnings.append(.unusualEntityType(entityType)) }
        if !OrganisationCode.isValid(String(characters[8..<17])) { warnings.append(.innerOrganisationCode) }
        return CreditCodeValidation(normalized: text, kind: .creditCode, faults: faults, warnings: warnings)
    }

    private func validateOrganisationCode(_ text: String) -> CreditCodeValidation {
        let body = text.prefix(8)
        let wellFormed =
            body.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) }
            && text.last.map { $0 == "X" || ($0.isASCII && $0.isNumber) } == true
        let faults: [CreditCodeFault] =
            if !wellFormed {
                [.organisationCodeCharacters]
            } else if !OrganisationCode.isValid(text) {
                [.organisationCodeCheckCharacter]
            } else {
                []
            }
        return CreditCodeValidation(normalized: text, kind: .organisationCode, faults: faults, warnings: [])
    }
}
