/// Why a contract document was refused; every fault found is listed with its JSON pointer.
public struct ContractError: Error, CustomStringConvertible, Sendable {
    /// What kind of fault; grows without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case syntax, structure, exchange, schema, unsupported, unreadable
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The text is not well-formed YAML or JSON, or holds YAML that has no JSON equivalent.
        public static let syntax = Code(.syntax)
        /// The OpenAPI structure Rabt relies on is missing or malformed.
        public static let structure = Code(.structure)
        /// The `x-exchange` block is missing or holds a bad value.
        public static let exchange = Code(.exchange)
        /// A JSON Schema in the contract does not compile.
        public static let schema = Code(.schema)
        /// Valid OpenAPI that Rabt does not implement (for example `deepObject` parameters).
        public static let unsupported = Code(.unsupported)
        /// The contract file could not be read.
        public static let unreadable = Code(.unreadable)

        /// The stable wire string of every contract fault (the problem `type`).
        public var wireString: String { "contract-invalid" }
        /// The code's name, e.g. `exchange`.
        public var description: String { base.rawValue }
    }

    /// One fault at one place in the document.
    public struct Issue: Hashable, Sendable, CustomStringConvertible {
        /// What kind of fault.
        public var code: Code
        /// JSON pointer (RFC 6901) of the offending value; `""` is the document root.
        public var location: String
        /// Line in the source text (1-based) when known.
        public var line: Int?
        /// Column in the source text (1-based) when known.
        public var column: Int?
        /// What is wrong, without quoting payload values.
        public var message: String

        /// Makes an issue.
        public init(code: Code, location: String, line: Int? = nil, column: Int? = nil, message: String) {
            self.code = code
            self.location = location
            self.line = line
            self.column = column
            self.message = message
        }

        /// `location (line:column): message`.
        public var description: String {
            let place = location.isEmpty ? "(root)" : location
            if let line, let column { return "\(place) (\(line):\(column)): \(message)" }
            return "\(place): \(message)"
        }
    }

    /// Every fault found, in document order as far as they were checked; never empty.
    public var issues: [Issue]
    /// The underlying error (from the YAML parser, JSON parser or schema compiler), if any.
    public var underlying: (any Error & Sendable)?
    /// The file the contract was read from, when it came from one.
    public var source: String?

    /// Makes an error from the faults found.
    public init(issues: [Issue], underlying: (any Error & Sendable)? = nil) {
        precondition(!issues.isEmpty, "a contract error lists at least one issue")
        self.issues = issues
        self.underlying = underlying
    }

    /// Makes an error with a single fault.
    public init(_ code: Code, at location: String, line: Int? = nil, column: Int? = nil,
                _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.init(issues: [Issue(code: code, location: location, line: line, column: column, message: message)],
                  underlying: underlying)
    }

    /// The first fault's code.
    public var code: Code { issues[0].code }
    /// The first fault's JSON pointer.
    public var location: String { issues[0].location }
    /// The first fault's message.
    public var message: String { issues[0].message }
    /// The stable wire string, `contract-invalid`.
    public var wireString: String { code.wireString }

    /// All faults, one per line.
    public var description: String {
        let head = (source.map { "\($0): " } ?? "") + "contract-invalid: \(issues.count) issue\(issues.count == 1 ? "" : "s")"
        return ([head] + issues.map { "  " + $0.description }).joined(separator: "\n")
    }
}

/// Keeps an error's description so it can travel as a Sendable cause.
struct SendableDescription: Error, Sendable, CustomStringConvertible {
    /// The wrapped error's description.
    let description: String
    init(_ error: any Error) { description = String(describing: error) }
}
