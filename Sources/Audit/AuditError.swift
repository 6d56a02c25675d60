/// An error raised by the Audit module: a stable code, a message and the underlying cause.
public struct AuditError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, growable without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case notCanonical
            case malformedEntry
            case malformedHash
            case malformedTreeHead
            case malformedKey
            case signatureInvalid
            case malformedExport
            case exportUnreadable
            case exportLayout
            case bodyKeyInvalid
            case bodyKeyUnknown
            case bodyUnreadable
        }

        private let value: Value

        /// A value cannot be written in canonical form (for example an integer beyond ±(2^53−1)).
        public static let notCanonical = Code(value: .notCanonical)
        /// Entry text that does not decode to an audit entry.
        public static let malformedEntry = Code(value: .malformedEntry)
        /// A hash that is not 32 bytes or not valid hex/base64.
        public static let malformedHash = Code(value: .malformedHash)
        /// A checkpoint note that does not follow the signed-note / tlog-checkpoint format.
        public static let malformedTreeHead = Code(value: .malformedTreeHead)
        /// A signing or verifying key that cannot be read (bad PEM, length, name or key ID).
        public static let malformedKey = Code(value: .malformedKey)
        /// A tree head without a valid signature from the expected key.
        public static let signatureInvalid = Code(value: .signatureInvalid)
        /// An export whose header or head lines are not in the export format.
        public static let malformedExport = Code(value: .malformedExport)
        /// An export that cannot be read: an I/O failure or a line over the length limit.
        public static let exportUnreadable = Code(value: .exportUnreadable)
        /// An export written out of order (a head before its entries, an entry text with a newline).
        public static let exportLayout = Code(value: .exportLayout)
        /// A body encryption key that is not 32 bytes.
        public static let bodyKeyInvalid = Code(value: .bodyKeyInvalid)
        /// A sealed body whose key ID is not among the configured keys.
        public static let bodyKeyUnknown = Code(value: .bodyKeyUnknown)
        /// A sealed body that is truncated, tampered with or bound to another exchange or part.
        public static let bodyUnreadable = Code(value: .bodyUnreadable)

        /// The stable wire string of the code.
        public var wireString: String {
            switch value {
            case .notCanonical: "audit-not-canonical"
            case .malformedEntry: "audit-entry-malformed"
            case .malformedHash: "audit-hash-malformed"
            case .malformedTreeHead: "audit-tree-head-malformed"
            case .malformedKey: "audit-key-malformed"
            case .signatureInvalid: "audit-signature-invalid"
            case .malformedExport: "audit-export-malformed"
            case .exportUnreadable: "audit-export-unreadable"
            case .exportLayout: "audit-export-layout"
            case .bodyKeyInvalid: "audit-body-key-invalid"
            case .bodyKeyUnknown: "audit-body-key-unknown"
            case .bodyUnreadable: "audit-body-unreadable"
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
