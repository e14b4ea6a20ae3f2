import Foundation

/// What a valid resident identity number says about its holder (GB 11643, standards.md e.1).
public struct IdentityNumberFacts: Sendable, Equatable {
    /// 18 characters, upper-case X; a legacy 15-digit number converted.
    public var number: String
    public var birthDate: LocalDate
    /// From the 17th digit: odd 男, even 女 (national code via `Gender.nationalCode`, standards.md c.22).
    public var gender: Gender
    /// Positions 1–6: the GB/T 2260 code of the place and time of issue, possibly retired since.
    public var addressCode: String
    /// The code's name in the birth year where the table has it, else its latest name.
    public var addressName: String?
    /// The input was a legacy 15-digit number.
    public var wasLegacy: Bool

    /// The form every screen, export and log shows (S2).
    public var masked: String { IdentityNumber.masked(number) }
}

/// The outcome of checking one identity number: the facts, or every fault found.
public enum IdentityNumberValidation: Sendable, Equatable {
    case valid(IdentityNumberFacts)
    case invalid([IdentityNumberFault])

    public var facts: IdentityNumberFacts? {
        if case .valid(let facts) = self { facts } else { nil }
    }

    public var faults: [IdentityNumberFault] {
        if case .invalid(let faults) = self { faults } else { [] }
    }
}

/// Checks a mainland resident identity number completely (issue 3 item 2): shape, check character,
/// birth date, address code against the national division history, and — when the person also declared
/// them — that birth date and gender agree with the number.
public struct IdentityNumberValidator: Sendable {
    /// Years before this are refused as birth dates: GB 11643 numbers were first issued in the 1980s,
    /// and a check date a century earlier only catches typos in the year.
    public static let earliestBirthYear = 1900

    public let divisions: NationalDivisionTable

    public init(divisions: NationalDivisionTable) {
        self.divisions = divisions
    }

    /// `today` is the day of the check, in China (no hidden clock). Input is trimmed and a lower-case x
    /// upper-cased. Once the shape (length, characters) is wrong the positions mean nothing, so only shape
    /// faults are reported then; otherwise every positional fault and mismatch is reported together.
    public func validate(
        _ input: String, today: LocalDate, declaredBirthDate: LocalDate? = nil, declaredGender: Gender? = nil
    ) -> IdentityNumberValidation {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let shape = Self.shapeFaults(text)
        guard shape.isEmpty else { return .invalid(shape) }

        var faults: [IdentityNumberFault] = []
        let wasLegacy = text.utf8.count == 15
        let number = wasLegacy ? IdentityNumber.upgradedLegacyNumber(text) ?? text : text
        // A legacy number has no check character of its own: the one just computed cannot be wrong.
        if !wasLegacy && !IdentityNumber.hasValidCheckCharacter(number) { faults.append(.checkDigit) }

        let characters = Array(number)
        let addressCode = String(characters[0..<6])
        let birthDate = LocalDate(compact: String(characters[6..<14])).flatMap {
            $0.year >= Self.earliestBirthYear ? $0 : nil
        }
        if let birthDate {
            if birthDate > today { faults.append(.birthInFuture) }
        } else {
            faults.append(.birthDate)
        }
        if !divisions.isValidAddressCode(addressCode, birthYear: birthDate?.year) {
            faults.append(.region(code: addressCode))
        }

        let gender = Gender(sequenceDigit: characters[16].wholeNumberValue ?? 0)
        if let declaredBirthDate, let birthDate, declaredBirthDate != birthDate { faults.append(.birthMismatch) }
        if let declaredGender, declaredGender != gender { faults.append(.genderMismatch) }

        guard faults.isEmpty, let birthDate else { return .invalid(faults) }
        return .valid(
            IdentityNumberFacts(
                number: number, birthDate: birthDate, gender: gender, addressCode: addressCode,
                addressName: divisions.name(of: addressCode, inYear: birthDate.year), wasLegacy: wasLegacy))
    }

    /// Length 18 or 15; ASCII digits only, except a final X in an 18-character number (a 15-digit number
    /// has no check character, so an X there is a typing error, not a check value).
    static func shapeFaults(_ text: String) -> [IdentityNumberFault] {
        let characters = Array(text)
        var faults: [IdentityNumberFault] = []
        if characters.count != 18 && characters.count != 15 { faults.append(.length(actual: characters.count)) }
        let allowsFinalX = characters.count != 15
        let stray = characters.indices.contains { index in
            let character = characters[index]
            if character.isASCII && character.isWholeNumber { return false }
            return !(allowsFinalX && character == "X" && index == characters.count - 1)
        }
        if stray { faults.append(.characters) }
        return faults
    }
}
