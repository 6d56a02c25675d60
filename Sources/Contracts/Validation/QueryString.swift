/// Reading a URL query into the decoded name–value pairs `validateRequest` takes.
public enum QueryString {
    /// The items of `query` (without the leading `?`) in order: split on `&`, names and values
    /// split at the first `=`, `+` read as a space and percent-escapes decoded. Items whose
    /// escapes are malformed keep their raw text, so validation reports them rather than hiding them.
    public static func parse(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            return (name, value)
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacing("+", with: " ")
        return PercentEncoding.decode(spaced[...]) ?? String(spaced)
    }
}
