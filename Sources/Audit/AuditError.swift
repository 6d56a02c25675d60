/// An error raised by the Audit module: a stable code, a message and the underlying cause.
public struct AuditError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, growable without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case notCanonical
            case malformedEntry
            case malformedHash
        }

        private let value: Value

        /// A value cannot be written in canonical form (for example an integer beyond ±(2^53−1)).
        public static let notCanonical = Code(value: .notCanonical)
        /// Entry text that does not decode to an audit entry.
        public static let malformedEntry = Code(value: .malformedEntry)
        /// A hash that is not 32 bytes or not valid hex/base64.
        public static let malformedHash = Code(value: .malformedHash)

        /// The stable wire string of the code.
        public var wireString: String {
            switch value {
            case .notCanonical: "audit-not-canonical"
            case .malformedEntry: "audit-entry-malformed"
            case .malformedHash: "audit-hash-malformed"
            }
        }

        /// The wire string.
        public var description: String { wireString }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable message; never holds payload data.
    public var message: String
    /// The error that caused this one, if any.
    public var cause: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// Code and message, plus the cause when there is one.
    public var description: String {
        if let cause {
            return "\(code.wireString): \(message) (cause: \(cause))"
        }
        return "\(code.wireString): \(message)"
    }
}
