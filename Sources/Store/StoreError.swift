/// An error raised by the Store module: a stable code, a message and the underlying cause.
///
/// Messages name the operation and the SQLite result code only, never SQL arguments or values.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, growable without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case storeUnavailable
            case auditUnavailable
            case conflict
            case notFound
            case invalidArgument
        }

        private let value: Value

        /// The database cannot be opened, read or written.
        public static let storeUnavailable = Code(value: .storeUnavailable)
        /// The audit log cannot persist (database failure or full queue): answer 503, fail closed.
        public static let auditUnavailable = Code(value: .auditUnavailable)
        /// The record exists already, or differs from an immutable one.
        public static let conflict = Code(value: .conflict)
        /// A record the operation needs does not exist.
        public static let notFound = Code(value: .notFound)
        /// An argument cannot be stored as given.
        public static let invalidArgument = Code(value: .invalidArgument)

        /// The stable wire string of the code.
        public var wireString: String {
            switch value {
            case .storeUnavailable: "store-unavailable"
            case .auditUnavailable: "audit-unavailable"
            case .conflict: "conflict"
            case .notFound: "not-found"
            case .invalidArgument: "invalid-argument"
            }
        }

        /// The wire string.
        public var description: String { wireString }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable message without SQL arguments, payloads or keys.
    public var message: String
    /// The error that caused this one, if any (GRDB redacts SQL arguments in its description).
    public var cause: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// Code and message.
    public var description: String { "\(code.wireString): \(message)" }
}
