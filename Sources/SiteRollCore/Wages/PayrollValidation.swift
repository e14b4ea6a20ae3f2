import Foundation

/// What is checked before a payroll goes to the general contractor and the bank (issue 6, W1, W2,
/// W12, b.6 Payroll). Each finding names the line, says what is wrong in Chinese and whether it
/// blocks submission or may be overridden with a reason that goes into the audit trail.
public struct PayrollFinding: Sendable, Equatable, Hashable, Codable {
    public enum Severity: String, Sendable, Codable {
        /// Cannot be submitted until fixed.
        case blocking
        /// May be submitted with a written reason (recorded in the audit trail).
        case overridable
    }

    /// Stable codes (PAYROLL_…), also used to match an override to its finding.
    public var code: String
    public var severity: Severity
    /// The worker concerned, if the finding is about one (the caller's identifier).
    public var workerKey: String?
    public var workerName: String?
    public var message: String

    public init(code: String, severity: Severity, workerKey: String? = nil, workerName: String? = nil, message: String)
    {
        self.code = code
        self.severity = severity
        self.workerKey = workerKey
        self.workerName = workerName
        self.message = message
    }

    /// The key an override reason is filed under: one per code and worker.
    public var overrideKey: String { workerKey.map { "\(code):\($0)" } ?? code }
}

/// One line as validation sees it.
public struct PayrollLineFacts: Sendable, Equatable {
    public var workerKey: String
    public var workerName: String
    /// Man-days in the attendance sheet for the pay month (0 when none).
    public var manDays: Double
    public var terms: PayTerms?
    public var quantity: Double?
    public var grossFen: Int64
    public var deductionFen: Int64
    public var deductionReason: String?
    public var isBackPay: Bool
    public var backPayMonth: PayMonth?
    /// The wage card: nil when the worker has none on file.
    public var card: Card?

    public struct Card: Sendable, Equatable {
        /// Keyed hash of the number (never the number itself).
        public var numberHash: String
        public var holderName: String
        /// Closed or reported lost: cannot receive money.
        public var isClosed: Bool

        public init(numberHash: String, holderName: String, isClosed: Bool = false) {
            self.numberHash = numberHash
            self.holderName = holderName
            self.isClosed = isClosed
        }
    }

    public init(
        workerKey: String, workerName: String, manDays: Double, terms: PayTerms?, quantity: Double? = nil,
        grossFen: Int64, deductionFen: Int64 = 0, deductionReason: String? = nil, isBackPay: Bool = false,
        backPayMonth: PayMonth? = nil, card: Card?
    ) {
        self.workerKey = workerKey
        self.workerName = workerName
        self.manDays = manDays
        self.terms = terms
        self.quantity = quantity
        self.grossFen = grossFen
        self.deductionFen = deductionFen
        self.deductionReason = deductionReason
        self.isBackPay = isBackPay
        self.backPayMonth = backPayMonth
        self.card = card
    }

    public var netFen: Int64 { Money.difference(grossFen, deductionFen) }
}

public struct PayrollValidation: Sendable {
    public var computation: PayrollComputation

    public init(computation: PayrollComputation = PayrollComputation()) {
        self.computation = computation
    }

    /// - Parameters:
    ///   - month: the pay month; `today` decides whether it is in the future.
    ///   - attendedWorkers: workers with attendance in the month (key → name), who must each have a line.
    ///   - monthlyMinimumFen: the division's minimum wage in force in the month, if configured.
    ///   - cardHoldersElsewhere: card hash → names of other workers on the platform paid to that card.
    public func findings(
        month: PayMonth, today: LocalDate, lines: [PayrollLineFacts], attendedWorkers: [String: String],
        monthlyMinimumFen: Int64?, cardHoldersElsewhere: [String: Set<String>] = [:]
    ) -> [PayrollFinding] {
        var findings: [PayrollFinding] = []
        if month > PayMonth(containing: today) {
            findings.append(
                .init(
                    code: "PAYROLL_MONTH_FUTURE", severity: .blocking,
                    message: "工资月份\(month.chinese)晚于本月，不能提前申报工资"))
        }
        if lines.isEmpty {
            findings.append(.init(code: "PAYROLL_EMPTY", severity: .blocking, message: "工资表没有任何工资明细"))
        }
        var seen: Set<String> = []
        for line in lines {
            if !seen.insert(line.workerKey).inserted {
                findings.append(
                    line.finding(
                        "PAYROLL_DUPLICATE_WORKER", .blocking, "\(line.workerName)在本工资表中出现多次，每人每月只能有一行工资"))
            }
            findings += lineFindings(line, month: month, monthlyMinimumFen: monthlyMinimumFen)
        }
        let paidKeys = Set(lines.map(\.workerKey))
        for (key, name) in attendedWorkers.sorted(by: { $0.value < $1.value }) where !paidKeys.contains(key) {
            findings.append(
                .init(
                    code: "PAYROLL_WORKER_MISSING", severity: .overridable, workerKey: key, workerName: name,
                    message: "\(name)在\(month.chinese)有考勤记录，但工资表中没有其工资"))
        }
        // W1, W12: one card per person, held by the worker.
        let byCard = Dictionary(grouping: lines.filter { $0.card != nil }, by: { $0.card!.numberHash })
        for (hash, holders) in byCard.sorted(by: { $0.key < $1.key }) {
            let others = cardHoldersElsewhere[hash, default: []].subtracting(holders.map(\.workerName))
            guard holders.count > 1 || !others.isEmpty else { continue }
            let names = (holders.map(\.workerName) + others.sorted()).joined(separator: "、")
            for line in holders {
                findings.append(
                    line.finding(
                        "PAYROLL_CARD_SHARED", .blocking, "\(line.workerName)的工资卡同时登记给了多人（\(names)），工资须发到本人名下的卡"))
            }
        }
        return findings
    }

