import Foundation
import Store
import Synchronization

/// A wall clock the tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A fresh folder under the system temp directory, removed when the fixture is dropped.
final class TemporaryFolder: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var databasePath: String { url.appendingPathComponent("rabt.sqlite").path }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

extension SQLiteStore {
    static func open(
        _ folder: TemporaryFolder, clock: ManualClock = ManualClock(), readOnly: Bool = false,
        busyTimeout: Duration = .seconds(5)
    ) async throws -> SQLiteStore {
        try await SQLiteStore(
            path: folder.databasePath,
            configuration: .init(readOnly: readOnly, busyTimeout: busyTimeout, now: { clock.now })
        )
    }
}

/// Runs `body` and returns the `StoreError` code it threw, or nil.
func storeErrorCode(_ body: () async throws -> Void) async -> StoreError.Code? {
    do {
        try await body()
        return nil
    } catch let error as StoreError {
        return error.code
    } catch {
        return nil
    }
}

extension SQLiteStore {
    /// Every migration of this release, in order.
    static let allMigrations = [
        "v1-registry", "v1-nonces", "v1-audit",
        "v2-audit-tree", "v2-audit-search", "v2-audit-heads", "v2-audit-bodies",
        "v3-principals", "v3-contract-sunset",
        "v4-outbox", "v4-outbox-callbacks", "v4-idempotency", "v5-idempotency-body-form",
    ]
}
