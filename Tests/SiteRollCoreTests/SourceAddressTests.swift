import SiteRollCore
import Testing

/// The source addresses of a platform-access application (issue 15 item 4, A1): typed by a
/// person, compared by the gateway with the connection's peer address in one canonical text.
@Suite("Source addresses")
struct SourceAddressTests {
    @Test(
        "canonical texts",
        arguments: [
            ("203.0.113.7", "203.0.113.7"), (" 10.1.2.3 ", "10.1.2.3"), ("2001:DB8::0:7", "2001:db8::7"),
            ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"), ("::1", "::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1"), ("fe80:0:0:0:0:0:0:1", "fe80::1"), ("1::", "1::"),
        ])
    func canonical(_ typed: String, _ expected: String) {
        guard case .success(let address) = SourceAddress.parse(typed) else {
            Issue.record("\(typed) should parse")
            return
        }
        #expect(address.text == expected)
    }

    @Test(
        "refusals name the line",
        arguments: [
            ("300.1.1.1", "不是有效的"), ("1.2.3", "不是有效的"), ("01.2.3.4", "不是有效的"), ("1.2.3.4.5", "不是有效的"),
            ("10.0.0.0/8", "不支持网段"), ("0.0.0.0", "未指定地址"), ("::", "未指定地址"), ("fe80::1%eth0", "区域标识"),
            ("1:2:3:4:5:6:7:8:9", "不是有效的"), ("1::2::3", "不是有效的"), ("12345::1", "不是有效的"), ("主机", "不是有效的"),
            ("1:2:3:4:5:6:7::8", "不是有效的"),
        ])
    func refused(_ typed: String, _ words: String) {
        guard case .failure(let problem) = SourceAddress.parse(typed) else {
            Issue.record("\(typed) should be refused")
            return
        }
        #expect(problem.message.contains(words) && problem.message.contains(typed))
    }

    @Test("a list: one per line or separated, duplicates dropped, stored comma-separated, at most 20")
    func list() {
        let list = SourceAddressList(parsing: "203.0.113.7\r\n2001:db8::7，203.0.113.7; 198.51.100.2\n")
        #expect(list.problems.isEmpty && list.stored == "203.0.113.7,2001:db8::7,198.51.100.2")
        let many = SourceAddressList(parsing: (1...21).map { "10.0.0.\($0)" }.joined(separator: "\n"))
        #expect(many.problems.contains { $0.contains("最多 20 个") })
        #expect(SourceAddressList(parsing: "  \n ").addresses.isEmpty)
        #expect(SourceAddress.parse("10.1.2.3").map(\.mappedIPv6) == .success("::ffff:10.1.2.3"))
    }
}
