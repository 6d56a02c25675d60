/// Why an audit log or export failed verification, and where: the first problem found.
public struct AuditVerificationFailure: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, growable without breaking callers.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case headerMalformed, unreadable
            case entryMalformed, sequenceMismatch, entriesMissing, entriesExtra, entriesUnsigned
            case headMalformed, headSignatureInvalid, headOriginMismatch, headRootMismatch
            case headOutOfPlace, headBeyondEntries, headTimeDecreasing
        }

        private let value: Value

        /// The export's first line is not a valid header (format, range, frontier).
        public static let headerMalformed = Kind(value: .headerMalformed)
        /// The export could not be read (I/O error, over-long line, bad head line framing).
        public static let unreadable = Kind(value: .unreadable)
        /// An entry line is not a well-formed audit entry.
        public static let entryMalformed = Kind(value: .entryMalformed)
        /// An entry carries another sequence than the next expected one (deleted, reordered, duplicated).
        public static let sequenceMismatch = Kind(value: .sequenceMismatch)
        /// The input ends before the header's `to` (a truncated export).
        public static let entriesMissing = Kind(value: .entriesMissing)
        /// More entries than the header's range.
        public static let entriesExtra = Kind(value: .entriesExtra)
        /// Entries after the last verified head, which no signature covers.
        public static let entriesUnsigned = Kind(value: .entriesUnsigned)
        /// A head line is not a valid checkpoint note.
        public static let headMalformed = Kind(value: .headMalformed)
        /// A head has no valid signature from a trusted key.
        public static let headSignatureInvalid = Kind(value: .headSignatureInvalid)
        /// A head names another log.
        public static let headOriginMismatch = Kind(value: .headOriginMismatch)
        /// The entries do not hash to the root a head signs.
        public static let headRootMismatch = Kind(value: .headRootMismatch)
        /// A head appears after entries beyond its size, where its root can no longer be recomputed.
        public static let headOutOfPlace = Kind(value: .headOutOfPlace)
        /// A head's size is beyond the last entry supplied.
        public static let headBeyondEntries = Kind(value: .headBeyondEntries)
        /// A head is older than the head before it.
        public static let headTimeDecreasing = Kind(value: .headTimeDecreasing)

        /// The stable wire string.
        public var wireString: String {
            switch value {
            case .headerMalformed: "export-header-malformed"
            case .unreadable: "export-unreadable"
            case .entryMalformed: "entry-malformed"
            case .sequenceMismatch: "entry-sequence-mismatch"
            case .entriesMissing: "entries-missing"
            case .entriesExtra: "entries-extra"
            case .entriesUnsigned: "entries-unsigned"
            case .headMalformed: "head-malformed"
            case .headSignatureInvalid: "head-signature-invalid"
            case .headOriginMismatch: "head-origin-mismatch"
            case .headRootMismatch: "head-root-mismatch"
            case .headOutOfPlace: "head-out-of-place"
            case .headBeyondEntries: "head-beyond-entries"
            case .headTimeDecreasing: "head-time-decreasing"
            }
        }

        /// The wire string.
        public var description: String { wireString }
    }

    /// What is wrong.
    public var kind: Kind
    /// The first sequence number affected: the entry expected where the problem shows.
    public var sequence: Int?
    /// The sequence the entry actually carries, for `sequenceMismatch`.
    public var foundSequence: Int?
    /// For `headRootMismatch` and `entriesUnsigned`: the entries that may hold the change, i.e.
    /// everything since the last verified head (a root cannot say which leaf differs).
    public var entries: Range<Int>?
    /// The size of the head involved, for head failures.
    public var treeSize: Int?
    /// The 1-based export line, when the input is an export.
    public var line: Int?
    /// A human-readable explanation; never entry contents, keys or signatures.
    public var message: String
    /// The underlying error, if any.
    public var cause: AuditError?

    /// Creates a failure.
    public init(
        kind: Kind, sequence: Int? = nil, foundSequence: Int? = nil, entries: Range<Int>? = nil,
        treeSize: Int? = nil, line: Int? = nil, message: String, cause: AuditError? = nil
    ) {
        self.kind = kind
        self.sequence = sequence
        self.foundSequence = foundSequence
        self.entries = entries
        self.treeSize = treeSize
        self.line = line
        self.message = message
        self.cause = cause
    }

    /// Kind, place and message.
    public var description: String {
        var text = kind.wireString
        if let line { text += " at line \(line)" }
        if let sequence { text += " (sequence \(sequence))" }
        text += ": " + message
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}
