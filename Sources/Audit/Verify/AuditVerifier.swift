/// Checks a log, or a range of it, entry by entry and head by head, in bounded memory.
///
/// Feed entry texts in sequence order with `append(entryText:line:)` and signed heads with
/// `append(treeHead:line:)`, then call `finish()`. Each entry must be well-formed and carry the next
/// sequence number; its leaf hash is computed from the text exactly as given. A head is checked when
/// the entries reach its size: a valid signature by a trusted key, the expected origin, the root
/// recomputed at that size, and a time no earlier than the previous head's. The first failure stops
/// the verifier; later calls throw it again.
public struct AuditVerifier: Sendable {
    /// Choices that change what counts as a failure.
    public struct Options: Sendable, Hashable {
        /// Fail when entries remain after the last verified head (nothing vouches for them).
        public var requireSignedEnd: Bool
        /// Most heads held while waiting for their entries; beyond that the input is refused.
        public var maximumPendingHeads: Int

        /// Creates options; by default every entry must be covered by a signed head.
        public init(requireSignedEnd: Bool = true, maximumPendingHeads: Int = 4096) {
            self.requireSignedEnd = requireSignedEnd
            self.maximumPendingHeads = maximumPendingHeads
        }
    }

    /// The keys whose signatures are trusted.
    public let keys: [AuditVerifyingKey]
    /// The origin every head must carry; nil accepts any origin.
    public let origin: String?
    /// Sequence of the first entry expected.
    public let start: Int
    /// One past the last sequence expected, when known (an export's `to`).
    public let end: Int?
    /// The options in force.
    public let options: Options

    private var frontier: MerkleFrontier
    private var pending: [(head: SignedTreeHead, line: Int?)] = []
    private var lastHead: SignedTreeHead?
    /// Latest time among checked heads smaller than `lastHead`'s size, and among those of its size.
    private var latestTimeBelow = Int64.min
    private var latestTimeAtSize = Int64.min
    private var entriesChecked = 0
    private var headsChecked = 0
    private var failure: AuditVerificationFailure?

    /// Verifies entries from `frontier.size` on, optionally up to `end`.
    public init(keys: [AuditVerifyingKey], origin: String?, frontier: MerkleFrontier = MerkleFrontier(), end: Int? = nil, options: Options = Options()) {
        self.keys = keys
        self.origin = origin
        self.start = frontier.size
        self.end = end
        self.options = options
        self.frontier = frontier
    }

    /// Verifies the entries an export header announces.
    public init(header: AuditExportHeader, keys: [AuditVerifyingKey], options: Options = Options()) throws(AuditVerificationFailure) {
        guard let frontier = header.merkleFrontier, header.from <= header.to else {
            throw AuditVerificationFailure(kind: .headerMalformed, line: 1, message: "header range or frontier is inconsistent")
        }
        self.init(keys: keys, origin: header.origin, frontier: frontier, end: header.to, options: options)
    }

    /// The number of entries consumed so far (the tree size reached).
    public var size: Int { frontier.size }

    /// Checks the next entry's text (its stored canonical form).
    public mutating func append(entryText text: String, line: Int? = nil) throws(AuditVerificationFailure) {
        try append(entryBytes: Array(text.utf8), line: line)
    }

    /// Checks the next entry's UTF-8 bytes.
    public mutating func append(entryBytes bytes: [UInt8], line: Int? = nil) throws(AuditVerificationFailure) {
        try bytes.withUnsafeBufferPointer { (bytes) throws(AuditVerificationFailure) in try append(entryBytes: bytes, line: line) }
    }

    /// Checks the next entry's UTF-8 bytes.
    public mutating func append(entryBytes bytes: UnsafeBufferPointer<UInt8>, line: Int? = nil) throws(AuditVerificationFailure) {
        if let failure { throw failure }
        let expected = frontier.size
        if let end, expected >= end {
            try fail(AuditVerificationFailure(kind: .entriesExtra, sequence: expected, line: line, message: "entry beyond the announced range ending before \(end)"))
        }
        switch EntryScanner.sequence(of: bytes) {
        case .failure(let problem):
            try fail(AuditVerificationFailure(kind: .entryMalformed, sequence: expected, line: line, message: problem.message))
        case .success(let sequence) where sequence != expected:
            try fail(AuditVerificationFailure(
                kind: .sequenceMismatch, sequence: expected, foundSequence: sequence, line: line,
                message: "expected sequence \(expected), found \(sequence)"
            ))
        case .success:
            break
        }
        frontier.append(MerkleHash.leaf(UnsafeRawBufferPointer(bytes)))
        entriesChecked += 1
        while let next = pending.first, next.head.head.size == frontier.size {
            pending.removeFirst()
            try check(next.head, line: next.line)
        }
    }

    /// Checks a signed head given as note text.
    public mutating func append(treeHeadNote note: String, line: Int? = nil) throws(AuditVerificationFailure) {
        if let failure { throw failure }
        let head: SignedTreeHead
        do {
            head = try SignedTreeHead(note: note)
        } catch {
            try fail(AuditVerificationFailure(kind: .headMalformed, sequence: frontier.size, line: line, message: "head is not a checkpoint note", cause: error))
        }
        try append(treeHead: head, line: line)
    }

