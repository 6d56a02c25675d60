import Foundation

/// The `format` values this implementation can assert (when format assertion is on).
enum Format: String, Sendable {
    case date, dateTime = "date-time", time, email, uuid, ipv4, ipv6, hostname, uri, duration
    case uriReference = "uri-reference", jsonPointer = "json-pointer", regex
    case relativeJSONPointer = "relative-json-pointer", uriTemplate = "uri-template", idnHostname = "idn-hostname"
    case iri, iriReference = "iri-reference", idnEmail = "idn-email"

    /// Whether `text` conforms.
    func accepts(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        switch self {
        case .date: return Self.isDate(bytes[...])
        case .time: return Self.isTime(bytes[...])
        case .dateTime:
            guard let t = bytes.firstIndex(where: { $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: "t") }) else { return false }
            return Self.isDate(bytes[..<t]) && Self.isTime(bytes[(t + 1)...])
        case .email: return Email.isValid(text, international: false)
        case .idnEmail: return Email.isValid(text, international: true)
        case .uuid: return Self.isUUID(bytes)
        case .ipv4: return Self.isIPv4(Substring(text))
        case .ipv6: return Self.isIPv6(text)
        case .hostname: return Hostname.isValid(text)
        case .idnHostname: return Hostname.isValidInternationalized(text)
        case .uri: return URISyntax.isValid(text, requireScheme: true, international: false)
        case .uriReference: return URISyntax.isValid(text, requireScheme: false, international: false)
        case .iri: return URISyntax.isValid(text, requireScheme: true, international: true)
        case .iriReference: return URISyntax.isValid(text, requireScheme: false, international: true)
        case .jsonPointer: return JSONPointer.tokens(text) != nil && Self.validPointerEscapes(text)
        case .duration: return Self.isDuration(bytes)
        case .regex: return ECMAPatternSyntax.isValid(text)
        case .relativeJSONPointer: return RelativeJSONPointer.isValid(text)
        case .uriTemplate: return URITemplate.isValid(text)
        }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 &- 48 < 10 }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// RFC 3339 full-date with calendar checks (leap years included).
    private static func isDate(_ b: ArraySlice<UInt8>) -> Bool {
        let s = Array(b)
        guard s.count == 10, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
            let y = number(s[0..<4]), let m = number(s[5..<7]), let d = number(s[8..<10]), (1...12).contains(m), d >= 1
        else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    /// RFC 3339 full-time: hh:mm:ss[.frac](Z|±hh:mm); a leap second only at 23:59:60 UTC.
    private static func isTime(_ b: ArraySlice<UInt8>) -> Bool {
        let s = Array(b)
        guard s.count >= 9, s[2] == UInt8(ascii: ":"), s[5] == UInt8(ascii: ":"),
            let h = number(s[0..<2]), let m = number(s[3..<5]), let sec = number(s[6..<8]), h < 24, m < 60, sec <= 60
        else { return false }
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
            guard s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-"), s.count - i == 6, s[i + 3] == UInt8(ascii: ":"),
                let oh = number(s[(i + 1)..<(i + 3)]), let om = number(s[(i + 4)..<(i + 6)]), oh < 24, om < 60
            else { return false }
            offsetMinutes = (oh * 60 + om) * (s[i] == UInt8(ascii: "+") ? 1 : -1)
        }
        if sec == 60 {
            let utc = ((h * 60 + m - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    private static func isUUID(_ s: [UInt8]) -> Bool {
        guard s.count == 36 else { return false }
        for (i, c) in s.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                guard c == UInt8(ascii: "-") else { return false }
            } else if !(c &- 48 < 10 || (c | 0x20) &- 97 < 6) {
                return false
            }
        }
        return true
    }

    private static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(part), v <= 255 else { return false }
            return part.count == 1 || part.first != "0"
        }
    }

    private static func isIPv6(_ text: String) -> Bool {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == ".") }) else { return false }
        var groups = text.components(separatedBy: ":")
        var maxGroups = 8
        if let last = groups.last, last.contains(".") {
            guard isIPv4(Substring(last)) else { return false }
            groups.removeLast()
            maxGroups = 6
        }
        let compressed = text.components(separatedBy: "::").count - 1
        guard compressed <= 1, !text.contains(":::") else { return false }
        if compressed == 0 {
            return groups.count == maxGroups && groups.allSatisfy { (1...4).contains($0.count) && !$0.contains(".") }
        }
        // Empty groups only where "::" sits (at most two adjacent, or the edges).
        let nonEmpty = groups.filter { !$0.isEmpty }
        guard nonEmpty.allSatisfy({ $0.count <= 4 && !$0.contains(".") }), nonEmpty.count < maxGroups else { return false }
        if text.hasPrefix(":"), !text.hasPrefix("::") { return false }
        if text.hasSuffix(":"), !text.hasSuffix("::") { return false }
        return true
    }

    private static func validPointerEscapes(_ text: String) -> Bool {
        var chars = text.makeIterator()
        while let c = chars.next() {
            if c == "~" {
                guard let n = chars.next(), n == "0" || n == "1" else { return false }
            }
        }
        return true
    }

    /// ISO 8601 duration as profiled by RFC 3339 appendix A.
    private static func isDuration(_ s: [UInt8]) -> Bool {
        guard s.first == UInt8(ascii: "P"), s.count > 1 else { return false }
        var i = 1, inTime = false, sawUnit = false, lastOrder = -1, weeks = false, timeUnits = 0
        let dateOrder: [UInt8: Int] = [UInt8(ascii: "Y"): 0, UInt8(ascii: "M"): 1, UInt8(ascii: "D"): 2]
        let timeOrder: [UInt8: Int] = [UInt8(ascii: "H"): 4, UInt8(ascii: "M"): 5, UInt8(ascii: "S"): 6]
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
                guard let order = (inTime ? timeOrder : dateOrder)[unit], lastOrder < 0 || order == lastOrder + 1 else { return false }
                lastOrder = order
                if inTime { timeUnits += 1 }
            }
            sawUnit = true
        }
        return sawUnit && (!inTime || timeUnits > 0) && (weeks || lastOrder >= 0 || timeUnits > 0)
    }
}
