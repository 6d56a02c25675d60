/// A request target (`/path?query`, origin-form) read once and strictly, so that the path Rabt
/// matches, validates and forwards is one and the same.
///
/// Only the characters RFC 3986 allows in a path (`pchar` and `/`) and a query are accepted, raw;
/// each segment decodes once to UTF-8 text without control characters, `/` or `\`, and is never a
/// dot segment (`.` or `..`, however it is encoded); a segment may be empty only at the very end.
/// Anything else is a ``Fault`` naming what is wrong: there is no second, "normalised" reading.
public struct RequestTarget: Sendable, Hashable {
    /// One `name=value` item of the query, percent-decoded (`+` read as a space).
    public struct QueryItem: Sendable, Hashable {
        /// The decoded name.
        public var name: String
        /// The decoded value (empty for `name` or `name=`).
        public var value: String

        /// Creates an item.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Why a target is refused; `message` says what is wrong in words a client can act on.
    public struct Fault: Error, Sendable, Hashable {
        /// The reason, e.g. "the path holds a dot segment ('..')".
        public let message: String
    }

    /// The path as sent (it is canonical once accepted), starting with `/`.
    public let path: String
    /// The raw segments after the leading `/`.
    public let segments: [Substring]
    /// The query as sent, without `?`; nil when the target has no `?`.
    public let query: String?
    /// The query's items in order.
    public let queryItems: [QueryItem]

    /// Reads `target`, which must be in origin-form (`/path[?query]`).
    public init(_ target: String) throws(Fault) {
        guard target.utf8.first == UInt8(ascii: "/") else {
            throw Fault(message: "the request target must be a path starting with '/'")
        }
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0]
        try Self.checkCharacters(path, where: "path", allowing: [UInt8(ascii: "/")])
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            try Self.checkSegment(segment, isLast: index == segments.count - 1)
        }
        self.path = String(path)
        self.segments = segments
        if parts.count > 1 {
            let query = parts[1]
            try Self.checkCharacters(query, where: "query", allowing: [UInt8(ascii: "/"), UInt8(ascii: "?")])
            self.query = String(query)
            self.queryItems = try Self.items(query)
        } else {
            self.query = nil
            self.queryItems = []
        }
    }

    /// The target below its first `count` segments, with the same query: `/exchange/moj/svc/a/b`
    /// less three segments is `/a/b`; nothing left is `/`.
    public func droppingSegments(_ count: Int) -> RequestTarget {
        let rest = Array(segments.dropFirst(count))
        let path = "/" + rest.joined(separator: "/")
        return RequestTarget(path: path, segments: rest.isEmpty ? [""] : rest, query: query, queryItems: queryItems)
    }

    private init(path: String, segments: [Substring], query: String?, queryItems: [QueryItem]) {
        self.path = path
        self.segments = segments
        self.query = query
        self.queryItems = queryItems
    }

    /// The query as Rabt forwards it: the items in order, each name and value re-encoded
    /// (``PercentEncoding/encodeValue(_:)``); empty when there are none.
    public static func canonicalQuery(_ items: [QueryItem]) -> String {
        items.map { PercentEncoding.encodeValue($0.name) + "=" + PercentEncoding.encodeValue($0.value) }.joined(separator: "&")
    }

    private static func checkCharacters(_ text: Substring, where part: String, allowing extra: Set<UInt8>) throws(Fault) {
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard iterator.next().flatMap(PercentEncoding.hexValue) != nil,
                      iterator.next().flatMap(PercentEncoding.hexValue) != nil
                else { throw Fault(message: "the \(part) holds a malformed percent-escape") }
                continue
            }
            guard PercentEncoding.isPathCharacter(byte) || extra.contains(byte) else {
                throw Fault(message: "the \(part) holds \(describe(byte)), which must be percent-encoded or left out")
            }
        }
    }

    private static func checkSegment(_ segment: Substring, isLast: Bool) throws(Fault) {
        if segment.isEmpty {
            guard isLast else { throw Fault(message: "the path holds an empty segment ('//')") }
            return
        }
        guard let decoded = PercentEncoding.decode(segment) else {
            throw Fault(message: "a path segment does not decode to UTF-8 text")
        }
        if decoded == "." || decoded == ".." {
            throw Fault(message: "the path holds a dot segment ('\(decoded)')")
        }
        try checkDecoded(decoded, where: "a path segment")
        for scalar in decoded.unicodeScalars where scalar == "/" || scalar == "\\" {
            throw Fault(message: "a path segment holds an encoded '\(scalar)'")
        }
    }

    private static func items(_ query: Substring) throws(Fault) -> [QueryItem] {
        guard !query.isEmpty else { return [] }
        var items: [QueryItem] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw Fault(message: "the query holds an empty item ('&&' or a trailing '&')") }
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decodeQueryText(pair[0])
            guard !name.isEmpty else { throw Fault(message: "the query holds an item without a name") }
            let value = pair.count > 1 ? try decodeQueryText(pair[1]) : ""
            items.append(QueryItem(name: name, value: value))
        }
        return items
    }

    private static func decodeQueryText(_ text: Substring) throws(Fault) -> String {
        let spaced = text.utf8.contains(UInt8(ascii: "+")) ? Substring(text.replacing("+", with: " ")) : text
        guard let decoded = PercentEncoding.decode(spaced) else {
            throw Fault(message: "a query item does not decode to UTF-8 text")
        }
        try checkDecoded(decoded, where: "a query item")
        return decoded
    }

    private static func checkDecoded(_ decoded: String, where part: String) throws(Fault) {
        for scalar in decoded.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F {
            throw Fault(message: "\(part) holds a control character (U+\(hex(scalar.value)))")
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x00..<0x20, 0x7F: "a control character (0x\(hex(UInt32(byte))))"
        case 0x80...: "a raw non-ASCII byte"
        case UInt8(ascii: "#"): "a fragment ('#')"
        case UInt8(ascii: "\\"): "a backslash"
        default: "'\(Character(Unicode.Scalar(byte)))'"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
