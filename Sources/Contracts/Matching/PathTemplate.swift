/// An OpenAPI path template such as `/violations/{nationalId}` or `/files/{name}.{ext}`.
struct PathTemplate: Hashable, Sendable {
    /// A piece of one segment: literal text or a parameter.
    enum Piece: Hashable, Sendable {
        case literal(String)
        case parameter(String)
    }

    /// The template as written.
    let text: String
    /// Segments after the leading `/`, each a list of pieces.
    let segments: [[Piece]]
    /// Per segment, 0 when literal, 1 when mixed, 2 when a bare parameter: lower sorts first.
    let specificity: [Int]
    /// The segments as they are matched and forwarded, worked out once when the contract is
    /// compiled: literal text in its wire form, and the bytes a value must escape in the segment.
    let wire: [WireSegment]

    /// One segment on the wire.
    struct WireSegment: Hashable, Sendable {
        /// The pieces, literal text percent-encoded as it appears in a request.
        let pieces: [Piece]
        /// In a segment that mixes values and literal text, the literal's bytes: a value escapes
        /// them, so the segment reads back split where it was filled. Empty otherwise.
        let escapes: Set<UInt8>
    }

    /// Why a template is malformed.
    struct Fault: Error {
        let message: String
    }

    /// Parses `text`, which must start with `/`.
    init(_ text: String) throws(Fault) {
        guard text.hasPrefix("/") else { throw Fault(message: "a path must start with '/'") }
        guard !text.contains("?"), !text.contains("#") else {
            throw Fault(message: "a path must not hold a query or fragment")
        }
        // Literal text is written as it reads; Rabt encodes it for the wire itself.
        guard !text.contains("%") else {
            throw Fault(message: "a path must not hold percent-escapes; write its text unencoded")
        }
        var segments: [[Piece]] = []
        var names: Set<String> = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var pieces: [Piece] = []
            var rest = raw[...]
            while !rest.isEmpty {
                if rest.first == "{" {
                    guard let close = rest.firstIndex(of: "}") else { throw Fault(message: "unclosed '{' in path") }
                    let name = String(rest[rest.index(after: rest.startIndex)..<close])
                    guard !name.isEmpty, !name.contains("{") else { throw Fault(message: "empty or nested parameter name in path") }
                    guard names.insert(name).inserted else { throw Fault(message: "parameter '\(name)' appears twice in path") }
                    if case .parameter = pieces.last {
                        throw Fault(message: "two parameters with nothing between them in one path segment")
                    }
                    pieces.append(.parameter(name))
                    rest = rest[rest.index(after: close)...]
                } else {
                    let end = rest.firstIndex(of: "{") ?? rest.endIndex
                    let literal = rest[..<end]
                    guard !literal.contains("}") else { throw Fault(message: "unmatched '}' in path") }
                    pieces.append(.literal(String(literal)))
                    rest = rest[end...]
                }
            }
            segments.append(pieces)
        }
        self.text = text
        self.segments = segments
        specificity = segments.map { pieces in
            if pieces.allSatisfy({ if case .literal = $0 { true } else { false } }) { return 0 }
            return pieces.count == 1 ? 2 : 1
        }
        wire = segments.map { pieces in
            let wirePieces = pieces.map { piece -> Piece in
                if case .literal(let text) = piece { return .literal(PercentEncoding.encodeLiteral(text)) }
                return piece
            }
            let escapes: Set<UInt8> = pieces.count > 1 ? Set(wirePieces.flatMap { piece -> [UInt8] in
                if case .literal(let text) = piece { return Array(text.utf8) }
                return []
            }) : []
            return WireSegment(pieces: wirePieces, escapes: escapes)
        }
    }

    /// Names of the template's parameters, in order.
    var parameterNames: [String] {
        segments.flatMap { $0 }.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }

    /// The template with parameter names erased: templates with the same shape are the same path.
    var shape: String {
        "/" + segments.map { pieces in
            pieces.map { piece in
                switch piece {
                case .literal(let text): text
                case .parameter: "{}"
                }
            }.joined()
        }.joined(separator: "/")
    }

    /// The percent-decoded parameter values when `path` (raw segments) fits this template.
    /// Literal text matches only as it is written on the wire (no second decoding:
    /// `/certific%61tes` is not `/certificates`); a parameter takes a non-empty value that is
    /// not a dot segment and holds no `/`.
    func match(_ rawSegments: [Substring]) -> [String: String]? {
        guard rawSegments.count == wire.count else { return nil }
        var values: [String: String] = [:]
        for (segment, raw) in zip(wire, rawSegments) {
            let pieces = segment.pieces
            if pieces.count <= 1, case .literal(let literal) = pieces.first ?? .literal("") {
                guard raw == literal else { return nil }
                continue
            }
            guard let whole = PercentEncoding.decode(raw), whole != ".", whole != ".." else { return nil }
            guard let captured = Self.match(pieces[...], raw) else { return nil }
            for (name, value) in captured {
                guard let decoded = PercentEncoding.decode(value), !decoded.isEmpty, !decoded.contains("/") else { return nil }
                values[name] = decoded
            }
        }
        return values
    }

    /// The path this template names with `values` in place: literal text as written on the
    /// wire, each value re-encoded with ``PercentEncoding/encodeValue(_:)`` — in a segment that
    /// mixes values and literal text, with the literal's characters escaped inside the values, so
    /// the path reads back to exactly these values. What Rabt forwards.
    func filled(with values: [String: String]) -> String {
        "/" + wire.map { segment in
            segment.pieces.map { piece in
                switch piece {
                case .literal(let text): text
                case .parameter(let name): PercentEncoding.encodeValue(values[name] ?? "", escaping: segment.escapes)
                }
            }.joined()
        }.joined(separator: "/")
    }

    /// Matches wire pieces against one raw segment; each parameter takes at least one character,
    /// as few as let the rest match.
    private static func match(_ pieces: ArraySlice<PathTemplate.Piece>, _ raw: Substring) -> [(String, Substring)]? {
        guard let first = pieces.first else { return raw.isEmpty ? [] : nil }
        switch first {
        case .literal(let literal):
            guard raw.hasPrefix(literal) else { return nil }
            return match(pieces.dropFirst(), raw.dropFirst(literal.count))
        case .parameter(let name):
            guard !raw.isEmpty else { return nil }
            if pieces.count == 1 { return [(name, raw)] }
            var end = raw.index(after: raw.startIndex)
            while end <= raw.endIndex {
                if let rest = match(pieces.dropFirst(), raw[end...]) {
                    return [(name, raw[..<end])] + rest
                }
                guard end < raw.endIndex else { break }
                end = raw.index(after: end)
            }
            return nil
        }
    }
}
