extension JSONNumber {
    /// Scans one RFC 8259 number starting at `position`; advances past it, or returns nil
    /// (leaving `position` at the offending byte) when the grammar is violated.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) -> JSONNumber? {
        let count = bytes.count
        var p = position
        let negative = p < count && bytes[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        guard p < count, isDigit(bytes[p]) else { position = p; return nil }
        let integerStart = p
        if bytes[p] == UInt8(ascii: "0") {
            p += 1
        } else {
            while p < count, isDigit(bytes[p]) { p += 1 }
        }
        let integerEnd = p
        var fractionEnd = p
        var hasFraction = false
        if p < count, bytes[p] == UInt8(ascii: ".") {
            p += 1
            guard p < count, isDigit(bytes[p]) else { position = p; return nil }
            while p < count, isDigit(bytes[p]) { p += 1 }
            fractionEnd = p
            hasFraction = true
        }
        var exponent = 0
        var hasExponent = false
        if p < count, bytes[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            var exponentNegative = false
            if p < count, bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-") {
                exponentNegative = bytes[p] == UInt8(ascii: "-")
                p += 1
            }
            guard p < count, isDigit(bytes[p]) else { position = p; return nil }
            while p < count, isDigit(bytes[p]) {
                // Clamp absurd exponents instead of overflowing; such values are beyond any use.
                if exponent < 1_000_000_000_000 { exponent = exponent * 10 + Int(bytes[p] &- 48) }
                p += 1
            }
            if exponentNegative { exponent = -exponent }
            hasExponent = true
        }
        position = p
        let integerDigits = integerEnd - integerStart
        if !hasFraction, !hasExponent, integerDigits <= 18 {
            var value: Int64 = 0
            for i in integerStart..<integerEnd { value = value &* 10 &+ Int64(bytes[i] &- 48) }
            return JSONNumber(storage: .integer(negative ? -value : value))
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(fractionEnd - integerStart)
        for i in integerStart..<integerEnd { digits.append(bytes[i] &- 48) }
        var fractionDigits = 0
        if hasFraction {
            for i in (integerEnd + 1)..<fractionEnd { digits.append(bytes[i] &- 48) }
            fractionDigits = fractionEnd - integerEnd - 1
        }
        return ExactDecimal.canonical(negative: negative, digits: digits, exponent: exponent - fractionDigits)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }
}
