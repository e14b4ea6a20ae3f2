/// How a contract pays (labour contract `wage_basis`, ProjectCodeTables.wageBases).
public enum WageBasis: String, Sendable, Codable, CaseIterable {
    case day, month, piece
}

/// The terms a payroll line is computed from: the worker's labour contract.
public struct PayTerms: Sendable, Equatable {
    public var basis: WageBasis
    /// Per man-day, per month, or per piece unit, in fen.
    public var rateFen: Int64

    public init(basis: WageBasis, rateFen: Int64) {
        self.basis = basis
        self.rateFen = rateFen
    }
}

/// Attendance × contract → amount due (G4, W2), money in fen, rounded half up to the fen.
///
/// A monthly wage is paid in full for a month worked in full and pro rata below that: days
/// present over the standard paid days of a month (21.75, 劳社部发〔2008〕3号) [I]. Piece work is the
/// quantity the labour officer enters times the rate; attendance does not enter it.
public struct PayrollComputation: Sendable, Equatable {
    /// Paid days in a full month for a monthly wage [I].
    public var fullMonthDays: Double

    public init(fullMonthDays: Double = 21.75) {
        self.fullMonthDays = fullMonthDays > 0 ? fullMonthDays : 21.75
    }

    public func grossFen(terms: PayTerms, manDays: Double, quantity: Double? = nil) -> Int64 {
        switch terms.basis {
        case .day:
            return Self.fen(Double(terms.rateFen) * max(manDays, 0))
        case .month:
            let share = min(max(manDays, 0) / fullMonthDays, 1)
            return Self.fen(Double(terms.rateFen) * share)
        case .piece:
            return Self.fen(Double(terms.rateFen) * max(quantity ?? 0, 0))
        }
    }

    /// The monthly minimum wage scaled to the days worked: what a line must at least pay for them
    /// (a full month at or above the standard paid days owes the whole minimum).
    public func minimumFen(monthlyMinimumFen: Int64, manDays: Double) -> Int64 {
        Self.fen(Double(monthlyMinimumFen) * min(max(manDays, 0) / fullMonthDays, 1))
    }

    /// The contract's rate expressed per man-day, to compare with the minimum: a day rate as is, a
    /// monthly wage over the standard paid days. nil for piece work (no fixed day rate).
    public func dailyEquivalentFen(of terms: PayTerms) -> Int64? {
        switch terms.basis {
        case .day: terms.rateFen
        case .month: Self.fen(Double(terms.rateFen) / fullMonthDays)
        case .piece: nil
        }
    }

    /// Rounded half up to the fen. A product beyond Int64 (only a rate or quantity stored before the
    /// input limits could make one) is held at Int64's bounds, which payroll validation refuses as
    /// beyond `Money.lineLimitFen`, instead of trapping in the conversion.
    static func fen(_ value: Double) -> Int64 {
        let rounded = value.rounded(.toNearestOrAwayFromZero)
        guard rounded.isFinite else { return rounded < 0 ? .min : .max }
        return Int64(exactly: rounded) ?? (rounded < 0 ? .min : .max)
    }
}
