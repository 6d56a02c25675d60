/// The one error type of the Signing module: a stable code, a message safe to show, and the cause.
///
/// Messages never contain key material, signature values or payloads.
public struct SigningError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with a stable wire string the Broker turns into a problem type.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case signatureMissing = "signature-missing"
            case signatureInvalid = "signature-invalid"
            case signatureIncomplete = "signature-incomplete"
            case signatureExpired = "signature-expired"
            case unknownKey = "unknown-key"
            case digestMismatch = "digest-mismatch"
            case digestMissing = "digest-missing"
            case replay = "replay"
            case keyInvalid = "key-invalid"
            case certificateInvalid = "certificate-invalid"
            case fileSystem = "file-system"
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The message carries no `Signature`/`Signature-Input` (or not the requested label).
        public static let signatureMissing = Code(.signatureMissing)
        /// The signature fields are malformed, or the signature does not verify.
        public static let signatureInvalid = Code(.signatureInvalid)
        /// The signature covers less than the policy requires; the message names what is missing.
        public static let signatureIncomplete = Code(.signatureIncomplete)
        /// `created` lies outside the allowed skew, or `expires` has passed.
        public static let signatureExpired = Code(.signatureExpired)
        /// The `keyid` is not a key registered to the sender (or not valid now).
        public static let unknownKey = Code(.unknownKey)
        /// A `Content-Digest` value does not match the body.
        public static let digestMismatch = Code(.digestMismatch)
        /// The body has no `Content-Digest` with a supported algorithm.
        public static let digestMissing = Code(.digestMissing)
        /// The signature's nonce was seen before within the replay window (raised by the caller,
        /// which owns nonce storage).
        public static let replay = Code(.replay)
        /// Key material could not be read or does not suit the requested algorithm.
        public static let keyInvalid = Code(.keyInvalid)
        /// A certificate could not be read or built.
        public static let certificateInvalid = Code(.certificateInvalid)
        /// Reading or writing PKI files failed.
        public static let fileSystem = Code(.fileSystem)

        /// The stable string used on the wire, e.g. `signature-invalid`.
        public var wireValue: String { self.value.rawValue }

        /// Same as ``wireValue``.
        public var description: String { self.value.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation without secrets or payloads.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `code: message`, followed by the cause's type when there is one.
    public var description: String {
        var text = "\(self.code): \(self.message)"
        if let cause = self.cause {
            text += " (caused by \(type(of: cause)))"
        }
        return text
    }
}
