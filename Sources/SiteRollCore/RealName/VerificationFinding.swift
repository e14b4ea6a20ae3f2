/// One thing a real-name check found: a fault that refuses the submission or a warning that lets it
/// through but must be shown. Issue 3 asks that a failing submission receives every reason at once, in
/// Chinese; the stable `code` is what clients and tests match on, the message is what a person reads.
///
/// Messages never contain a full identity number (S2): at most the six-digit address code, which the
/// masked form (`510104********1234`) shows anyway. Associated values follow the same rule, so that
/// logging a finding cannot leak the number either.
public protocol VerificationFinding: Sendable {
    /// Upper-case, stable, e.g. `ID_NUMBER_CHECK_DIGIT`. Never renamed once published.
    var code: String { get }
    /// Simplified Chinese, saying what to fix.
    var chineseMessage: String { get }
}
