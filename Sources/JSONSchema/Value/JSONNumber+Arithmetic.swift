extension JSONNumber: Comparable {
    /// Exact numeric ordering (no rounding through `Double` unless a value is non-finite).
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// -1, 0 or 1 as `lhs` is less than, equal to or greater than `rhs`.
    static func compare(_ lhs: JSONNumber, _ rhs: JSONNumber) -> Int {
        switch (lhs.storage, rhs.storage) {
        case (.integer(let a), .integer(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.nonFinite, _), (_, .nonFinite):
            let a = lhs.doubleValue, b = rhs.doubleValue
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.decimal(let a), .integer(let b)):
            if let order = compareFraction(a, b) { return order }
        case (.integer(let a), .decimal(let b)):
            if let order = compareFraction(b, a) { return -order }
        default:
            break
        }
        return compareDecimals(lhs.decimalForm, rhs.decimalForm)
    }

    /// Compares a non-integer decimal with an integer without building the integer's digits
    /// (a `minimum: -90` against `31.95`); nil when the decimal is too large for the shortcut.
    private static func compareFraction(_ a: ExactDecimal, _ b: Int64) -> Int? {
        // Canonical decimals have no trailing zero digit, so a negative exponent means a
        // non-zero fraction: |a| lies strictly between its integer part and the next integer.
        let whole = a.digits.count + a.exponent
        guard a.exponent < 0, whole <= 18 else { return nil }
        var integerPart: UInt64 = 0
        for i in 0..<max(whole, 0) { integerPart = integerPart * 10 + UInt64(a.digits[i]) }
        let signA = a.negative ? -1 : 1, signB = b < 0 ? -1 : (b == 0 ? 0 : 1)
        if signA != signB { return signA < signB ? -1 : 1 }
        let magnitude = integerPart < b.magnitude ? -1 : 1
        return a.negative ? -magnitude : magnitude
    }

    /// The decimal form; nil means zero.
    var decimalForm: ExactDecimal? {
        switch storage {
        case .integer(let i): return ExactDecimal(i)
        case .decimal(let d): return d
        case .nonFinite: return nil
        }
    }

    private static func compareDecimals(_ a: ExactDecimal?, _ b: ExactDecimal?) -> Int {
        let signA = a.map { $0.negative ? -1 : 1 } ?? 0
        let signB = b.map { $0.negative ? -1 : 1 } ?? 0
        guard signA == signB, let a, let b else { return signA < signB ? -1 : (signA == signB ? 0 : 1) }
        let magnitude = compareMagnitudes(a, b)
        return a.negative ? -magnitude : magnitude
    }

    private static func compareMagnitudes(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        let orderA = a.digits.count + a.exponent, orderB = b.digits.count + b.exponent
        if orderA != orderB { return orderA < orderB ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for i in 0..<n {
            let da = i < a.digits.count ? a.digits[i] : 0
            let db = i < b.digits.count ? b.digits[i] : 0
            if da != db { return da < db ? -1 : 1 }
        }
        return 0
    }

    /// Whether `self` is an exact integer multiple of `divisor` (which must be positive).
    func isMultiple(of divisor: JSONNumber) -> Bool {
        if case .integer(let a) = storage, case .integer(let b) = divisor.storage, b != 0 {
            return a.magnitude % b.magnitude == 0
        }
        guard let b = divisor.decimalForm else { return false }
        guard case .nonFinite = storage else {
            guard let a = decimalForm else { return true }  // zero is a multiple of everything
            return Self.decimalIsMultiple(a, of: b) ?? Self.approximateIsMultiple(doubleValue, divisor.doubleValue)
        }
        return false
    }

    /// Exact test on scaled integers when the scaled divisor fits in 64 bits; nil otherwise.
    private static func decimalIsMultiple(_ a: ExactDecimal, of b: ExactDecimal) -> Bool? {
        let common = min(a.exponent, b.exponent)
        // a = A × 10^(ea - common), b = B × 10^(eb - common) over the common exponent.
        guard let modulus = scaledValue(b.digits, zeros: b.exponent - common) else { return nil }
        var remainder: UInt64 = 0
        for d in a.digits {
            remainder = mulmod(remainder, 10, modulus)
            remainder = (remainder + UInt64(d) % modulus) % modulus
        }
        let scale = powmod(10, a.exponent - common, modulus)
        return mulmod(remainder, scale, modulus) == 0
    }

    private static func scaledValue(_ digits: [UInt8], zeros: Int) -> UInt64? {
        guard digits.count + zeros <= 19 else { return nil }
        var v: UInt64 = 0
        for d in digits {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = s
        }
        for _ in 0..<zeros {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            if o { return nil }
            v = m
        }
        return v
    }

    private static func mulmod(_ x: UInt64, _ y: UInt64, _ m: UInt64) -> UInt64 {
        let product = (x % m).multipliedFullWidth(by: y % m)
        return m.dividingFullWidth(product).remainder
    }

    private static func powmod(_ base: UInt64, _ exponent: Int, _ m: UInt64) -> UInt64 {
        var result: UInt64 = 1 % m, b = base % m, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = mulmod(result, b, m) }
            b = mulmod(b, b, m)
            e >>= 1
        }
        return result
    }

    private static func approximateIsMultiple(_ a: Double, _ b: Double) -> Bool {
        let q = a / b
        return q.isFinite && q == q.rounded()
    }
}
