/// How many exchanges each agency has in progress on this node, bounded: one agency's burst (a
/// misconfigured batch job, a compromised system) cannot take every slot of a node that eighty
/// agencies share.
final class AgencyExchangeLimit: Sendable {
    private let limit: Int
    private let inProgress = CountsByKey()

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts one more exchange of `agency`, or refuses it with `too-many-requests` when the
    /// agency already has `limit` in progress. Every admitted exchange is ended by ``finish(_:)``.
    func admit(_ agency: String) throws(Problem) {
        guard inProgress.admit(agency, limit: limit) else {
            throw Problem(
                .tooManyRequests,
                "Agency '\(agency)' already has \(limit) exchanges in progress on this node; send this one when one of them has finished.",
                retryAfter: 1
            )
        }
    }

    /// Ends one exchange of `agency` admitted before.
    func finish(_ agency: String) {
        inProgress.release(agency)
    }
}
