/// Every method of the national open interface (reference b.5), grouped by object with the
/// Chinese words the consoles show: the one list an application's checkboxes, its validation and
/// the review page read. Whether SiteRoll answers a method yet is the gateway's business, not
/// this list's: an app may be granted a method before the platform offers it.
public enum NationalMethodCatalog {
    public struct Method: Sendable, Hashable {
        /// `Object.Action`, as the `method` form field carries it.
        public var name: String
        public var label: String
        /// Answered with a `requestSerialCode` (b.4).
        public var isAsynchronous: Bool
    }

    public struct Group: Sendable {
        public var object: String
        public var label: String
        public var methods: [Method]
    }

    private static func group(_ object: String, _ label: String, _ methods: [(String, String, Bool)]) -> Group {
        Group(
            object: object, label: label,
            methods: methods.map { Method(name: object + "." + $0.0, label: $0.1, isAsynchronous: $0.2) })
    }

    /// The methods an application can ask for, by object, in the order of b.5.
    public static let groups: [Group] = [
        group("Corp", "企业", [("Upload", "上传企业信息", true), ("Query", "查询企业信息", false)]),
        group("CorpCredential", "企业资质", [("Query", "查询企业资质", false)]),
        group(
            "Project", "项目",
            [
                ("Add", "上传项目", true), ("Update", "更新项目", true), ("PartUpdate", "部分更新项目", true),
                ("Query", "查询项目", false),
            ]),
        group(
            "ProjectSubContractor", "参建单位",
            [("Add", "上传参建单位", true), ("Update", "更新参建单位", true), ("Query", "查询参建单位", false)]),
        group("Team", "班组", [("Add", "上传班组", true), ("Update", "更新班组", true), ("Query", "查询班组", false)]),
        group(
            "ProjectWorker", "项目工人",
            [("Add", "上传项目工人", true), ("Update", "更新项目工人", true), ("Query", "查询项目工人", false)]),
        group("WorkerEntryExit", "进退场", [("Add", "上传进退场记录", true), ("Query", "查询进退场记录", false)]),
        group("WorkerContract", "劳动合同", [("Add", "上传劳动合同", true), ("Query", "查询劳动合同", false)]),
        group("WorkerAttendance", "考勤", [("Add", "上传考勤记录", true), ("Query", "查询考勤记录", false)]),
        group("Payroll", "工资", [("Add", "上传工资单", true), ("Query", "查询工资单", false)]),
        group("ProjectTraining", "培训", [("Add", "上传项目培训", true), ("Query", "查询项目培训", false)]),
        group("Worker", "工人", [("Query", "查询工人信息", false)]),
        group("WorkerCredential", "工人证书", [("Query", "查询工人证书", false)]),
        group(
            "Credit", "诚信记录",
            [
                ("CorpBadRecord.Query", "企业不良记录", false), ("CorpGoodRecord.Query", "企业良好记录", false),
                ("CorpBlackList.Query", "企业黑名单", false), ("WorkerBadRecord.Query", "工人不良记录", false),
                ("WorkerGoodRecord.Query", "工人良好记录", false), ("WorkerBlackList.Query", "工人黑名单", false),
            ]
        ).creditNames,
    ]

    /// Granted to every app without asking: testing the credentials and reading the result of
    /// one's own asynchronous writes.
    public static let always: [Method] = [
        Method(name: "CheckSign.Query", label: "验证签名", isAsynchronous: false),
        Method(name: "AsyncHandleResult.Query", label: "查询异步处理结果", isAsynchronous: false),
    ]

    public static let all: [Method] = groups.flatMap(\.methods) + always

    /// The method of that name, or nil.
    public static func method(named name: String) -> Method? { all.first { $0.name == name } }

    /// `Corp.Query` → 查询企业信息; an unknown name as it is.
    public static func label(of name: String) -> String { method(named: name)?.label ?? name }
}

extension NationalMethodCatalog.Group {
    /// The credit queries are objects of their own (`CorpBadRecord.Query` …); the group only gathers them.
    fileprivate var creditNames: NationalMethodCatalog.Group {
        var group = self
        group.methods = methods.map { method in
            var method = method
            method.name = String(method.name.dropFirst(object.count + 1))
            return method
        }
        return group
    }
}
