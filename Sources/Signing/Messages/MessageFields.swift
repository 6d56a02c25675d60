/// The header (or trailer) fields of an HTTP message in order, with case-insensitive lookup.
public struct MessageFields: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// One field line: a name as sent and its value.
    public struct Field: Sendable, Hashable {
        /// The field name as it appeared (compared case-insensitively).
        public var name: String
        /// The field value.
        public var value: String

        /// Creates a field line.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Every field line in message order.
    public private(set) var fields: [Field]

    /// Creates a field list from lines in message order.
    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    /// Creates a field list from `(name, value)` pairs in message order.
    public init(_ pairs: [(String, String)]) {
        self.fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Creates a field list from a literal; repeated names are not possible this way.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The values of every line named `name`, in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return self.fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// Whether at least one line is named `name`.
    public func contains(_ name: String) -> Bool {
        let wanted = name.lowercased()
        return self.fields.contains { $0.name.lowercased() == wanted }
    }

    /// The RFC 9421 §2.1 value: each line trimmed, obsolete folding collapsed, joined by `", "`; nil if absent.
    public func combinedValue(_ name: String) -> String? {
        let values = self.values(name)
        guard !values.isEmpty else { return nil }
        return values.map(Self.canonicalLine).joined(separator: ", ")
    }

    /// Adds a line at the end.
    public mutating func append(name: String, value: String) {
        self.fields.append(Field(name: name, value: value))
    }

    /// Replaces every line named `name` by one line with `value`, kept at the first line's position.
    public mutating func set(name: String, value: String) {
        let wanted = name.lowercased()
        if let first = self.fields.firstIndex(where: { $0.name.lowercased() == wanted }) {
            self.fields[first].value = value
            var index = self.fields.index(after: first)
            while index < self.fields.endIndex {
                if self.fields[index].name.lowercased() == wanted {
                    self.fields.remove(at: index)
                } else {
                    index = self.fields.index(after: index)
                }
            }
        } else {
            self.append(name: name, value: value)
        }
    }

    /// Removes every line named `name`.
    public mutating func remove(name: String) {
        let wanted = name.lowercased()
        self.fields.removeAll { $0.name.lowercased() == wanted }
    }

    /// Trims surrounding whitespace and replaces obsolete line folding (CRLF/LF + whitespace) by one space.
    static func canonicalLine(_ value: String) -> String {
        var result = ""
        var pendingFold = false
        let scalars = Array(value.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\r" || scalar == "\n" {
                pendingFold = true
                index += 1
                continue
            }
            if pendingFold {
                // Folding whitespace after a line break collapses with the break into a single space.
                while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
                result.unicodeScalars.append(" ")
                pendingFold = false
                continue
            }
            result.unicodeScalars.append(scalar)
            index += 1
        }
        return result.trimmingOWS()
    }
}

extension String {
    /// The string without leading and trailing spaces and horizontal tabs (HTTP's OWS).
    func trimmingOWS() -> String {
        let scalars = self.unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[start...end])
    }
}
