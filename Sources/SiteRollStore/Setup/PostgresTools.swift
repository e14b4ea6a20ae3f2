import Foundation

/// `pg_dump` and `pg_restore`, run as child processes for backups of a PostgreSQL database.
///
/// The connection goes to the child through libpq's environment (`PGHOST`, `PGPORT`, `PGUSER`,
/// `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`), never its command line, which every local user can
/// read in the process list.
public struct PostgresTools: Sendable {
    /// Paths named by configuration (`backup.pg-dump`, `backup.pg-restore`); nil: looked for on
    /// `PATH`, then in the newest `/usr/lib/postgresql/*/bin` (Debian's layout).
    public var pgDump: String?
    public var pgRestore: String?

    public init(pgDump: String? = nil, pgRestore: String? = nil) {
        self.pgDump = pgDump.flatMap { $0.isEmpty ? nil : $0 }
        self.pgRestore = pgRestore.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Dumps the database at `url` into `file` in the custom format; returns the tool's version line.
    func dump(url: String, to file: String) async throws(BackupError) -> String {
        let tool = try locate("pg_dump", configured: pgDump, key: "backup.pg-dump")
        try await run(tool, ["--format=custom", "--no-password", "--file=\(file)"], url: url)
        return await version(of: tool)
    }

    /// Restores a custom-format `file` into the (empty) database at `url` in one transaction, so a
    /// failure leaves the database as empty as it was. Objects are owned by the restoring user and
    /// keep no grants: the backup may come from a server with other roles.
    func restore(url: String, from file: String) async throws(BackupError) {
        let tool = try locate("pg_restore", configured: pgRestore, key: "backup.pg-restore")
        let database = try Connection(url: url).database
        try await run(
            tool,
            [
                "--no-password", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
                "--dbname=\(database)", file,
            ],
            url: url)
    }

    func locate(_ name: String, configured: String?, key: String) throws(BackupError) -> String {
        let files = FileManager.default
        if let configured {
            guard files.isExecutableFile(atPath: configured) else { throw .toolNotFound(name, key: key) }
            return configured
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if files.isExecutableFile(atPath: candidate) { return candidate }
        }
        let versions = ((try? files.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for version in versions {
            let candidate = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if files.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .toolNotFound(name, key: key)
    }

    private func run(_ tool: String, _ arguments: [String], url: String) async throws(BackupError) {
        let connection = try Connection(url: url)
        let result: (status: Int32, errors: String)
        do {
            result = try await ChildProcess.run(tool, arguments, environment: connection.environment)
        } catch {
            throw .toolFailed(URL(fileURLWithPath: tool).lastPathComponent, status: -1, output: "\(error)")
        }
        guard result.status == 0 else {
            throw .toolFailed(
                URL(fileURLWithPath: tool).lastPathComponent, status: result.status, output: result.errors)
        }
    }

    private func version(of tool: String) async -> String {
        let output = try? await ChildProcess.run(tool, ["--version"], environment: [:], captureOutput: true)
        return output?.errors.trimmingCharacters(in: .whitespacesAndNewlines) ?? tool
    }

    /// The parts of a `postgres://user:pass@host:port/db?sslmode=…` URL that libpq reads from
    /// its environment.
    struct Connection {
        var database: String
        var environment: [String: String]

        init(url: String) throws(BackupError) {
            guard let components = URLComponents(string: url), let host = components.host,
                components.path.count > 1
            else { throw .unreadableDatabaseURL }
            database = String(components.path.dropFirst())
            var environment = ProcessInfo.processInfo.environment
            // A service file or a connection string from the operator's shell must not redirect the tool.
            for name in ["PGSERVICE", "PGSERVICEFILE", "PGOPTIONS", "PGHOSTADDR"] { environment[name] = nil }
            environment["PGHOST"] = host
            environment["PGPORT"] = String(components.port ?? 5432)
            environment["PGDATABASE"] = database
            environment["PGUSER"] = components.user
            environment["PGPASSWORD"] = components.password
            if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value {
                environment["PGSSLMODE"] = mode
            }
            self.environment = environment
        }
    }
}

/// A child process whose standard error is collected (and, when asked, standard output with it).
enum ChildProcess {
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], captureOutput: Bool = false
    ) async throws -> (status: Int32, errors: String) {
        try await withCheckedThrowingContinuation { continuation in
            // Process's wait blocks a thread: keep it off Swift's cooperative pool.
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                if !environment.isEmpty { process.environment = environment }
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = captureOutput ? errors : FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let text = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: text, as: UTF8.self)))
            }
        }
    }
}
