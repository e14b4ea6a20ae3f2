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
        /// A photo kept across a refusal: the shrunk image's Base64, and the preview's data URL.
        var data = ""
        var preview = ""
        var kept = false
    }

    /// One refusal in the summary at the top, pointing at its step.
    struct Fault {
        var message: String
        var label: String
        var field: String
        var step: Int
        var hasStep: Bool
    }

    /// The limits the browser checks before 下一步 (`worker-form.js`), rendered from the rules the
    /// server applies so that the two agree: the name's length, the age policy of the platform's
    /// division, today in China, the password policy, and where the ID step asks about duplicates.
    struct Rules {
        var nameMin = PersonName.minimumLength
        var nameMax = PersonName.maximumLength
        var minAge: Int
        var maxAge: String
        var today: String
        var passwordMin = PasswordPolicy().minimumLength
        var passwordMax = PasswordPolicy().maximumLength
        var checkURL: String

        init(age: AgePolicy, today: LocalDate, checkURL: String) {
            minAge = age.minimumAge
            maxAge = age.maximumAge.map(String.init) ?? ""
            self.today = today.description
            self.checkURL = checkURL
        }
    }

    var action: String
    var csrf: String
    var stepwise: Bool
    var submitLabel: String
    var fields: [Field]
    var hasFaults: Bool
    var summary: String
    var faults: [Fault]
    var rules: Rules?

    /// Builds the form, refilled from `values` (photos that passed included, never the password),
    /// with every refusal in the summary and next to its field.
    init(
        action: String, csrf: String, selfRegistration: Bool, values: FormFields?, outcome: VerificationOutcome?,
        rules: Rules? = nil
    ) {
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
        for index in list.indices where list[index].isFile {
            list[index].keep(values?.text(list[index].name + "Data") ?? "")
        }
        self.init(action: action, csrf: csrf, stepwise: selfRegistration, fields: list, outcome: outcome)
        self.rules = rules
    }
}

extension WorkerForm {
    /// Any field list in the same form layout (the enterprise registration uses it too).
    init(action: String, csrf: String, submitLabel: String, fields: [Field], outcome: VerificationOutcome?) {
        self.init(action: action, csrf: csrf, stepwise: false, fields: fields, outcome: outcome)
        self.submitLabel = submitLabel
    }

    /// Numbers the steps and sets every refusal beside its field (a photo refused is not kept) and
    /// in the summary, in the order of the steps, each pointing at its step.
    private init(action: String, csrf: String, stepwise: Bool, fields: [Field], outcome: VerificationOutcome?) {
        self.action = action
        self.csrf = csrf
        self.stepwise = stepwise
        self.submitLabel = stepwise ? "提交实名核验" : "提交核验"
        let found = outcome?.faults ?? []
        var list = fields
        for index in list.indices {
            list[index].index = index
            list[index].error =
                found.filter { $0.field == list[index].name }.map(\.message).joined(separator: "；").nilIfEmpty
            if list[index].error != nil {
                list[index].data = ""
                list[index].preview = ""
                list[index].kept = false
            }
        }
        self.fields = list
        let steps = Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        faults = found.map { fault in
            let field = steps[fault.field]
            return Fault(
                message: fault.message, label: field?.label ?? "", field: field == nil ? "" : fault.field,
                step: field?.index ?? -1, hasStep: field != nil)
        }
        .sorted { ($0.step < 0 ? Int.max : $0.step) < ($1.step < 0 ? Int.max : $1.step) }
        hasFaults = !found.isEmpty
        summary =
            found.count > 1 ? "\(outcome?.message ?? "")（共 \(found.count) 处，点击可直接修改）" : outcome?.message ?? ""
        rules = nil
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

extension WorkerForm.Field {
    /// Keeps a photo the browser already shrank, when it is one the server accepts: the person
    /// need not take it again after a refusal for another field.
    mutating func keep(_ base64: String) {
        guard !base64.isEmpty, let bytes = Data(base64Encoded: base64, options: .ignoreUnknownCharacters),
            let type = ImageUpload.contentType(of: bytes), bytes.count <= limit + 2048
        else { return }
        data = bytes.base64EncodedString()
        kept = true
        preview = "data:\(type);base64,\(data)"
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
