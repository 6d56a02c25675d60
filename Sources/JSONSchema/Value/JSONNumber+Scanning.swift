extension JSONNumber {
    /// Why a number is not read.
    enum ScanFault: Error {
        /// The RFC 8259 grammar is violated.
        case malformed
        /// The number's order of magnitude (the power of ten of its leading digit) lies beyond
        /// ±``maximumOrder``, or its written exponent beyond 1,000 times that.
        case outOfRange
    }

    /// The largest order of magnitude a number may have, either way: RFC 8259 lets a parser bound
    /// the range it accepts, and this bound keeps every accepted number exact and its canonical
    /// text readable again as the same number (an exponent past it used to be clamped, silently
    /// changing the value).
    static let maximumOrder = 1_000_000_000_000

    /// Scans one RFC 8259 number starting at `position` and advances past it; on a fault,
    /// `position` is left at the offending byte (the start of the number when out of range).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) throws(ScanFault) -> JSONNumber {
        let count = bytes.count
        var p = position
        let negative = p < count && bytes[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        guard p < count, isDigit(bytes[p]) else { position = p; throw .malformed }
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
            guard p < count, isDigit(bytes[p]) else { position = p; throw .malformed }
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
            guard p < count, isDigit(bytes[p]) else { position = p; throw .malformed }
            var exponentTooLarge = false
            while p < count, isDigit(bytes[p]) {
                // No overflow: a written exponent this large is out of range whatever the digits.
                let next = exponent * 10 + Int(bytes[p] &- 48)
                if next > 1_000 * maximumOrder { exponentTooLarge = true } else { exponent = next }
                p += 1
            }
            if exponentTooLarge { throw .outOfRange }
            if exponentNegative { exponent = -exponent }
            hasExponent = true
        }
        let integerDigits = integerEnd - integerStart
        if !hasFraction, !hasExponent, integerDigits <= 18 {
            var value: Int64 = 0
            for i in integerStart..<integerEnd { value = value &* 10 &+ Int64(bytes[i] &- 48) }
            position = p
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
        let number = ExactDecimal.canonical(negative: negative, digits: digits, exponent: exponent - fractionDigits)
        if case .decimal(let decimal) = number.storage, abs(decimal.digits.count - 1 + decimal.exponent) > maximumOrder {
            throw .outOfRange
        }
        position = p
        return number
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }
}
