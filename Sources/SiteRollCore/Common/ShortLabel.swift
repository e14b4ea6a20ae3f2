/// Short forms for table cells (issue 14 item 1): a wide table fits when a bank, a card or an ID
/// number shows as people say it (`农信 …9190`, `…3377`), with the full masked value kept for the
/// row's detail and the exports. Pure functions; the full value is never lost, only not repeated.
public enum ShortLabel {
    /// The everyday abbreviations of banks, longest key first so that 中国农业发展银行 is not 农行.
    static let banks: [(String, String)] = [
        ("中国农业发展银行", "农发行"), ("国家开发银行", "国开行"), ("中国进出口银行", "进出口行"),
        ("中国邮政储蓄银行", "邮储"), ("中国工商银行", "工行"), ("中国农业银行", "农行"), ("中国建设银行", "建行"),
        ("中国银行", "中行"), ("交通银行", "交行"), ("招商银行", "招行"), ("中信银行", "中信"), ("中国光大银行", "光大"),
        ("华夏银行", "华夏"), ("中国民生银行", "民生"), ("广发银行", "广发"), ("平安银行", "平安"), ("兴业银行", "兴业"),
        ("上海浦东发展银行", "浦发"), ("浦发银行", "浦发"), ("恒丰银行", "恒丰"), ("浙商银行", "浙商"), ("渤海银行", "渤海"),
        ("农村信用合作联社", "农信"), ("农村信用社", "农信"), ("农村商业银行", "农商行"), ("农村合作银行", "农合行"),
        ("村镇银行", "村镇银行"), ("城市信用社", "城信社"),
    ]

    /// `四川省农村信用社` → `农信`; `成都银行` stays; anything else loses its company suffix and
    /// keeps at most six characters.
    public static func bank(_ name: String) -> String {
        let trimmed = name.trimmingSpaces
        for (key, short) in banks where trimmed.contains(key) { return short }
        let plain = company(trimmed)
        return plain.count <= 6 ? plain : String(plain.prefix(5)) + "…"
    }

    /// The last four characters of a masked card or ID number, after an ellipsis: `…9190`.
    public static func tail(_ masked: String) -> String {
        let characters = masked.filter { !$0.isWhitespace }
        guard characters.count > 4 else { return characters }
        return "…" + String(characters.suffix(4))
    }

    /// A card as a cell shows it: `农信 …9190`.
    public static func card(bank: String, masked: String) -> String {
        let short = bank.trimmingSpaces.isEmpty ? "" : Self.bank(bank) + " "
        return short + tail(masked)
    }

    /// An enterprise without its company form: `成都锦城劳务有限公司` → `成都锦城劳务`.
    public static func company(_ name: String) -> String {
        var text = name.trimmingSpaces
        // The longest form that matches is the company's form; a name that is nothing else stays.
        guard let suffix = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司"].first(where: text.hasSuffix) else {
            return text
        }
        let rest = String(text.dropLast(suffix.count))
        if rest.count >= 2 { text = rest }
        return text
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
