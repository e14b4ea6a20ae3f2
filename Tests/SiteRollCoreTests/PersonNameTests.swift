import Testing

@testable import SiteRollCore

/// M1: a name as the identity card prints it, the same rule in the browser and on the server.
@Suite("Person names")
struct PersonNameTests {
    @Test(
        "2–30 Chinese characters, with · between the parts of a transcribed name",
        arguments: [
            ("张三", true), (" 吴晓东 ", true), ("买买提·艾力", true), ("阿依古丽・买买提", true), ("𠀋一", true),
            ("", false), ("张", false), ("Zhang San", false), ("张三1", false), ("·张三", false), ("张三·", false),
            ("张 三", false), (String(repeating: "张", count: 31), false), (String(repeating: "张", count: 30), true),
        ] as [(String, Bool)])
    func names(text: String, valid: Bool) {
        #expect((PersonName.problem(text) == nil) == valid)
    }
}
