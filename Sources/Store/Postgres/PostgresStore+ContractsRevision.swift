import PostgresNIO

extension PostgresStore {
    /// The current fingerprint of the published contracts.
    public func contractsRevision() async throws(StoreError) -> ContractsRevision {
        let logger = self.logger
        return try await read("read contracts revision") { connection in
            guard let row = try await connection.rows(PostgresQuery(unsafeSQL: ContractsRevision.query), logger).first else {
                return ContractsRevision(count: 0, lastPublished: 0, lifecycleSum: 0)
            }
            let (count, published, lifecycle) = try row.decode((Int64, Int64, Int64).self)
            return ContractsRevision(count: Int(count), lastPublished: published, lifecycleSum: lifecycle)
        }
    }
}
