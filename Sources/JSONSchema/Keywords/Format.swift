import Foundation

/// The `format` values this implementation can assert (when format assertion is on).
enum Format: String, Sendable {
    case date, dateTime = "date-time", time, email, uuid, ipv4, ipv6, hostname, uri, duration
    case uriReference = "uri-reference", jsonPointer = "json-pointer", regex
    case relativeJSONPointer = "relative-json-pointer", uriTemplate = "uri-template", idnHostname = "idn-hostname"
    case iri, iriReference = "iri-reference", idnEmail = "idn-email"

    /// Whether `text` conforms.
    func accepts(_ text: String) -> Bool {
        // Checks read the UTF-8 bytes in place (native strings are contiguous): no copy, and
        // only the non-ASCII cases decode scalars.
        if let result = text.utf8.withContiguousStorageIfAvailable({ accepts(utf8: $0, text) }) { return result }
        return Array(text.utf8).withUnsafeBufferPointer { accepts(utf8: $0, text) }
    }

    /// Whether the UTF-8 bytes `b` of `text` conform.
    private func accepts(utf8 b: UnsafeBufferPointer<UInt8>, _ text: String) -> Bool {
        switch self {
        case .date: return Self.isDate(b)
        case .time: return Self.isTime(b)
        case .dateTime:
            guard let t = b.firstIndex(where: { $0 | 0x20 == UInt8(ascii: "t") }) else { return false }
            return Self.isDate(UnsafeBufferPointer(rebasing: b[..<t])) && Self.isTime(UnsafeBufferPointer(rebasing: b[(t + 1)...]))
        case .email: return Email.isValid(utf8: b, international: false)
        case .idnEmail: return Email.isValid(utf8: b, international: true)
        case .uuid: return Self.isUUID(b)
        case .ipv4: return Self.isIPv4(b)
        case .ipv6: return Self.isIPv6(b)
        case .hostname: return Hostname.isValid(utf8: b)
        case .idnHostname: return Hostname.isValidInternationalized(utf8: b, text)
        case .uri: return URISyntax.isValid(utf8: b, requireScheme: true, international: false)
        case .uriReference: return URISyntax.isValid(utf8: b, requireScheme: false, international: false)
        case .iri: return URISyntax.isValid(utf8: b, requireScheme: true, international: true)
        case .iriReference: return URISyntax.isValid(utf8: b, requireScheme: false, international: true)
        case .jsonPointer: return Self.isJSONPointer(b)
        case .duration: return Self.isDuration(b)
        case .regex: return ECMAPatternSyntax.isValid(text)
        case .relativeJSONPointer: return RelativeJSONPointer.isValid(text)
        case .uriTemplate: return URITemplate.isValid(text)
        }
    }

