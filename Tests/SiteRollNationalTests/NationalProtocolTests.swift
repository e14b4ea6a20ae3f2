import Foundation
import SiteRollNational
import Testing

/// Issue 15 item 6 (G9, S3): the national interface's signature and AES fields, byte for byte
/// against the worked examples of the reference (b.2, b.3), and what deployed clients send (b.4a).
@Suite("National interface: signature and AES fields")
struct NationalProtocolTests {
    static let secret = "0123456789abcdefFEDCBA9876543210"
    static let example: [String: String] = [
        "appid": "demoappid001", "data": #"{"pageIndex":0,"pageSize":10,"projectCode":"demoappid001"}"#,
        "format": "json", "method": "Project.Query", "nonce": "a1b2c3d4e5", "timestamp": "20240102030405",
        "version": "1.0",
    ]

    @Test("b.2: the worked example's sign string and sign, byte for byte")
    func workedSignature() {
        #expect(
            NationalSignature.signingString(Self.example, secret: Self.secret)
                == #"appid=demoappid001&data={"pageIndex":0,"pageSize":10,"projectCode":"demoappid001"}&format=json&method=Project.Query&nonce=a1b2c3d4e5&timestamp=20240102030405&version=1.0&appsecret=0123456789abcdefFEDCBA9876543210"#
        )
        #expect(
            NationalSignature.sign(Self.example, secret: Self.secret)
                == "1bb794fe196cee9c0c5250e6fc019511a89086b8ab5daa14e7bf41919a8f6c98")
        var posted = Self.example
        posted["sign"] = "1BB794FE196CEE9C0C5250E6FC019511A89086B8AB5DAA14E7BF41919A8F6C98"
        #expect(NationalSignature.verify(posted, secret: Self.secret), "hex case does not matter")
        posted["data"] = #"{"pageIndex":1,"pageSize":10,"projectCode":"demoappid001"}"#
        #expect(!NationalSignature.verify(posted, secret: Self.secret), "a changed payload fails")
    }

    @Test("b.4a: a posted appsecret stays out of the sign string; a posted corpsign is in it, after appid")
    func vendorQuirks() {
        var withSecret = Self.example
        withSecret["appsecret"] = Self.secret
        #expect(
            NationalSignature.sign(withSecret, secret: Self.secret)
                == NationalSignature.sign(Self.example, secret: Self.secret))
        var withCorp = Self.example
        withCorp["corpsign"] = "abc"
        #expect(
            NationalSignature.signingString(withCorp, secret: Self.secret).hasPrefix(
                "appid=demoappid001&corpsign=abc&data="))
        var unsigned = Self.example
        unsigned["sign"] = "short"
        #expect(!NationalSignature.verify(unsigned, secret: Self.secret))
    }

    @Test("b.3: the worked example encrypts to the reference's Base64 and back")
    func workedCipher() throws {
        let sealed = try NationalFieldCipher.encrypt("11010519491231002X", secret: Self.secret)
        #expect(sealed == "69tji3W8zjYG0wK80b6ZK80Z7cRtSgSueebtJ+r8v9A=")
        #expect(try NationalFieldCipher.decrypt(sealed, secret: Self.secret) == "11010519491231002X")
    }

    @Test("b.4a: a value sealed under another secret, or not a ciphertext at all, fails as a value error")
    func foreignCiphertext() throws {
        let other = "ffffffffffffffffffffffffffffffff"
        let sealed = try NationalFieldCipher.encrypt("11010519491231002X", secret: other)
        #expect(throws: NationalFieldCipher.Failure.wrongSecret) {
            _ = try NationalFieldCipher.decrypt(sealed, secret: Self.secret)
        }
        #expect(throws: NationalFieldCipher.Failure.notCiphertext) {
            _ = try NationalFieldCipher.decrypt("not base64!", secret: Self.secret)
        }
        #expect(throws: NationalFieldCipher.Failure.unusableSecret) {
            _ = try NationalFieldCipher.encrypt("x", secret: "short")
        }
    }

    @Test("timestamps are fourteen digits of a real moment in Beijing time; serials follow the national pattern")
    func timestampsAndSerials() throws {
        let date = try #require(NationalTimestamp.parse("20240102030405"))
        #expect(NationalTimestamp.format(date) == "20240102030405")
        #expect(date.timeIntervalSince1970 == 1_704_135_845)
        for bad in ["2024010203040", "20241302030405", "20240230030405", "2024010203040x", "19990102030405", ""] {
            #expect(NationalTimestamp.parse(bad) == nil, "\(bad)")
        }
        #expect(
            NationalSerial.make(method: "ProjectWorker.Add", at: date, node: 1, sequence: 2710)
                == "projectworker-add-2024010203-1-2710")
        #expect(NationalCode.signatureFailed.rawValue == -2 && NationalCode.otherError.rawValue == 9999)
    }
}
