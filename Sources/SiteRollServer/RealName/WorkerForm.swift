import Foundation
import SiteRollCore

/// The identity form shared by the phone registration and the enterprise's collection page: one
/// field list, shown one question per step on the phone and as a grid in the console.
struct WorkerForm {
    typealias Option = SelectOption

    struct Field {
        var index: Int
        var name: String
        var label: String
        var type = "text"
        var value = ""
        var placeholder = ""
        var hint = ""
        var inputmode = ""
        var maxlength = ""
        var error: String?
        var options: [Option] = []
        var isSelect = false
        var isFile = false
        var isInput = true
        var capture = ""
        var limit = 0
        var maxSide = 0
    }

    var action: String
    var csrf: String
    var stepwise: Bool
    var submitLabel: String
    var fields: [Field]
    var hasFaults: Bool
    var summary: String
    var faultList: [String]

    /// Builds the form, refilled from `values` (never images or passwords), with each refusal next
    /// to its field.
    init(action: String, csrf: String, selfRegistration: Bool, values: FormFields?, outcome: VerificationOutcome?) {
        self.action = action
        self.csrf = csrf
        self.stepwise = selfRegistration
        self.submitLabel = selfRegistration ? "提交实名核验" : "提交核验"
        func value(_ name: String) -> String { values?.text(name) ?? "" }
        var list: [Field] = [
            Field(index: 0, name: "name", label: "姓名", value: value("name"), placeholder: "与身份证一致", maxlength: "30"),
            Field(
                index: 0, name: "idNumber", label: "身份证号", value: value("idNumber"), placeholder: "18 位，末位可能是 X",
                maxlength: "18"),
            Field(
                index: 0, name: "gender", label: "性别",
                options: Gender.allCases.map {
                    Option(value: $0.nationalCode, label: $0.chineseName, selected: value("gender") == $0.nationalCode)
                },
                isSelect: true, isInput: false),
            Field(
                index: 0, name: "nation", label: "民族",
                options: CodeTable.nations.entries.map {
                    Option(
                        value: $0.code, label: $0.name,
                        selected: (value("nation").isEmpty ? "01" : value("nation")) == $0.code)
                }, isSelect: true, isInput: false),
            Field(
                index: 0, name: "birthDate", label: "出生日期", type: "date", value: value("birthDate"),
                hint: "输入身份证号后会自动填写"),
            Field(
                index: 0, name: "address", label: "住址", value: value("address"), placeholder: "身份证上的住址",
                maxlength: "200"),
            Field(
                index: 0, name: "issuingAuthority", label: "签发机关", value: value("issuingAuthority"),
                placeholder: "例如 成都市公安局锦江区分局", maxlength: "100"),
            Field(
                index: 0, name: "validity", label: "有效期限", value: value("validity"),
                placeholder: "2015.03.12-2035.03.12",
                hint: "按身份证背面填写；长期有效的写“开始日期-长期”", maxlength: "40"),
            Field(
                index: 0, name: "portrait", label: "本人正面照片", hint: "请在光线充足处正对镜头拍摄，照片会自动压缩到 50KB 以内",
                isInput: false, capture: "user", limit: ImageUpload.portraitLimit - 2048, maxSide: 480,
                isFileField: true),
            Field(
                index: 0, name: "idFront", label: "身份证人像面", hint: "拍摄身份证有照片的一面", isInput: false, capture: "environment",
                limit: 600 * 1024, maxSide: 1280, isFileField: true),
            Field(
                index: 0, name: "idBack", label: "身份证国徽面", hint: "拍摄身份证有国徽的一面", isInput: false, capture: "environment",
                limit: 600 * 1024, maxSide: 1280, isFileField: true),
        ]
        if selfRegistration {
            list.append(
                Field(
                    index: 0, name: "mobile", label: "手机号", type: "tel", value: value("mobile"), hint: "以后用手机号登录",
                    inputmode: "numeric", maxlength: "11"))
            list.append(
                Field(
                    index: 0, name: "password", label: "设置登录密码", type: "password", hint: "至少 8 位，须同时包含字母和数字",
                    maxlength: "128"))
        }
        let faults = outcome?.faults ?? []
        for index in list.indices {
            list[index].index = index
            list[index].error =
                faults.filter { $0.field == list[index].name }.map(\.message).joined(separator: "；").nilIfEmpty
        }
        fields = list
        hasFaults = !faults.isEmpty
        summary = outcome?.message ?? ""
        let known = Set(list.map(\.name))
        faultList = faults.filter { !known.contains($0.field) }.map(\.message)
    }
}

extension WorkerForm {
    /// Any field list in the same form layout (the enterprise registration uses it too).
    init(action: String, csrf: String, submitLabel: String, fields: [Field], outcome: VerificationOutcome?) {
        self.action = action
        self.csrf = csrf
        self.stepwise = false
        self.submitLabel = submitLabel
        let faults = outcome?.faults ?? []
        self.fields = fields.enumerated().map { index, field in
            var field = field
            field.index = index
            field.error = faults.filter { $0.field == field.name }.map(\.message).joined(separator: "；").nilIfEmpty
            return field
        }
        hasFaults = !faults.isEmpty
        summary = outcome?.message ?? ""
        let known = Set(fields.map(\.name))
        faultList = faults.filter { !known.contains($0.field) }.map(\.message)
    }
}

extension WorkerForm.Field {
    init(
        index: Int, name: String, label: String, hint: String, isInput: Bool, capture: String, limit: Int, maxSide: Int,
        isFileField: Bool
    ) {
        self.init(index: index, name: name, label: label)
        self.hint = hint
        self.isInput = isInput
        self.isFile = isFileField
        self.capture = capture
        self.limit = limit
        self.maxSide = maxSide
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension WorkerSubmission {
    /// The submission a form post describes; images arrive as Base64 prepared by worker-form.js.
    init(form: FormFields, selfRegistration: Bool) {
        func image(_ name: String) -> Data? {
            let text = form.text(name + "Data")
            guard !text.isEmpty else { return nil }
            return Data(base64Encoded: text, options: .ignoreUnknownCharacters) ?? Data([0])
        }
        self.init(
            name: form.text("name"), idNumber: form.text("idNumber"), gender: form.text("gender"),
            nation: form.text("nation"),
            birthDate: form.text("birthDate"), address: form.text("address"),
            issuingAuthority: form.text("issuingAuthority"),
            validity: form.text("validity"), portrait: image("portrait"), idFront: image("idFront"),
            idBack: image("idBack"),
            mobile: selfRegistration ? form.text("mobile") : nil, password: selfRegistration ? form["password"] : nil)
    }
}
