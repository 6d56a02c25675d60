import HTTPTypes

extension HTTPField.Name {
    /// `Idempotency-Key`: the sender's key that makes a retried request safe to repeat.
    public static let idempotencyKey = Self("Idempotency-Key")!
}

extension HTTPFields {
    /// These fields without those an intermediary must not pass on (RFC 9110 section 7.6.1):
    /// `Connection`, `Keep-Alive`, `Proxy-*`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`, every
    /// field a `Connection` option names, and `Host` and `Content-Length`, which libcurl sets itself
    /// from the URL and the body.
    public func removingHopByHop() -> HTTPFields {
        var dropped: Set<String> = [
            "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
        ]
        for value in self[values: .connection] {
            for option in value.split(separator: ",") {
                let name = option.trimmingCharacters(in: " \t").lowercased()
                if !name.isEmpty { dropped.insert(name) }
            }
        }
        return HTTPFields(self.filter { field in
            let name = field.name.canonicalName
            return !dropped.contains(name) && !name.hasPrefix("proxy-")
        })
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