    func lineFindings(_ line: PayrollLineFacts, month: PayMonth, monthlyMinimumFen: Int64?) -> [PayrollFinding] {
        var findings: [PayrollFinding] = []
        func add(_ code: String, _ severity: PayrollFinding.Severity, _ message: String) {
            findings.append(line.finding(code, severity, message))
        }
        if line.grossFen < 0 || line.deductionFen < 0 {
            add("PAYROLL_NEGATIVE_AMOUNT", .blocking, "\(line.workerName)的应发金额或扣款不能为负数")
        }
        if line.grossFen > Money.lineLimitFen || line.deductionFen > Money.lineLimitFen {
            add(
                "PAYROLL_AMOUNT_OUT_OF_RANGE", .blocking,
                "\(line.workerName)的应发金额或扣款超过每人每月 \(Money.yuan(Money.lineLimitFen)) 元的上限，请核对金额、计件数量或单价")
        }
        if line.deductionFen > 0, (line.deductionReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            add("PAYROLL_DEDUCTION_REASON", .blocking, "\(line.workerName)有扣款\(Money.yuan(line.deductionFen))元，须写明扣款事由")
        }
        if line.deductionFen > line.grossFen, line.grossFen >= 0 {
            add("PAYROLL_DEDUCTION_EXCEEDS", .blocking, "\(line.workerName)的扣款超过应发金额")
        }
        if line.isBackPay {
            if let back = line.backPayMonth {
                if back >= month {
                    add("PAYROLL_BACK_PAY_MONTH", .blocking, "\(line.workerName)的补发月份须早于本工资表月份\(month.chinese)")
                }
            } else {
                add("PAYROLL_BACK_PAY_MONTH", .blocking, "\(line.workerName)标为补发，须填写补发所属月份")
            }
        }
        if let card = line.card {
            if card.holderName.trimmingCharacters(in: .whitespaces) != line.workerName {
                add("PAYROLL_CARD_NOT_OWN", .blocking, "\(line.workerName)的工资卡户名为“\(card.holderName)”，不是本人，工资须发到本人名下的卡")
            }
            if card.isClosed {
                add("PAYROLL_CARD_CLOSED", .blocking, "\(line.workerName)的工资卡已销户或挂失，请先登记新卡")
            }
        } else if line.netFen > 0 {
            add("PAYROLL_CARD_MISSING", .blocking, "\(line.workerName)没有登记工资卡，无法通过专用账户代发")
        }
        guard !line.isBackPay, let terms = line.terms else {
            if line.terms == nil, !line.isBackPay {
                add("PAYROLL_NO_CONTRACT", .overridable, "\(line.workerName)在本月没有有效的劳动合同，无法核对工资标准")
            }
            return findings
        }
        let contractual = computation.grossFen(terms: terms, manDays: line.manDays, quantity: line.quantity)
        if line.grossFen < contractual {
            add(
                "PAYROLL_BELOW_CONTRACT", .overridable,
                "\(line.workerName)应发\(Money.yuan(line.grossFen))元，低于按合同计算的\(Money.yuan(contractual))元（\(termsText(terms, line))）"
            )
        }
        if let minimum = monthlyMinimumFen, line.manDays > 0 {
            let owed = computation.minimumFen(monthlyMinimumFen: minimum, manDays: line.manDays)
            if line.netFen < owed {
                add(
                    "PAYROLL_BELOW_MINIMUM", .overridable,
                    "\(line.workerName)实发\(Money.yuan(line.netFen))元，低于当地最低工资标准（月\(Money.yuan(minimum))元）按出勤\(Self.days(line.manDays))天折算的\(Money.yuan(owed))元"
                )
            }
        }
        return findings
    }

    func termsText(_ terms: PayTerms, _ line: PayrollLineFacts) -> String {
        switch terms.basis {
        case .day: "出勤\(Self.days(line.manDays))天 × 日工资\(Money.yuan(terms.rateFen))元"
        case .month: "月工资\(Money.yuan(terms.rateFen))元，出勤\(Self.days(line.manDays))天"
        case .piece: "计件\(Self.days(line.quantity ?? 0)) × 单价\(Money.yuan(terms.rateFen))元"
        }
    }

    /// 22, 21.5
    public static func days(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "—" }
        return value == value.rounded() ? String(Int(value)) : String((value * 100).rounded() / 100)
    }
}

extension PayrollLineFacts {
    fileprivate func finding(_ code: String, _ severity: PayrollFinding.Severity, _ message: String) -> PayrollFinding {
        PayrollFinding(code: code, severity: severity, workerKey: workerKey, workerName: workerName, message: message)
    }
}
