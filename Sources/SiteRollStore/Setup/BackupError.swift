import Foundation

/// Why a backup or a restore was refused or failed, said so that the operator knows what to do.
/// Nothing here carries a password, a key or a sealed value.
public enum BackupError: Error, Equatable, CustomStringConvertible {
    case nothingToBackUp(String)
    case keyDoesNotOpenData
    case fileExists(String)
    case cannotWrite(String)
    case cannotRead(String)
    case notABackup(String)
    case unsupportedVersion(String)
    case damaged(String)
    case wrongDatabaseKind(backup: String, target: String)
    case wrongKey(backup: String, configured: String)
    case newerSchema([String])
    case targetNotEmpty(location: String, tables: Int)
    case unreadableDatabaseURL
    case toolNotFound(String, key: String)
    case toolFailed(String, status: Int32, output: String)
    case sqliteInMemory
    case verificationFailed(String)

    public var description: String {
        switch self {
        case .nothingToBackUp(let location):
            return "\(location) 中没有 SiteRoll 的数据库结构，无可备份（请检查 --data-dir 或 --database-url）"
        case .keyDoesNotOpenData:
            return "所配置的数据加密密钥打不开本数据库中已加密的证件号：请使用服务进程所用的 DATA_KEY 或数据目录中的 data.key"
        case .fileExists(let path):
            return "备份文件 \(path) 已存在，不会覆盖：请换一个文件名"
        case .cannotWrite(let path):
            return "无法写入 \(path)：请检查目录是否存在、是否有写权限和剩余空间"
        case .cannotRead(let path):
            return "无法读取备份文件 \(path)"
        case .notABackup(let path):
            return "\(path) 不是 SiteRoll 备份文件"
        case .unsupportedVersion(let version):
            return "备份文件格式版本 \(version) 不受本版本 SiteRoll 支持"
        case .damaged(let path):
            return "备份文件 \(path) 已损坏（长度或 SHA-256 校验不符），未恢复任何数据"
        case .wrongDatabaseKind(let backup, let target):
            return "这是 \(Self.kindName(backup)) 的备份，目标却是 \(Self.kindName(target)) 数据库：请恢复到同类数据库"
        case .wrongKey(let backup, let configured):
            return
                "备份所用的数据加密密钥（指纹 \(backup)）与当前配置的密钥（指纹 \(configured)）不同：已加密的身份证号和银行卡号将无法解密。请设置备份时的 DATA_KEY，或把原数据目录中的 data.key 放入数据目录"
        case .newerSchema(let names):
            return "备份来自更新版本的 SiteRoll（含本版本不认识的数据库迁移 \(names.joined(separator: "、"))）：请先升级 SiteRoll"
        case .targetNotEmpty(let location, let tables):
            return "目标数据库 \(location) 不是空的（已有 \(tables) 张表）：只能恢复到空数据库，请新建一个空数据库或换一个数据目录"
        case .unreadableDatabaseURL:
            return "数据库地址无法解析：应为 postgres://用户:密码@主机:端口/数据库名"
        case .toolNotFound(let name, let key):
            return "找不到 \(name)：请安装 PostgreSQL 客户端工具，或用配置项 \(key) 指明其路径"
        case .toolFailed(let name, let status, let output):
            let detail = output.trimmingCharacters(in: .whitespacesAndNewlines).suffix(2000)
            return "\(name) 执行失败（退出码 \(status)）：\(detail)"
        case .sqliteInMemory:
            return "内存中的 SQLite 数据库无法备份或恢复"
        case .verificationFailed(let reason):
            return "恢复后的校验未通过：\(reason)"
        }
    }

    private static func kindName(_ kind: String) -> String {
        kind == DatabaseBackup.postgresKind ? "PostgreSQL" : "SQLite"
    }
}
