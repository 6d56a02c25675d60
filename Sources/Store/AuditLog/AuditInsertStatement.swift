import GRDB
import GRDBSQLite

/// An INSERT run many times per audit append, bound and stepped through SQLite's C API.
///
/// GRDB prepares and caches the statement; binding through `StatementArguments` boxes every
/// value and was about a sixth of an append's CPU, so the audit rows (one per entry, about one
/// tree node per entry) bind their values directly. Only these INSERTs use the statements, which
/// are reset and cleared after every step, so GRDB finds them as it left them.
struct AuditInsertStatement {
    private let db: Database
    private let statement: Statement
    private let sql: String

    /// Prepares (or takes from GRDB's cache) `sql` on the connection of `db`.
    init(_ db: Database, sql: String) throws {
        self.db = db
        self.sql = sql
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds parameters through `bind` (1-based, as SQLite counts), then runs the statement once.
    /// Values bound with `bind(_:_:)` are copied; bytes bound with `bind(_:text:)` are read in
    /// place and must stay valid until `execute` returns.
    func execute(_ bind: (inout Binder) throws -> Void) throws {
        let handle = statement.sqliteStatement
        var binder = Binder(handle: handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bind(&binder)
        guard binder.failure == SQLITE_OK else { throw error(binder.failure) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }

    /// Binds values to the statement's parameters; the first failure is kept and reported on step.
    struct Binder {
        fileprivate let handle: SQLiteStatement
        fileprivate var failure = SQLITE_OK

        private mutating func check(_ code: Int32) {
            if failure == SQLITE_OK && code != SQLITE_OK { failure = code }
        }

        /// An integer, or NULL.
        mutating func bind(_ index: Int32, _ value: Int?) {
            guard let value else { return check(sqlite3_bind_null(handle, index)) }
            check(sqlite3_bind_int64(handle, index, Int64(value)))
        }

        /// An integer.
        mutating func bind(_ index: Int32, _ value: Int64) {
            check(sqlite3_bind_int64(handle, index, value))
        }

        /// Text (copied by SQLite), or NULL.
        ///
        /// Bound as a C string, as GRDB binds every `String` (the search parameters too), so a
        /// value with U+0000 is stored up to it, exactly as before and as searches look it up.
        mutating func bind(_ index: Int32, _ value: String?) {
            guard let value else { return check(sqlite3_bind_null(handle, index)) }
            let handle = self.handle
            check(value.withCString { sqlite3_bind_text(handle, index, $0, -1, transient) })
        }

        /// UTF-8 text SQLite reads in place: the bytes must stay valid until the statement has run.
        /// All `count` bytes are kept; canonical JSON never holds a raw U+0000 (it is escaped).
        mutating func bind(_ index: Int32, text utf8: UnsafeRawBufferPointer) {
            check(sqlite3_bind_text(handle, index, textPointer(utf8.baseAddress), Int32(utf8.count), nil))
        }

        /// A blob (copied by SQLite).
        mutating func bind(_ index: Int32, blob bytes: [UInt8]) {
            let handle = self.handle
            let code = bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), transient)
            }
            check(code)
        }
    }
}

/// A pointer for text of `count` bytes at `base`: never nil, since a nil pointer would bind NULL.
private func textPointer(_ base: UnsafeRawPointer?) -> UnsafePointer<CChar> {
    // A static string's bytes live as long as the program.
    (base ?? UnsafeRawPointer(("" as StaticString).utf8Start)).assumingMemoryBound(to: CChar.self)
}

/// SQLite's `SQLITE_TRANSIENT`: the library copies the value before the bind call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
