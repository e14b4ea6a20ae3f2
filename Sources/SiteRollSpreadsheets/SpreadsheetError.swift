/// Why an uploaded roster file could not be read. `code` is stable (logs, API clients, tests);
/// `message` is Simplified Chinese for the labour officer who uploaded the file and says what to do.
public struct SpreadsheetError: Error, Sendable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

extension SpreadsheetError {
    static func fileTooLarge(limit: Int) -> SpreadsheetError {
        SpreadsheetError(
            code: "SHEET_TOO_LARGE",
            message: "文件超过 \(megabytes(limit)) MB，无法导入。请删除无关的工作表、图片后重新保存，或拆分为多个文件分批上传")
    }

    /// One ZIP entry that would inflate past the limit: a damaged file or a deliberate "zip bomb".
    static func contentTooLarge(limit: Int) -> SpreadsheetError {
        SpreadsheetError(
            code: "SHEET_TOO_LARGE",
            message: "文件解压后的内容超过 \(megabytes(limit)) MB，无法导入。请确认文件中只有花名册数据，或拆分后分批上传")
    }

    /// All ZIP entries together would inflate past the limit.
    static func expandedTooLarge(limit: Int) -> SpreadsheetError {
        SpreadsheetError(
            code: "SHEET_EXPANDED_TOO_LARGE",
            message: "文件解压后的内容合计超过 \(megabytes(limit)) MB，无法导入。请删除无关的工作表、图片后重新保存，或拆分为多个文件分批上传")
    }

    static func tooManyEntries(limit: Int) -> SpreadsheetError {
        SpreadsheetError(
            code: "SHEET_TOO_MANY_ENTRIES",
            message: "文件内部包含的组成部分超过 \(limit) 个，不像是一份花名册，无法导入。请只保留花名册所在的工作表，另存为新的 .xlsx 文件后再上传")
    }

    /// Far more inflated than Excel or WPS ever compress: the shape of a zip bomb.
    static func compressionRatio(limit: Int) -> SpreadsheetError {
        SpreadsheetError(
            code: "SHEET_COMPRESSION_RATIO",
            message: "文件解压后的大小超过压缩时的 \(limit) 倍，不是 Excel 或 WPS 正常保存的文件，无法导入。请用 Excel 或 WPS 打开后重新另存为 .xlsx 再上传")
    }

    /// An entry inflates to another size than the ZIP directory declares: damaged, or built to mislead.
    static let sizeMismatch = SpreadsheetError(
        code: "SHEET_SIZE_MISMATCH",
        message: "文件内部记录的大小与实际内容不符，文件已损坏或被改动过，无法导入。请用 Excel 或 WPS 打开后重新另存为 .xlsx 再上传")

    static func tooManyCells(limit: Int) -> SpreadsheetError {
        SpreadsheetError(
            code: "SHEET_TOO_LARGE",
            message: "表格的单元格超过 \(limit) 个，无法导入。请删除多余的列，或拆分后分批上传")
    }

    static func tooManyRows(limit: Int) -> SpreadsheetError {
        SpreadsheetError(
            code: "SHEET_TOO_MANY_ROWS",
            message: "表格超过 \(limit) 行，无法一次导入。请拆分为多个文件分批上传")
    }

    static let legacyExcel = SpreadsheetError(
        code: "SHEET_LEGACY_XLS",
        message: "不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV")

    /// Office's "encrypt with password" wraps even an .xlsx in the same OLE2 container as an old .xls.
    static let encrypted = SpreadsheetError(
        code: "SHEET_ENCRYPTED",
        message: "文件设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再上传")

    static let encoding = SpreadsheetError(
        code: "SHEET_ENCODING",
        message: "无法识别 CSV 文件的文字编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 格式后再上传")

    static let empty = SpreadsheetError(
        code: "SHEET_EMPTY",
        message: "文件中没有数据，请检查是否选错了文件或工作表")

    static let notSpreadsheet = SpreadsheetError(
        code: "SHEET_UNREADABLE",
        message: "文件不是 Excel 表格（.xlsx）或 CSV 文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传")

    static let damagedWorkbook = SpreadsheetError(
        code: "SHEET_UNREADABLE",
        message: "Excel 文件已损坏或格式不正确，无法读取。请用 Excel 或 WPS 打开后重新另存为 .xlsx 再上传")

    static let noWorksheet = SpreadsheetError(
        code: "SHEET_UNREADABLE",
        message: "Excel 文件中没有可读取的工作表，请把花名册放在第一个工作表后重新保存")

    /// Many government and payroll systems export an HTML table or an Excel 2003 XML file named ".xls".
    static let disguisedSpreadsheet = SpreadsheetError(
        code: "SHEET_UNREADABLE",
        message: "文件实际是网页或 XML 格式，不是真正的 Excel 表格（常见于其他系统导出的 .xls）。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传")

    static func unterminatedQuote(line: Int) -> SpreadsheetError {
        SpreadsheetError(
            code: "SHEET_UNREADABLE",
            message: "CSV 文件第 \(line) 行的英文双引号没有成对出现，无法读取。请检查该行后重新保存")
    }

    private static func megabytes(_ bytes: Int) -> Int { bytes / (1024 * 1024) }
}