    /// Checks a signed head now if the entries are at its size, or when they reach it.
    public mutating func append(treeHead head: SignedTreeHead, line: Int? = nil) throws(AuditVerificationFailure) {
        if let failure { throw failure }
        let size = head.head.size
        if size < start {
            try fail(AuditVerificationFailure(
                kind: .headOutOfPlace, sequence: start, treeSize: size, line: line,
                message: "head of size \(size) precedes the first entry \(start) of the input"
            ))
        }
        if size < frontier.size {
            try fail(AuditVerificationFailure(
                kind: .headOutOfPlace, sequence: frontier.size, treeSize: size, line: line,
                message: "head of size \(size) comes after entry \(frontier.size - 1); heads follow the entry that completes them"
            ))
        }
        if size == frontier.size {
            try check(head, line: line)
            return
        }
        guard pending.count < options.maximumPendingHeads else {
            try fail(AuditVerificationFailure(kind: .headOutOfPlace, treeSize: size, line: line, message: "more than \(options.maximumPendingHeads) heads ahead of the entries"))
        }
        // Keep pending heads ordered by size; equal sizes keep their input order.
        let index = pending.firstIndex { $0.head.head.size > size } ?? pending.endIndex
        pending.insert((head, line), at: index)
    }

    /// Ends the input: checks nothing is missing, pending or unsigned, and returns the summary.
    public mutating func finish() throws(AuditVerificationFailure) -> AuditVerificationResult {
        if let failure { throw failure }
        if let end, frontier.size < end {
            try fail(AuditVerificationFailure(
                kind: .entriesMissing, sequence: frontier.size, entries: frontier.size..<end,
                message: "input ends at sequence \(frontier.size), before the announced end \(end)"
            ))
        }
        if let next = pending.first {
            try fail(AuditVerificationFailure(
                kind: .headBeyondEntries, sequence: frontier.size, treeSize: next.head.head.size, line: next.line,
                message: "head of size \(next.head.head.size) but only \(frontier.size) entries"
            ))
        }
        // An export from 0 with no entries is the empty tree, which needs no signature.
        let covered = lastHead?.head.size ?? (start == 0 ? 0 : nil)
        if options.requireSignedEnd, covered != frontier.size {
            let first = covered ?? start
            try fail(AuditVerificationFailure(
                kind: .entriesUnsigned, sequence: first, entries: first..<frontier.size,
                message: covered == nil
                    ? "no signed head covers the input"
                    : "entries \(first)..<\(frontier.size) come after the last signed head"
            ))
        }
        return AuditVerificationResult(
            entriesChecked: entriesChecked, headsChecked: headsChecked,
            size: frontier.size, rootHash: frontier.rootHash, lastHead: lastHead
        )
    }

    private mutating func check(_ head: SignedTreeHead, line: Int?) throws(AuditVerificationFailure) {
        let size = head.head.size
        let since = lastHead?.head.size ?? start
        do {
            try head.verify(withAnyOf: keys)
        } catch {
            try fail(AuditVerificationFailure(
                kind: .headSignatureInvalid, sequence: since, treeSize: size, line: line,
                message: "head of size \(size) has no valid signature by a trusted key", cause: error
            ))
        }
        if let origin, head.origin != origin {
            try fail(AuditVerificationFailure(kind: .headOriginMismatch, sequence: since, treeSize: size, line: line, message: "head of size \(size) is for another log"))
        }
        if head.head.rootHash != frontier.rootHash {
            try fail(AuditVerificationFailure(
                kind: .headRootMismatch, sequence: since, entries: since..<size, treeSize: size, line: line,
                message: since == start && start > 0
                    ? "the frontier or entries \(since)..<\(size) do not hash to the root signed at size \(size)"
                    : "entries \(since)..<\(size) do not hash to the root signed at size \(size)"
            ))
        }
        // Heads of one size may come in any time order (a log can sign the same size twice, an auditor
        // can add a checkpoint it holds); a larger head must not be older than any smaller one.
        if let lastHead, size > lastHead.head.size {
            latestTimeBelow = max(latestTimeBelow, latestTimeAtSize)
            latestTimeAtSize = .min
        }
        if head.head.timestampMilliseconds < latestTimeBelow {
            try fail(AuditVerificationFailure(
                kind: .headTimeDecreasing, sequence: since, treeSize: size, line: line,
                message: "head of size \(size) is older than a smaller head before it"
            ))
        }
        latestTimeAtSize = max(latestTimeAtSize, head.head.timestampMilliseconds)
        lastHead = head
        headsChecked += 1
    }

    private mutating func fail(_ failure: AuditVerificationFailure) throws(AuditVerificationFailure) -> Never {
        self.failure = failure
        throw failure
    }
}

/// What a successful verification covered.
public struct AuditVerificationResult: Sendable, Hashable {
    /// Entries hashed.
    public var entriesChecked: Int
    /// Heads whose signature and root matched.
    public var headsChecked: Int
    /// The tree size reached.
    public var size: Int
    /// The root at `size`.
    public var rootHash: MerkleHash
    /// The last verified head; compare it with a checkpoint obtained elsewhere to rule out a
    /// shortened log.
    public var lastHead: SignedTreeHead?

    /// Creates a summary.
    public init(entriesChecked: Int, headsChecked: Int, size: Int, rootHash: MerkleHash, lastHead: SignedTreeHead?) {
        self.entriesChecked = entriesChecked
        self.headsChecked = headsChecked
        self.size = size
        self.rootHash = rootHash
        self.lastHead = lastHead
    }
}
