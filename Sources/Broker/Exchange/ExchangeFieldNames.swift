import HTTPTypes

/// The header fields Rabt itself reads or sets beyond those HTTP types and the Signing and
/// Delivery modules name.
extension HTTPField.Name {
    /// The identifier Rabt gives every exchange.
    public static let exchangeId = Self("Exchange-Id")!
    /// The consumer agency, on requests forwarded to providers.
    public static let exchangeConsumer = Self("Exchange-Consumer")!
    /// The target URI the consumer signed (`https://{rabt}/exchange/…`), on requests forwarded to
    /// providers, so a provider can rebuild the consumer's signature base.
    public static let exchangeConsumerTarget = Self("Exchange-Consumer-Target")!
    /// Marks an answer made by Rabt rather than the provider; its value is the problem type.
    public static let exchangeError = Self("Exchange-Error")!
    /// RFC 7240 preferences, e.g. `respond-async`.
    public static let prefer = Self("Prefer")!
    /// RFC 7240: the preferences the answer honoured.
    public static let preferenceApplied = Self("Preference-Applied")!
    /// Marks an answer given again for a repeated `Idempotency-Key`.
    public static let idempotentReplayed = Self("Idempotent-Replayed")!
    /// RFC 9745: when the service version was deprecated.
    public static let deprecation = Self("Deprecation")!
    /// RFC 8594: when the service version goes away.
    public static let sunset = Self("Sunset")!
}
