/// One HTTP header field as sent or received; order and repetition are preserved.
public struct HTTPHeader: Sendable, Hashable {
    /// The field name as written (compared case-insensitively).
    public var name: String
    /// The field value.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTPHeader {
    /// The first value of the named field, compared case-insensitively.
    public func first(named name: String) -> String? {
        let lowered = name.lowercased()
        return first { $0.name.lowercased() == lowered }?.value
    }

    /// All values of the named field, compared case-insensitively, in order.
    public func values(named name: String) -> [String] {
        let lowered = name.lowercased()
        return filter { $0.name.lowercased() == lowered }.map(\.value)
    }
}

/// Removes the headers that must not be forwarded by an intermediary (RFC 9110 section 7.6.1).
///
/// Drops `Connection`, `Keep-Alive`, `Proxy-*`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`,
/// every field named in a `Connection` header, and `Host` and `Content-Length`, which libcurl
/// sets itself from the URL and the body.
public func strippingHopByHopHeaders(_ headers: [HTTPHeader]) -> [HTTPHeader] {
    var dropped: Set<String> = [
        "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
        "host", "content-length",
    ]
    for value in headers.values(named: "connection") {
        for token in value.split(separator: ",") {
            let name = token.trimmingCharacters(in: " \t").lowercased()
            if !name.isEmpty { dropped.insert(name) }
        }
    }
    return headers.filter { header in
        let name = header.name.lowercased()
        return !dropped.contains(name) && !name.hasPrefix("proxy-")
    }
}

extension StringProtocol {
    /// The string without the given leading and trailing characters.
    func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        guard let first = firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = lastIndex(where: { !set.contains($0) })!
        return String(self[first...last])
    }
}
