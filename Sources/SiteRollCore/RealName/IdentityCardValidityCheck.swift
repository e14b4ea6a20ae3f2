/// Why a card's validity period is refused, and what is only worth a second look.
public enum IdentityCardValidityFault: VerificationFinding, Equatable {
    /// Not two dates (or a date and 长期).
    case unreadable
    /// The end date lies before the start date.
    case endBeforeStart
    /// The card's last valid day lies before the day of the check.
    case expired
    /// The card is not valid yet: its start lies after the day of the check.
    case notYetValid

    public var code: String {
        switch self {
        case .unreadable: "ID_CARD_VALIDITY_FORMAT"
        case .endBeforeStart: "ID_CARD_VALIDITY_ORDER"
        case .expired: "ID_CARD_EXPIRED"
        case .notYetValid: "ID_CARD_NOT_YET_VALID"
        }
    }

    public var chineseMessage: String {
        switch self {
        case .unreadable: "证件有效期限无法识别，请按证件背面填写，例如 2015.03.12-2035.03.12 或 2015.03.12-长期"
        case .endBeforeStart: "证件有效期限的截止日期早于起始日期，请核对"
        case .expired: "身份证已过有效期，请持有效证件重新办理"
        case .notYetValid: "证件有效期限的起始日期晚于今天，请核对"
        }
    }
}

/// Worth a second look, not a refusal.
public enum IdentityCardValidityWarning: VerificationFinding, Equatable {
    /// The period is not one the Resident Identity Card Law issues (art. 5: 5, 10 or 20 years, or 长期) [I]:
    /// most often a mistyped year. Temporary cards and cards of the first generation differ, so only a warning.
    case unusualTerm

    public var code: String { "ID_CARD_VALIDITY_TERM" }

    public var chineseMessage: String { "证件有效期限不是 5 年、10 年、20 年或长期，请核对起止日期是否填写正确" }
}

/// The result of checking a printed validity period on a given day.
public struct IdentityCardValidityCheck: Sendable, Equatable {
    /// The parsed period; nil when unreadable.
    public var validity: IdentityCardValidity?
    public var faults: [IdentityCardValidityFault]
    public var warnings: [IdentityCardValidityWarning]

    public var isAcceptable: Bool { validity != nil && faults.isEmpty }
}

extension IdentityCardValidity {
    /// Parses and judges `text` on `today`, reporting all faults at once (an end before the start is
    /// usually also in the past). The card counts as valid through its printed end date, so it has
    /// expired only from the day after.
    public static func check(_ text: String, today: LocalDate) -> IdentityCardValidityCheck {
        guard let validity = IdentityCardValidity(parsing: text) else {
            return IdentityCardValidityCheck(validity: nil, faults: [.unreadable], warnings: [])
        }
        var faults: [IdentityCardValidityFault] = []
        if let end = validity.end, end < validity.start { faults.append(.endBeforeStart) }
        if validity.start > today { faults.append(.notYetValid) }
        if let end = validity.end, end < today { faults.append(.expired) }
        let unusual = faults.isEmpty && !validity.hasStatutoryTerm
        return IdentityCardValidityCheck(validity: validity, faults: faults, warnings: unusual ? [.unusualTerm] : [])
    }

    /// Long-term, or ending 5, 10 or 20 years after the start on the same day (Resident Identity Card
    /// Law art. 5 [I]); a card issued on 29 February may end on 28 February or 1 March.
    public var hasStatutoryTerm: Bool {
        guard let end else { return true }
        return [5, 10, 20].contains { years in
            guard let expected = start.adding(years: years) else { return false }
            let leapDayAlternative = LocalDate(year: expected.year, month: 3, day: 1)
            return end == expected || (start.month == 2 && start.day == 29 && end == leapDayAlternative)
        }
    }
}
