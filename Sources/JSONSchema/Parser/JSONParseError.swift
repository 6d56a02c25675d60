/// Why JSON text could not be parsed, and where (1-based line and column, 0-based byte offset).
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of fault, with a stable wire string.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case unexpectedEnd = "unexpected-end"
            case unexpectedCharacter = "unexpected-character"
            case invalidNumber = "invalid-number"
            case invalidString = "invalid-string"
            case invalidUTF8 = "invalid-utf8"
            case duplicateKey = "duplicate-key"
            case tooDeep = "too-deep"
            case trailingData = "trailing-data"
        }

        private let kind: Kind

        /// The input ended inside a value.
        public static let unexpectedEnd = Code(kind: .unexpectedEnd)
        /// A byte that cannot start or continue the expected token.
        public static let unexpectedCharacter = Code(kind: .unexpectedCharacter)
        /// A malformed number literal.
        public static let invalidNumber = Code(kind: .invalidNumber)
        /// A bad escape, an unescaped control character or a lone surrogate.
        public static let invalidString = Code(kind: .invalidString)
        /// Bytes that are not UTF-8.
        public static let invalidUTF8 = Code(kind: .invalidUTF8)
        /// An object names the same member twice (rejected: parsers disagree on which one wins).
        public static let duplicateKey = Code(kind: .duplicateKey)
        /// Nesting beyond `JSONParser.maximumDepth`.
        public static let tooDeep = Code(kind: .tooDeep)
        /// Something other than whitespace after the value.
        public static let trailingData = Code(kind: .trailingData)

        /// The stable wire string, e.g. `unexpected-character`.
        public var description: String { kind.rawValue }
    }

    /// The kind of fault.
    public var code: Code
    /// A readable explanation (never contains the input itself).
    public var message: String
    /// 1-based line of the fault.
    public var line: Int
    /// 1-based column (in bytes) of the fault.
    public var column: Int
    /// 0-based byte offset of the fault.
    public var offset: Int

    /// "line L, column C: message".
    public var description: String { "line \(line), column \(column): \(message)" }
}
