import HTTPTypes

extension HTTPField.Name {
    /// `Signature` (RFC 9421 §4.2).
    public static let signature = Self("Signature")!
    /// `Signature-Input` (RFC 9421 §4.1).
    public static let signatureInput = Self("Signature-Input")!
    /// `Content-Digest` (RFC 9530 §2).
    public static let contentDigest = Self("Content-Digest")!
}

extension HTTPFields {
    /// The RFC 9421 §2.1 value of a field: each line trimmed and unfolded, the lines joined by
    /// `", "` (for every field, `Cookie` included); nil when the field is absent.
    public func combinedValue(_ name: HTTPField.Name) -> String? {
        let values = self[values: name]
        guard !values.isEmpty else { return nil }
        return values.map(Self.canonicalLine).joined(separator: ", ")
    }

    /// The values of the field named by `text` (a covered component's name, a name a caller
    /// typed), in order, compared without case; none when `text` is not a valid field name.
    public func values(named text: String) -> [String] {
        guard let name = HTTPField.Name(text) else { return [] }
        return self[values: name]
    }

    /// One line's value as RFC 9421 §2.1 reads it: without surrounding spaces and tabs. Line
    /// folding cannot occur here: `HTTPField` holds no line breaks, and the server refuses folded lines.
    static func canonicalLine(_ value: String) -> String {
        value.trimmingOWS()
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
