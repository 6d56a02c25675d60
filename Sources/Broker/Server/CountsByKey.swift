import Synchronization

/// How many of something each key holds (exchanges in progress by agency, connections by client
/// certificate), each count bounded: one key's burst cannot take what all keys share.
final class CountsByKey: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Counts one more for `key`; false (and nothing counted) when `key` already holds `limit`.
    func admit(_ key: String, limit: Int) -> Bool {
        counts.withLock { counts in
            let current = counts[key, default: 0]
            guard current < limit else { return false }
            counts[key] = current + 1
            return true
        }
    }

    /// Gives back one that `key` was admitted for.
    func release(_ key: String) {
        counts.withLock { counts in
            let left = counts[key, default: 1] - 1
            counts[key] = left > 0 ? left : nil
        }
    }
}
