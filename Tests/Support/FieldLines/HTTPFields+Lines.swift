import HTTPTypes

/// Tests write header fields as `(name, value)` lines; every name they use is a valid field name.
extension HTTPFields {
    /// Fields from lines in message order.
    public init(_ lines: [(String, String)]) {
        self.init(lines.map { HTTPField(name: HTTPField.Name($0.0)!, value: $0.1) })
    }

    /// Replaces every line named `name` by one line with `value`, at the first line's position.
    public mutating func set(name: String, value: String) {
        self[HTTPField.Name(name)!] = value
    }

    /// Adds a line at the end.
    public mutating func append(name: String, value: String) {
        self.append(HTTPField(name: HTTPField.Name(name)!, value: value))
    }
}
