/// Reads the top-level `sequence` member of a stored entry text without decoding the entry.
///
/// The tree check reads every entry of the log; a full JSON decode per entry would dominate it.
/// This walks the bytes once, skipping strings (with their escapes) and nested values, and
/// answers nil for anything that is not an object with a non-negative integer `sequence`.
enum AuditTextScanner {
    static func sequence(of bytes: [UInt8]) -> Int? {
        let key = Array(#""sequence""#.utf8)
        var depth = 0
        var index = 0
        var keyPosition = true
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { return nil }
                if depth == 1, keyPosition, index - start + 1 == key.count, bytes[start...index].elementsEqual(key) {
                    return integer(in: bytes, after: index + 1)
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                keyPosition = byte == UInt8(ascii: "{")
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                keyPosition = true
            case UInt8(ascii: ":"):
                keyPosition = false
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// The decimal digits after `:` at `position`.
    private static func integer(in bytes: [UInt8], after position: Int) -> Int? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
        var index = position + 1
        var value = 0
        let start = index
        while index < bytes.count, let digit = bytes[index].digitValue {
            guard value <= (Int.max - digit) / 10 else { return nil }
            value = value * 10 + digit
            index += 1
        }
        return index > start ? value : nil
    }
}

private extension UInt8 {
    var digitValue: Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) ? Int(self - UInt8(ascii: "0")) : nil
    }
}
