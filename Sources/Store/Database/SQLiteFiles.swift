#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of an SQLite database — the database, its WAL, its shared-memory index and a rollback
/// journal — readable and writable by the node's own user only (0600).
///
/// SQLite creates the `-wal`, `-shm` and `-journal` files with the database file's own mode, so
/// creating the database 0600 is what keeps them private; a process-wide umask would also do it,
/// but it would change the mode of every other file the process writes, from any thread. Files
/// left wider by an older version are narrowed when the store opens them.
enum SQLiteFiles {
    /// The mode of every file of the database.
    static let mode: mode_t = 0o600

    /// The suffixes SQLite appends to the database path for its companion files.
    static let companionSuffixes = ["-wal", "-shm", "-journal"]

    /// Creates the database file 0600 when it does not exist yet, and takes the group's and
    /// others' permissions off any existing file of the database. Blocking: call it off the
    /// cooperative pool.
    static func restrictAccess(database path: String) throws(StoreError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw StoreError(code: .storeUnavailable, message: "cannot create the database file: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        for file in [path] + companionSuffixes.map({ path + $0 }) {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, status.st_mode & 0o700) == 0 else {
                throw StoreError(
                    code: .storeUnavailable,
                    message: "cannot make a database file private to its owner: \(String(cString: strerror(errno)))"
                )
            }
        }
    }
}
