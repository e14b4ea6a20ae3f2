/// How long attendance must be kept (建市〔2019〕18号 R7, standards.md d.1 and d.5 [I]): electronic attendance
/// records and their images for at least two years.
///
/// SiteRoll never deletes punches or their photos anyway: they are the evidence in wage disputes, which can
/// surface long after the work. This is the legal minimum, for an operator who must decide what an archive
/// may drop, not a schedule SiteRoll runs.
public enum RetentionRule {
    /// Years that attendance records and images are kept at least.
    public static let attendanceYears = 2

    /// Whether a punch of `punchDate` is older than the retention period on `today`: from the day after
    /// its second anniversary. As periods count in civil law (民法典 arts. 201–202 [I]), a punch of
    /// 29 February is kept through 28 February two years later.
    public static func mayPurge(punchDate: LocalDate, today: LocalDate) -> Bool {
        guard let kept = punchDate.adding(years: attendanceYears) else { return false }
        return kept < today
    }
}
