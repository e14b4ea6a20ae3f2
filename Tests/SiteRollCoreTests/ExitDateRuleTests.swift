import Testing

@testable import SiteRollCore

/// The exit dates of participating units and teams (standards.md b.6 entry/exit rules), written
/// once for both (issue 13 item 5).
@Suite("Exit date rules")
struct ExitDateRuleTests {
    static func day(_ text: String) -> LocalDate {
        LocalDate(text)!
    }

    static let today = day("2027-03-10")

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var subject: ExitingSubject
        var date: LocalDate
        var entry: LocalDate?
        var expected: [ExitDateRefusal]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "today, no entry recorded", subject: .unit, date: today, entry: nil, expected: []),
        Case(name: "on the entry day", subject: .team, date: day("2027-01-05"), entry: day("2027-01-05"), expected: []),
        Case(
            name: "tomorrow", subject: .unit, date: day("2027-03-11"), entry: day("2027-01-05"),
            expected: [.inFuture(.unit)]),
        Case(
            name: "before the unit's entry", subject: .unit, date: day("2027-01-04"), entry: day("2027-01-05"),
            expected: [.beforeEntry(.unit, entry: day("2027-01-05"))]),
        Case(
            name: "before the team's entry", subject: .team, date: day("2027-01-04"), entry: day("2027-01-05"),
            expected: [.beforeEntry(.team, entry: day("2027-01-05"))]),
        Case(
            name: "in the future and before an entry further ahead", subject: .team, date: day("2027-04-01"),
            entry: day("2027-05-01"), expected: [.inFuture(.team), .beforeEntry(.team, entry: day("2027-05-01"))]),
    ]

    @Test("the date's own faults", arguments: cases)
    func refusals(_ example: Case) {
        #expect(
            ExitDateRules.refusals(example.date, of: example.subject, entry: example.entry, today: Self.today)
                == example.expected)
    }

    @Test("workers on site leave on the same date, so it may not precede their latest entry")
    func workersOnSite() {
        let date = Self.day("2027-02-01")
        #expect(ExitDateRules.refusal(date, of: .unit, latestWorkerEntry: nil) == nil)
        #expect(ExitDateRules.refusal(date, of: .unit, latestWorkerEntry: date) == nil)
        #expect(ExitDateRules.refusal(date, of: .team, latestWorkerEntry: Self.day("2027-01-31")) == nil)
        #expect(
            ExitDateRules.refusal(date, of: .team, latestWorkerEntry: Self.day("2027-02-02"))
                == .beforeWorkerEntry(.team, latest: Self.day("2027-02-02")))
    }

    @Test("codes and messages stay as the forms show them")
    func words() {
        let entry = Self.day("2027-01-05")
        let table: [(ExitDateRefusal, String, String)] = [
            (.inFuture(.unit), "UNIT_EXIT_DATE", "退场日期不能晚于今天"),
            (.inFuture(.team), "TEAM_EXIT_DATE", "退场日期不能晚于今天"),
            (.beforeEntry(.unit, entry: entry), "UNIT_EXIT_DATE", "退场日期不能早于该单位的进场日期 2027-01-05"),
            (.beforeEntry(.team, entry: entry), "TEAM_EXIT_DATE", "退场日期不能早于该班组的进场日期 2027-01-05"),
            (
                .beforeWorkerEntry(.unit, latest: entry), "UNIT_EXIT_DATE",
                "退场日期不能早于本单位在场工人的最近进场日期 2027-01-05"
            ),
            (
                .beforeWorkerEntry(.team, latest: entry), "TEAM_EXIT_DATE",
                "退场日期不能早于班组在场工人的最近进场日期 2027-01-05"
            ),
        ]
        for (refusal, code, message) in table {
            #expect(refusal.code == code)
            #expect(refusal.message == message)
        }
    }
}