    /// The decimal value of the `count` ASCII digits at `start`, or -1.
    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int {
        var value = 0
        for i in start..<(start + count) {
            let digit = b[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return -1 }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// RFC 3339 full-date with calendar checks (leap years included).
    static func isDate(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        let y = number(b, 0, 4), m = number(b, 5, 2), d = number(b, 8, 2)
        guard y >= 0, m >= 1, m <= 12, d >= 1 else { return false }
        switch m {
        case 2: return d <= ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28)
        case 4, 6, 9, 11: return d <= 30
        default: return d <= 31
        }
    }

    /// RFC 3339 full-time: hh:mm:ss[.frac](Z|±hh:mm); a leap second only at 23:59:60 UTC.
    static func isTime(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.count >= 9, s[2] == UInt8(ascii: ":"), s[5] == UInt8(ascii: ":") else { return false }
        let h = number(s, 0, 2), m = number(s, 3, 2), sec = number(s, 6, 2)
        guard h >= 0, h < 24, m >= 0, m < 60, sec >= 0, sec <= 60 else { return false }
        var i = 8
        if s[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < s.count, s[i] &- 48 < 10 { i += 1 }
            guard i > start else { return false }
        }
        guard i < s.count else { return false }
        var offsetMinutes = 0
        if s[i] | 0x20 == UInt8(ascii: "z") {
            guard i + 1 == s.count else { return false }
        } else {
            guard s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-"), s.count - i == 6, s[i + 3] == UInt8(ascii: ":") else { return false }
            let oh = number(s, i + 1, 2), om = number(s, i + 4, 2)
            guard oh >= 0, oh < 24, om >= 0, om < 60 else { return false }
            offsetMinutes = (oh * 60 + om) * (s[i] == UInt8(ascii: "+") ? 1 : -1)
        }
        if sec == 60 {
            let utc = ((h * 60 + m - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    /// 8-4-4-4-12 hex digits.
    private static func isUUID(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.count == 36, s[8] == UInt8(ascii: "-"), s[13] == UInt8(ascii: "-"), s[18] == UInt8(ascii: "-"), s[23] == UInt8(ascii: "-")
        else { return false }
        var i = 0
        while i < 36 {
            guard ASCIISet.hexDigit.contains(s[i]) || i == 8 || i == 13 || i == 18 || i == 23 else { return false }
            i += 1
        }
        return true
    }

    /// Four dot-separated decimal octets without leading zeros.
    static func isIPv4(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var parts = 0, value = 0, digits = 0, leadingZero = false
        for i in 0...b.count {
            if i == b.count || b[i] == UInt8(ascii: ".") {
                guard digits >= 1, digits <= 3, value <= 255, !(leadingZero && digits > 1) else { return false }
                parts += 1
                value = 0
                digits = 0
                continue
            }
            let digit = b[i] &- UInt8(ascii: "0")
            guard digit < 10, digits < 3 else { return false }
            if digits == 0 { leadingZero = digit == 0 }
            value = value * 10 + Int(digit)
            digits += 1
        }
        return parts == 4
    }

    /// RFC 4291 §2.2 text form: eight groups of 1–4 hex digits, at most one `::` standing for
    /// one or more zero groups, and optionally an IPv4 address in place of the last two groups.
    static func isIPv6(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n > 0 else { return false }
        var colons = 0, compressed = 0, lastColon = -1, tailHasDot = false
        for i in 0..<n {
            let c = b[i]
            if c == UInt8(ascii: ":") {
                colons += 1
                lastColon = i
                tailHasDot = false
                if i + 1 < n, b[i + 1] == UInt8(ascii: ":") {
                    if i + 2 < n, b[i + 2] == UInt8(ascii: ":") { return false }
                    compressed += 1
                }
            } else if c == UInt8(ascii: ".") {
                tailHasDot = true
            } else if !(c &- 48 < 10 || (c | 0x20) &- 97 < 6) {
                return false
            }
        }
        guard compressed <= 1 else { return false }
        var groups = colons + 1, end = n, maxGroups = 8
        if tailHasDot {
            guard isIPv4(UnsafeBufferPointer(rebasing: b[(lastColon + 1)...])) else { return false }
            groups -= 1
            end = max(lastColon, 0)
            maxGroups = 6
        }
        // Every group (the IPv4 tail apart) holds at most four hex digits; empty ones only at `::`.
        var nonEmpty = 0, start = 0
        if groups > 0 {
            for i in 0...end where i == end || b[i] == UInt8(ascii: ":") {
                let length = i - start
                start = i + 1
                guard length <= 4, compressed == 1 || length > 0 else { return false }
                if length > 0 {
                    guard !b[(i - length)..<i].contains(UInt8(ascii: ".")) else { return false }
                    nonEmpty += 1
                }
            }
        }
        if compressed == 0 { return groups == maxGroups }
        guard nonEmpty < maxGroups else { return false }
        if b[0] == UInt8(ascii: ":"), n < 2 || b[1] != UInt8(ascii: ":") { return false }
        if b[n - 1] == UInt8(ascii: ":"), n < 2 || b[n - 2] != UInt8(ascii: ":") { return false }
        return true
    }

    /// RFC 6901: empty, or `/`-prefixed reference tokens in which `~` is only `~0` or `~1`.
    private static func isJSONPointer(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first else { return true }
        guard first == UInt8(ascii: "/") else { return false }
        var i = 1
        while i < b.count {
            if b[i] == UInt8(ascii: "~") {
                guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "0") || b[i + 1] == UInt8(ascii: "1") else { return false }
                i += 2
            } else {
                i += 1
            }
        }
        return true
    }

    /// ISO 8601 duration as profiled by RFC 3339 appendix A.
    private static func isDuration(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.first == UInt8(ascii: "P"), s.count > 1 else { return false }
        var i = 1, inTime = false, sawUnit = false, lastOrder = -1, weeks = false, timeUnits = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "T") {
                guard !inTime else { return false }
                inTime = true
                lastOrder = -1
                i += 1
                continue
            }
            let start = i
            while i < s.count, s[i] &- 48 < 10 { i += 1 }
            guard i > start, i < s.count else { return false }
            let unit = s[i]
            i += 1
            if unit == UInt8(ascii: "W") {
                guard !inTime, !sawUnit, i == s.count else { return false }
                weeks = true
            } else {
                // Units are consecutive (RFC 3339 appendix A): no Y…D without M, no H…S without M.
                let order: Int
                switch (inTime, unit) {
                case (false, UInt8(ascii: "Y")): order = 0
                case (false, UInt8(ascii: "M")): order = 1
                case (false, UInt8(ascii: "D")): order = 2
                case (true, UInt8(ascii: "H")): order = 4
                case (true, UInt8(ascii: "M")): order = 5
                case (true, UInt8(ascii: "S")): order = 6
                default: return false
                }
                guard lastOrder < 0 || order == lastOrder + 1 else { return false }
                lastOrder = order
                if inTime { timeUnits += 1 }
            }
            sawUnit = true
        }
        return sawUnit && (!inTime || timeUnits > 0) && (weeks || lastOrder >= 0 || timeUnits > 0)
    }
}
