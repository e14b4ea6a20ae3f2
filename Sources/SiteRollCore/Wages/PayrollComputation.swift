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

    /// How a line's gross pay follows from its terms, in words a worker reads on the phone (M4):
    /// the rate, the days or quantity and the result; a monthly wage below a full month says that it
    /// is scaled by the standard paid days. When the stored amount differs from the computation (the
    /// labour officer changed it), both are said.
    public func explanation(
        terms: PayTerms, manDays: Double, quantity: Double? = nil, pieceUnit: String? = nil, grossFen: Int64
    ) -> String {
        let computed = self.grossFen(terms: terms, manDays: manDays, quantity: quantity)
        let days = PayrollValidation.days(manDays)
        let rate = Money.yuan(terms.rateFen)
        var text: String
        switch terms.basis {
        case .day:
            text = "按日计酬：日工资 \(rate) 元 × 出勤 \(days) 个工日 = \(Money.yuan(computed)) 元"
        case .month:
            if manDays >= fullMonthDays {
                text = "按月计酬：月工资 \(rate) 元，本月出勤 \(days) 个工日，满月按全月发放"
            } else {
                text =
                    "按月计酬：月工资 \(rate) 元 × 出勤 \(days) 个工日 ÷ 每月计薪 \(PayrollValidation.days(fullMonthDays)) 天"
                    + " = \(Money.yuan(computed)) 元（出勤不满一个月，按天折算）"
            }
        case .piece:
            let unit = pieceUnit.map { $0.isEmpty ? "" : "/\($0)" } ?? ""
            text =
                "计件：单价 \(rate) 元\(unit) × 数量 \(PayrollValidation.days(max(quantity ?? 0, 0))) = \(Money.yuan(computed)) 元"
        }
        if computed != grossFen { text += "；应发金额经用工单位调整为 \(Money.yuan(grossFen)) 元" }
        return text
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
