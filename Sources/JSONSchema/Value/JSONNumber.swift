/// An exact JSON number: integers of any size and decimals keep their precision, and `1.0 == 1`.
///
/// Every value has one canonical form (an `Int64` when it is an integer in range, otherwise a
/// normalised decimal significand and exponent), so equality and hashing are structural.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    enum Storage: Hashable, Sendable {
        case integer(Int64)
        case decimal(ExactDecimal)
        /// NaN and infinities only reach here from `init(Double)`; JSON text cannot carry them.
        case nonFinite(Double)
    }

    let storage: Storage

    init(storage: Storage) { self.storage = storage }

    /// A number holding an integer exactly.
    public init(_ v: Int) { storage = .integer(Int64(v)) }

    /// A number holding a 64-bit integer exactly.
    public init(_ v: Int64) { storage = .integer(v) }

    /// A number holding the shortest decimal that round-trips to `v` (so `0.1` stays `0.1`).
    public init(_ v: Double) {
        if !v.isFinite {
            storage = .nonFinite(v)
        } else if v == v.rounded(), abs(v) < 9.2e18 {
            storage = .integer(Int64(v))
        } else if let parsed = JSONNumber(literal: v.description) {
            storage = parsed.storage
        } else {
            storage = .nonFinite(v)
        }
    }

    /// Parses a JSON number literal (RFC 8259 grammar); nil when `literal` is not one.
    public init?(literal: String) {
        var text = literal
        let parsed: JSONNumber?? = text.withUTF8 { buffer in
            var position = 0
            guard let number = try? JSONNumber.scan(buffer, at: &position), position == buffer.count else { return .some(nil) }
            return .some(number)
        }
        guard let number = parsed ?? nil else { return nil }
        self = number
    }

    /// The nearest `Double` (correctly rounded; may be infinite for huge exponents).
    public var doubleValue: Double {
        switch storage {
        case .integer(let i): return Double(i)
        case .nonFinite(let d): return d
        case .decimal(let d): return Double(d.scientificText) ?? (d.negative ? -.infinity : .infinity)
        }
    }

    /// The value as `Int64` when it is an exact integer in range, otherwise nil.
    public var int64Value: Int64? {
        if case .integer(let i) = storage { return i }
        return nil
    }

    /// Whether the value is mathematically an integer (`1.0` is).
    public var isInteger: Bool {
        switch storage {
        case .integer: return true
        case .decimal(let d): return d.exponent >= 0
        case .nonFinite: return false
        }
    }

    /// Canonical JSON text for the value (`1.0` prints as `1`, huge exponents in `e` notation).
    public var description: String {
        switch storage {
        case .integer(let i): return String(i)
        case .decimal(let d): return d.text
        case .nonFinite(let d): return d.description
        }
    }
}

/// A non-zero decimal `±digits × 10^exponent` with no leading or trailing zero digits.
struct ExactDecimal: Hashable, Sendable {
    var negative: Bool
    /// Digit values 0...9, most significant first.
    var digits: [UInt8]
    var exponent: Int

    /// Builds the canonical number for `±digits × 10^exponent` (digits may carry zeros at either end).
    static func canonical(negative: Bool, digits: [UInt8], exponent: Int) -> JSONNumber {
        var start = 0
        while start < digits.count, digits[start] == 0 { start += 1 }
        guard start < digits.count else { return JSONNumber(storage: .integer(0)) }
        var end = digits.count
        var exponent = exponent
        while digits[end - 1] == 0 { end -= 1; exponent += 1 }
        let significant = end - start
        if exponent >= 0, significant + exponent <= 19 {
            var magnitude: UInt64 = 0
            var overflow = false
            for i in start..<end {
                let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(digits[i]))
                magnitude = s
                overflow = overflow || o1 || o2
            }
            for _ in 0..<exponent where !overflow {
                let (m, o) = magnitude.multipliedReportingOverflow(by: 10)
                magnitude = m
                overflow = o
            }
            if !overflow {
                if !negative, magnitude <= UInt64(Int64.max) { return JSONNumber(storage: .integer(Int64(magnitude))) }
                if negative, magnitude <= UInt64(Int64.max) + 1 {
                    return JSONNumber(storage: .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)))
                }
            }
        }
        let trimmed = (start == 0 && end == digits.count) ? digits : Array(digits[start..<end])
        return JSONNumber(storage: .decimal(ExactDecimal(negative: negative, digits: trimmed, exponent: exponent)))
    }

    /// The decimal form of a 64-bit integer (nil for zero).
    init?(_ value: Int64) {
        guard value != 0 else { return nil }
        var magnitude = value.magnitude
        var reversed: [UInt8] = []
        while magnitude > 0 { reversed.append(UInt8(magnitude % 10)); magnitude /= 10 }
        var exponent = 0
        while reversed.first == 0 { reversed.removeFirst(); exponent += 1 }
        self.init(negative: value < 0, digits: reversed.reversed(), exponent: exponent)
    }

    init(negative: Bool, digits: [UInt8], exponent: Int) {
        self.negative = negative
        self.digits = digits
        self.exponent = exponent
    }

    /// Text `digitsEexponent`, accepted by `Double(_:)`.
    var scientificText: String {
        var s = negative ? "-" : ""
        for d in digits { s.unicodeScalars.append(Unicode.Scalar(d + 48)) }
        s += "e\(exponent)"
        return s
    }

    /// Canonical JSON text: plain notation for moderate magnitudes, `e` notation otherwise.
    var text: String {
        var s = negative ? "-" : ""
        let digitText = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
        let n = digits.count
        let point = n + exponent
        if exponent >= 0, point <= 40 {
            s += digitText + String(repeating: "0", count: exponent)
        } else if exponent < 0, point > 0 {
            s += digitText.prefix(point) + "." + digitText.dropFirst(point)
        } else if exponent < 0, point > -7 {
            s += "0." + String(repeating: "0", count: -point) + digitText
        } else {
            s += digitText.prefix(1)
            if n > 1 { s += "." + digitText.dropFirst() }
            s += "e\(point - 1 >= 0 ? "+" : "")\(point - 1)"
        }
        return s
    }
}
