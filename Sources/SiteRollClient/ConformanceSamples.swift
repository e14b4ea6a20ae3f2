import Foundation
import SiteRollCore

/// Made-up but well-formed data for the conformance run: every code carries a correct check
/// character (computed by SiteRollCore's validators, so the kit and the platform agree), so a
/// platform that validates as the national one does accepts it. None of it is a real person or firm.
public enum ConformanceSamples {
    /// Chengdu, Jinjiang district (GB/T 2260, standards.md c.28): a Sichuan ID and credit-code prefix.
    public static let division = "510104"

    /// An 18-digit citizen ID number (GB 11643, standards.md e.1) born in `division` on `birthDate`
    /// (`yyyyMMdd`), with a random sequence number.
    public static func citizenID<G: RandomNumberGenerator>(birthDate: String, using generator: inout G) -> String {
        let sequence = String(format: "%03d", Int.random(in: 1...999, using: &generator))
        let body = division + birthDate + sequence
        return body + String(IdentityNumber.checkCharacter(forFirst17: body) ?? "0")
    }

    /// A birth date (`yyyyMMdd`) that makes the worker 30 to 45 years old on `today`, a day inside
    /// that range so that no birthday edge makes them 29 or 46.
    public static func birthDate<G: RandomNumberGenerator>(today: Date, using generator: inout G) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let youngest = calendar.date(byAdding: .year, value: -31, to: today) ?? today
        let born = youngest.addingTimeInterval(-Double(Int.random(in: 0..<(13 * 365), using: &generator)) * 86_400)
        let parts = calendar.dateComponents([.year, .month, .day], from: born)
        return String(format: "%04d%02d%02d", parts.year ?? 1990, parts.month ?? 1, parts.day ?? 1)
    }

    /// A unified social credit code (GB 32100, standards.md e.2) of an enterprise (`91`) registered
    /// in `division`, whose positions 9–17 are a valid organisation code (GB 11714).
    public static func creditCode<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let digits = (0..<8).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
        let organisation = digits + String(OrganisationCode.checkCharacter(forFirst8: digits) ?? "0")
        let body = "91" + division + organisation
        return body + String(CreditCode.checkCharacter(forFirst17: body) ?? "0")
    }

    /// Characters common in given names, for `测试工人` + two of them.
    static let nameCharacters = Array("伟强磊军勇杰涛明超华平刚林波辉鹏建国成志文斌宇浩凯")

    public static func workerName<G: RandomNumberGenerator>(using generator: inout G) -> String {
        "测试工人" + String((0..<2).map { _ in nameCharacters.randomElement(using: &generator) ?? "明" })
    }

    /// A mobile number: 11 digits starting with 13 (standards.md e.4).
    public static func mobile<G: RandomNumberGenerator>(using generator: inout G) -> String {
        "13" + (0..<9).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
    }

    /// A 19-digit bank card number under an ICBC prefix whose last digit is the Luhn check digit.
    public static func bankCard<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let body = "622202" + (0..<12).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
        return body + String(luhnCheckDigit(body))
    }

    /// The Luhn check digit for `body` (digits only).
    public static func luhnCheckDigit(_ body: String) -> Int {
        let sum = body.compactMap(\.wholeNumberValue).reversed().enumerated().reduce(0) { total, item in
            let doubled = item.offset % 2 == 0 ? item.element * 2 : item.element
            return total + (doubled > 9 ? doubled - 9 : doubled)
        }
        return (10 - sum % 10) % 10
    }

    /// Random letters and digits, for names and numbers that must not repeat between runs.
    public static func suffix<G: RandomNumberGenerator>(_ count: Int, using generator: inout G) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator) ?? "A" })
    }

    /// A valid baseline JPEG of 8 × 8 mid-grey pixels (159 bytes), for `headImage` and attachments
    /// (b.4: Base64, at most 50 KB, jpg/jpeg/png). Written out marker by marker rather than embedded
    /// from a file: quantisation all 1, one Huffman code per table (DC difference 0, AC end of block),
    /// so the scan is the two bits `00` padded with ones.
    public static let jpeg: Data = {
        var bytes: [UInt8] = [0xFF, 0xD8]  // SOI
        bytes += [0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01]
        bytes += [0x00, 0x00]  // APP0 JFIF 1.1, 1:1, no thumbnail
        bytes += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)  // DQT 0
        bytes += [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00]  // SOF0 8×8 grey
        let oneCode = [0x01] + [UInt8](repeating: 0, count: 15) + [0x00]  // one code of length 1: symbol 0
        bytes += [0xFF, 0xC4, 0x00, 0x14, 0x00] + oneCode  // DHT DC 0
        bytes += [0xFF, 0xC4, 0x00, 0x14, 0x10] + oneCode  // DHT AC 0
        bytes += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]  // SOS
        bytes += [0x3F]  // DC diff 0 (code 0), EOB (code 0), padding 1s
        bytes += [0xFF, 0xD9]  // EOI
        return Data(bytes)
    }()
}
