import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// The session-level advisory lock (ASCII "rabtseqr") whose holder is the sequencer: the one
    /// node of a database that signs tree heads.
    static let sequencerLock: Int64 = 0x7261_6274_7365_7172

    /// Whether this node holds the sequencer role: true for exactly one store (node) on a database
    /// at a time, the one whose dedicated session holds the sequencer lock.
    ///
    /// The session is opened on the first call, outside the pool, and kept: while it lives the
    /// role stays here. When it ends (`close()`, a crash, a lost connection) the server releases
    /// the lock and another node's next call takes the role. A failed call drops the session
    /// (`store-unavailable`), so this node holds nothing until a later call acquires it again.
    public func holdsSequencerRole() async throws(StoreError) -> Bool {
        let sequencer = self.sequencer
        return try await withDeadline("hold the sequencer role") { _ in try await sequencer.holdsRole() }
    }
}

/// A dedicated connection to the database whose session holds (or tries for) the sequencer lock.
///
/// Calls may interleave at the awaits; that is harmless: at most one connection is kept (a second
/// one opened meanwhile is closed again), and the lock is reentrant within its session.
actor SequencerSession {
    private let configuration: PostgresConnection.Configuration
    private let silenceTimeout: Duration
    private let logger: Logger
    private var connection: PostgresConnection?
    private var holds = false
    private var closed = false

    init(configuration: PostgresConnection.Configuration, silenceTimeout: Duration, logger: Logger) {
        self.configuration = configuration
        self.silenceTimeout = silenceTimeout
        self.logger = logger
    }

    deinit {
        // A store dropped without `close()` still ends its session (and so hands the role on); the
        // completion handler keeps the connection alive until its channel has closed.
        if let connection {
            connection.close().whenComplete { _ in _ = connection }
        }
    }

    /// Connects if needed, then checks the session is alive (holding) or tries the lock (not
    /// holding); any failure drops the session and is thrown.
    func holdsRole() async throws -> Bool {
        guard !closed else { throw StoreError(code: .storeUnavailable, message: "the store is closed") }
        if let connection, connection.isClosed { forget(connection) }
        let session = try await open()
        do {
            if holds {
                // A live session still holds its session-level lock; only its end releases it.
                try await session.rows("SELECT 1", logger)
                return true
            }
            let acquired = try await session.rows("SELECT pg_try_advisory_lock(\(PostgresStore.sequencerLock))", logger)
                .first?.decode(Bool.self) ?? false
            if acquired, session === connection { holds = true }
            return acquired && holds
        } catch {
            forget(session)
            try? await session.close()
            throw error
        }
    }

    /// Ends the session, which releases the lock; later calls fail.
    func close() async {
        closed = true
        if let connection {
            forget(connection)
            try? await connection.close()
        }
    }

    /// The kept connection, opened first if there is none.
    private func open() async throws -> PostgresConnection {
        if let connection { return connection }
        let opened = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        // The server ends the session once it has been silent this long, releasing the role.
        let milliseconds = max(1, silenceTimeout.components.seconds * 1000 + silenceTimeout.components.attoseconds / 1_000_000_000_000_000)
        do {
            try await opened.rows(PostgresQuery(unsafeSQL: "SET idle_session_timeout = \(milliseconds)"), logger)
        } catch {
            // Before PostgreSQL 14: the role then passes on only when TCP gives the connection up.
            logger.warning("the sequencer session has no idle timeout (PostgreSQL 14 or later needed)", metadata: [
                "error": "\(PostgresStore.mapped(error, operation: "set idle_session_timeout").message)",
            ])
        }
        // Another call may have connected (or the store closed) while this one waited.
        guard !closed, connection == nil else {
            try? await opened.close()
            guard !closed, let connection else { throw StoreError(code: .storeUnavailable, message: "the store is closed") }
            return connection
        }
        connection = opened
        return opened
    }

    /// Forgets `session` if it is the kept one (the caller closes it).
    private func forget(_ session: PostgresConnection) {
        guard session === connection else { return }
        connection = nil
        holds = false
    }
}
