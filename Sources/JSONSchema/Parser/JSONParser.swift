/// A strict RFC 8259 parser over UTF-8 bytes, hand-written for speed.
struct JSONParser {
    /// Deepest array/object nesting accepted (bounds recursion in the parser and the validator).
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    private var scratch: [UInt8] = []
    // Members of the arrays and objects being parsed, shared by all nesting levels, so that each
    // finished container is copied out once at its exact size instead of growing step by step.
    private var valueStack: [JSONValue] = []
    private var keyStack: [String] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses exactly one JSON text (a leading UTF-8 byte order mark is skipped).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.position = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw parser.error(.trailingData, "unexpected data after the JSON value")
        }
        return value
    }

    private func error(_ code: JSONParseError.Code, _ message: String, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1, lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return JSONParseError(code: code, message: message, line: line, column: offset - lineStart + 1, offset: offset)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw error(.unexpectedEnd, "unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            var p = position
            do {
                let number = try JSONNumber.scan(bytes, at: &p)
                position = p
                return .number(number)
            } catch let fault {
                switch fault {
                case .malformed:
                    throw self.error(p < bytes.count ? .invalidNumber : .unexpectedEnd, "malformed number", at: p)
                case .outOfRange:
                    throw self.error(.invalidNumber, "number out of range: its decimal exponent lies beyond ±\(JSONNumber.maximumOrder)", at: p)
                }
            }
        default:
            throw error(.unexpectedCharacter, "unexpected character, expected a value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let base = literal.utf8Start
        for i in 0..<count {
            guard position + i < bytes.count else { throw error(.unexpectedEnd, "unexpected end of input in literal", at: position + i) }
            guard bytes[position + i] == base[i] else { throw error(.unexpectedCharacter, "invalid literal", at: position + i) }
        }
        position += count
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error(.tooDeep, "nesting deeper than \(Self.maximumDepth)") }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array([])
        }
        let base = valueStack.count
        while true {
            skipWhitespace()
            valueStack.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw error(.unexpectedEnd, "unexpected end of input in array") }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ",") { continue }
            if byte == UInt8(ascii: "]") { break }
            throw error(.unexpectedCharacter, "expected ',' or ']' in array", at: position - 1)
        }
        depth -= 1
        let elements = Array(valueStack[base...])
        valueStack.removeSubrange(base...)
        return .array(elements)
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(JSONObject())
        }
        let base = keyStack.count
        // Names are code points: "\u{212A}ind" and "Kind" are two members, not a duplicate.
        var seen: Set<CodePointKey>?  // only for large objects; small ones are scanned linearly
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error(.unexpectedEnd, "unexpected end of input in object") }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw error(.unexpectedCharacter, "expected a member name string")
            }
            let keyOffset = position
            let key = try parseString()
            let count = keyStack.count - base
            if count < 16, seen == nil {
                let length = key.utf8.count  // byte counts first: most names differ there, with no call
                for i in base..<keyStack.count where keyStack[i].utf8.count == length && CodePointKey.equal(keyStack[i], key) {
                    throw error(.duplicateKey, "duplicate member name", at: keyOffset)
                }
                if count == 15 { seen = Set(keyStack[base...].lazy.map(CodePointKey.init)) }
            }
            if seen != nil, !seen!.insert(CodePointKey(key)).inserted {
                throw error(.duplicateKey, "duplicate member name", at: keyOffset)
            }
            skipWhitespace()
            guard position < bytes.count else { throw error(.unexpectedEnd, "unexpected end of input in object") }
            guard bytes[position] == UInt8(ascii: ":") else { throw error(.unexpectedCharacter, "expected ':' after member name") }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            keyStack.append(key)
            valueStack.append(value)
            skipWhitespace()
            guard position < bytes.count else { throw error(.unexpectedEnd, "unexpected end of input in object") }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ",") { continue }
            if byte == UInt8(ascii: "}") { break }
            throw error(.unexpectedCharacter, "expected ',' or '}' in object", at: position - 1)
        }
        depth -= 1
        let valueBase = valueStack.count - (keyStack.count - base)
        let object = JSONObject(uniqueKeys: Array(keyStack[base...]), values: Array(valueStack[valueBase...]))
        keyStack.removeSubrange(base...)
        valueStack.removeSubrange(valueBase...)
        return .object(object)
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        var nonASCII = false
        // Fast path: no escapes. Eight bytes at a time while none is a quote, a backslash or a
        // control character (SWAR: a byte test on every lane of a 64-bit word at once).
        var p = position
        let end = bytes.count
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            var seen: UInt64 = 0
            while p + 8 <= end {
                let word = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                if special & highs != 0 { break }
                seen |= word
                p += 8
            }
            nonASCII = seen & highs != 0
            while p < end {
                let byte = base[p]
                if byte == UInt8(ascii: "\"") {
                    position = p + 1
                    return try makeString(UnsafeBufferPointer(start: base + start, count: p - start), nonASCII: nonASCII, at: start)
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 {
                    position = p
                    throw error(.invalidString, "unescaped control character in string")
                }
                if byte >= 0x80 { nonASCII = true }
                p += 1
            }
        }
        position = p
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                let text = scratch
                return try text.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> String in
                    try makeString(buffer, nonASCII: nonASCII, at: start)
                }
            case UInt8(ascii: "\\"):
                try parseEscape()
            case ..<0x20:
                throw error(.invalidString, "unescaped control character in string")
            default:
                if byte >= 0x80 { nonASCII = true }
                scratch.append(byte)
                position += 1
            }
        }
        throw error(.unexpectedEnd, "unterminated string")
    }

    private func makeString(_ slice: UnsafeBufferPointer<UInt8>, nonASCII: Bool, at offset: Int) throws(JSONParseError) -> String {
        guard nonASCII else { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw error(.invalidUTF8, "string is not valid UTF-8", at: offset)
        }
        return text
    }

    private mutating func parseEscape() throws(JSONParseError) {
        position += 1
        guard position < bytes.count else { throw error(.unexpectedEnd, "unterminated escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if scalar >= 0xD800, scalar < 0xDC00 {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error(.invalidString, "unpaired surrogate in \\u escape")
                }
                position += 2
                let low = try parseHex4()
                guard low >= 0xDC00, low < 0xE000 else { throw error(.invalidString, "unpaired surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00, scalar < 0xE000 {
                throw error(.invalidString, "unpaired surrogate in \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error(.invalidString, "invalid \\u escape") }
            scratch.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw error(.invalidString, "invalid escape character", at: position - 1)
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error(.unexpectedEnd, "truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 55
            default: throw error(.invalidString, "invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}

extension JSONValue {
    /// Parses strict RFC 8259 JSON from UTF-8 bytes; the error gives line and column.
    public init(parsing data: some Collection<UInt8>) throws(JSONParseError) {
        // The closure-taking buffer APIs are `rethrows` (untyped), so the outcome travels as a Result.
        let body = { (buffer: UnsafeBufferPointer<UInt8>) in Result { () throws(JSONParseError) in try JSONParser.parse(buffer) } }
        let result = data.withContiguousStorageIfAvailable(body) ?? Array(data).withUnsafeBufferPointer(body)
        self = try result.get()
    }

    /// Parses strict RFC 8259 JSON from text; the error gives line and column.
    public init(parsing text: String) throws(JSONParseError) {
        var text = text
        let result = text.withUTF8 { buffer in Result { () throws(JSONParseError) in try JSONParser.parse(buffer) } }
        self = try result.get()
    }
}
