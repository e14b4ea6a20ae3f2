import Foundation
import VaporCSQLite

/// Copies one SQLite database file into another with SQLite's online backup API
/// (`sqlite3_backup_init/step/finish`), called through sqlite-nio's vendored C library.
///
/// Why the backup API and not a file copy or `VACUUM INTO`: a file copy of a database in WAL mode
/// misses what is still in the `-wal` file and can tear while the server writes; the backup API
/// copies every page under one read transaction, so the copy is a consistent snapshot while the
/// server keeps writing (WAL readers never block the writer). `VACUUM INTO` would do as well, but
/// it rebuilds the file through SQL on the server's own connection; the backup API needs no
/// connection of FluentKit's and works the same for backup and restore. sqlite-nio keeps its
/// `sqlite3*` handle internal, so this opens its own handles on the same library (the
/// `VaporCSQLite` module, sqlite-nio's C target, prefixes every symbol with `sqlite_nio_`).
enum SQLiteFileCopy {
    struct Failure: Error, CustomStringConvertible {
        var step: String
        var message: String
        var description: String { "SQLite \(step)：\(message)" }
    }

    /// Copies `source` (which must exist) into `destination` (created if missing, overwritten if
    /// present), then turns the destination's journal off WAL so that it is one self-contained file.
    /// Runs on a thread of its own: the C calls block.
    static func copy(from source: String, to destination: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                do {
                    try copyBlocking(from: source, to: destination)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// The SQLite library's version, for the backup's manifest.
    static var libraryVersion: String { String(cString: sqlite_nio_sqlite3_libversion()) }

    private static func copyBlocking(from source: String, to destination: String) throws {
        // The source is opened read-write without create: a WAL reader may need to write the
        // `-shm` index, and a missing file must fail rather than be created empty.
        let sourceHandle = try open(source, flags: SQLITE_OPEN_READWRITE)
        defer { sqlite_nio_sqlite3_close_v2(sourceHandle) }
        let destinationHandle = try open(destination, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        defer { sqlite_nio_sqlite3_close_v2(destinationHandle) }
        sqlite_nio_sqlite3_busy_timeout(sourceHandle, 10_000)
        sqlite_nio_sqlite3_busy_timeout(destinationHandle, 10_000)

        guard let backup = sqlite_nio_sqlite3_backup_init(destinationHandle, "main", sourceHandle, "main") else {
            throw Failure(step: "backup_init", message: errorMessage(destinationHandle))
        }
        // One step over all pages: the source's read transaction spans the whole copy, so the
        // copy is one snapshot. Busy or locked (a checkpoint in progress) is retried briefly.
        var status = SQLITE_OK
        for attempt in 0..<50 {
            status = sqlite_nio_sqlite3_backup_step(backup, -1)
            guard status == SQLITE_BUSY || status == SQLITE_LOCKED else { break }
            usleep(UInt32(100_000 + attempt * 20_000))
        }
        let finished = sqlite_nio_sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE, finished == SQLITE_OK else {
            let code = status == SQLITE_DONE ? finished : status
            throw Failure(step: "backup_step", message: String(cString: sqlite_nio_sqlite3_errstr(code)))
        }
        guard sqlite_nio_sqlite3_exec(destinationHandle, "PRAGMA journal_mode=DELETE", nil, nil, nil) == SQLITE_OK
        else {
            throw Failure(step: "journal_mode", message: errorMessage(destinationHandle))
        }
    }

    private static func open(_ path: String, flags: Int32) throws -> OpaquePointer {
        var handle: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map(errorMessage) ?? String(cString: sqlite_nio_sqlite3_errstr(status))
            sqlite_nio_sqlite3_close_v2(handle)
            throw Failure(step: "open \(path)", message: message)
        }
        return handle
    }

    private static func errorMessage(_ handle: OpaquePointer) -> String {
        sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error"
    }
}
