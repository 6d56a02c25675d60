/// Syntax of a Relative JSON Pointer (draft-handrews-relative-json-pointer-01 §3):
/// a non-negative integer without leading zeros, then either `#` or a JSON Pointer.
enum RelativeJSONPointer {
    /// Whether `text` is a relative JSON pointer.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count, bytes[i] &- UInt8(ascii: "0") < 10 { i += 1 }
        guard i > 0, i == 1 || bytes[0] != UInt8(ascii: "0") else { return false }
        if i == bytes.count { return true }
        if bytes[i] == UInt8(ascii: "#") { return i + 1 == bytes.count }
        guard bytes[i] == UInt8(ascii: "/") else { return false }
        // The rest is a JSON Pointer: `~` only as `~0` or `~1`.
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "~") {
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "0") || bytes[i + 1] == UInt8(ascii: "1") else { return false }
                i += 2
            } else {
                i += 1
            }
        }
        return true
    }
}
