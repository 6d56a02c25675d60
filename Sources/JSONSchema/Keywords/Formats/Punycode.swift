/// Punycode (RFC 3492), the encoding of a U-label's code points as the ASCII after `xn--`.
enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 128
    /// RFC 3492 §6.4: arithmetic beyond this is an overflow, and the input invalid.
    private static let maxInt = Int(Int32.max)

    /// The code points `encoded` (ASCII, without the `xn--` prefix) stands for, or nil if it is
    /// not valid Punycode. Basic code points keep their case; digits are case-insensitive.
    static func decode(_ encoded: some Collection<UInt8>) -> [Unicode.Scalar]? {
        let input = Array(encoded)
        guard input.allSatisfy({ $0 < 0x80 }) else { return nil }
        let delimiter = input.lastIndex(of: UInt8(ascii: "-")) ?? 0
        var output = input[..<delimiter].map { Unicode.Scalar($0) }
        var position = delimiter > 0 ? delimiter + 1 : 0
        var n = initialN, i = 0, bias = initialBias
        while position < input.count {
            let oldI = i
            var w = 1, k = base
            while true {
                guard position < input.count, let digit = digitValue(input[position]) else { return nil }
                position += 1
                guard digit <= (maxInt - i) / w else { return nil }
                i += digit * w
                let t = threshold(k, bias)
                if digit < t { break }
                guard w <= maxInt / (base - t) else { return nil }
                w *= base - t
                k += base
            }
            let count = output.count + 1
            bias = adapt(i - oldI, count: count, first: oldI == 0)
            guard i / count <= maxInt - n else { return nil }
            n += i / count
            i %= count
            guard n >= 0x80, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        return output
    }

    /// The Punycode form of `scalars` (without the `xn--` prefix), or nil on overflow.
    static func encode(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        var output = scalars.filter(\.isASCII).map { UInt8($0.value) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }
        var n = initialN, delta = 0, bias = initialBias
        while handled < scalars.count {
            guard let m = scalars.lazy.map({ Int($0.value) }).filter({ $0 >= n }).min() else { return nil }
            guard m - n <= (maxInt - delta) / (handled + 1) else { return nil }
            delta += (m - n) * (handled + 1)
            n = m
            for scalar in scalars {
                let c = Int(scalar.value)
                if c < n {
                    delta += 1
                    guard delta <= maxInt else { return nil }
                }
                guard c == n else { continue }
                var q = delta, k = base
                while true {
                    let t = threshold(k, bias)
                    if q < t { break }
                    output.append(digitCharacter(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digitCharacter(q))
                bias = adapt(delta, count: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return output
    }

    private static func threshold(_ k: Int, _ bias: Int) -> Int {
        k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
    }

    /// RFC 3492 §6.1 bias adaptation.
    private static func adapt(_ delta: Int, count: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func digitValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(c - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(c - UInt8(ascii: "A"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - UInt8(ascii: "0")) + 26
        default: return nil
        }
    }

    private static func digitCharacter(_ d: Int) -> UInt8 {
        d < 26 ? UInt8(ascii: "a") + UInt8(d) : UInt8(ascii: "0") + UInt8(d - 26)
    }
}
