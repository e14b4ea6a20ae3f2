import SiteRollCore
import Testing

/// Issue 14 item 1: the short forms table cells use; the full masked value stays in the row's
/// detail and the exports.
@Suite("Short labels for table cells")
struct ShortLabelTests {
    @Test(
        "banks as people say them",
        arguments: [
            ("四川省农村信用社", "农信"), ("中国工商银行成都春熙支行", "工行"), ("中国农业发展银行", "农发行"), ("中国农业银行", "农行"),
            ("中国邮政储蓄银行", "邮储"), ("成都银行", "成都银行"), ("四川天府银行股份有限公司", "四川天府银行"), ("凉山州某某县农业发展股份有限公司", "凉山州某某…"),
            ("成都农村商业银行", "农商行"), ("  中国建设银行 ", "建行"),
        ])
    func banks(name: String, expected: String) {
        #expect(ShortLabel.bank(name) == expected)
    }

    @Test("cards and ID numbers keep their last four characters")
    func tails() {
        #expect(ShortLabel.card(bank: "四川省农村信用社", masked: "6217 **** **** 9190") == "农信 …9190")
        #expect(ShortLabel.card(bank: "", masked: "6217********9190") == "…9190")
        #expect(ShortLabel.tail("510122********337X") == "…337X")
        #expect(ShortLabel.tail("123") == "123")
    }

    @Test("enterprises without their company form, never emptied")
    func companies() {
        #expect(ShortLabel.company("成都锦城劳务有限公司") == "成都锦城劳务")
        #expect(ShortLabel.company("四川蜀建建设工程股份有限公司") == "四川蜀建建设工程")
        #expect(ShortLabel.company("有限公司") == "有限公司")
        #expect(ShortLabel.company("某公司") == "某公司")
    }
}
