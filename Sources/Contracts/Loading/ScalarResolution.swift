import JSONSchema
import Yams

/// YAML 1.2 core-schema resolution of scalars to JSON values.
enum ScalarResolution {
    /// Why a scalar has no JSON value.
    struct Fault: Error {
        let message: String
    }

    private static let core = "tag:yaml.org,2002:"
    private static let nonFinite: Set<String> = [
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
    ]

    /// The JSON value of `scalar`: quoted and block scalars are strings, plain ones are resolved.
    static func value(of scalar: Node.Scalar) throws(Fault) -> JSONValue {
        let tag = scalar.tag.description
        let text = scalar.string
        switch tag {
        case "", "!":
            // "!" is the non-specific tag of quoted scalars; only untagged plain scalars are resolved.
            guard tag.isEmpty, scalar.style == .plain || scalar.style == .any else { return .string(text) }
            return try resolvePlain(text)
        case core + "str":
            return .string(text)
        case core + "null":
            guard isNull(text) else { throw Fault(message: "'!!null' scalar is not a null") }
            return .null
        case core + "bool":
            guard let value = bool(text) else { throw Fault(message: "'!!bool' scalar is not true or false") }
            return .bool(value)
        case core + "int":
            guard let value = try integer(text) else { throw Fault(message: "'!!int' scalar is not an integer") }
            return .number(value)
        case core + "float":
            if let value = try integer(text) { return .number(value) }
            if let value = try float(text) { return .number(value) }
            throw Fault(message: "'!!float' scalar is not a number")
        default:
            throw Fault(message: "tag \(shortTag(tag)) is not supported")
        }
    }

    /// `!!int` for core tags, the tag itself otherwise.
    static func shortTag(_ tag: String) -> String {
        tag.hasPrefix(core) ? "!!" + tag.dropFirst(core.count) : "'\(tag)'"
    }

    private static func resolvePlain(_ text: String) throws(Fault) -> JSONValue {
        if isNull(text) { return .null }
        if let value = bool(text) { return .bool(value) }
        if let value = try integer(text) { return .number(value) }
        if let value = try float(text) { return .number(value) }
        return .string(text)
    }

    private static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    private static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
    private static func integer(_ text: String) throws(Fault) -> JSONNumber? {
        for (prefix, radix) in [("0o", 8), ("0x", 16)] where text.hasPrefix(prefix) {
            let digits = text.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit && Int(String($0), radix: radix) != nil })
            else { return nil }
            guard let value = Int(digits, radix: radix) else {
                throw Fault(message: "integer is too large")
            }
            return JSONNumber(value)
        }
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        let trimmed = digits.drop { $0 == "0" }
        let literal = (negative ? "-" : "") + (trimmed.isEmpty ? "0" : String(trimmed))
        guard let number = JSONNumber(literal: literal) else { throw Fault(message: "integer is out of range") }
        return number
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`; infinities and NaN have no JSON form.
    private static func float(_ text: String) throws(Fault) -> JSONNumber? {
        if nonFinite.contains(text) {
            throw Fault(message: "infinity and NaN have no JSON representation")
        }
        var rest = Substring(text)
        var sign = ""
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? "-" : ""
            rest = rest.dropFirst()
        }
        let mantissaEnd = rest.firstIndex { $0 == "e" || $0 == "E" } ?? rest.endIndex
        let mantissa = rest[..<mantissaEnd]
        let exponent = rest[mantissaEnd...]
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 1 && !exponent.isEmpty) else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
              !(whole.isEmpty && fraction.isEmpty) else { return nil }
        if parts.count == 2 && whole.isEmpty && fraction.isEmpty { return nil }
        var exponentText = ""
        if !exponent.isEmpty {
            var digits = exponent.dropFirst()
            var exponentSign = ""
            if let first = digits.first, first == "-" || first == "+" {
                exponentSign = first == "-" ? "-" : ""
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
            exponentText = "e" + exponentSign + digits
        }
        let trimmedWhole = whole.drop { $0 == "0" }
        let literal = sign + (trimmedWhole.isEmpty ? "0" : String(trimmedWhole))
            + (fraction.isEmpty ? "" : "." + fraction) + exponentText
        guard let number = JSONNumber(literal: literal), number.doubleValue.isFinite else {
            throw Fault(message: "number is out of range")
        }
        return number
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
