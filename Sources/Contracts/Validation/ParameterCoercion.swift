import JSONSchema

extension Contract.Parameter {
    /// The raw string values a request carries for this parameter (empty when absent).
    func rawValues(pathParameters: [String: String], query: [(String, String)],
                   headers: [(String, String)]) -> [String] {
        switch location {
        case .path:
            return pathParameters[name].map { [$0] } ?? []
        case .query:
            // Names compare as code points: a canonically equivalent name is another parameter.
            return query.filter { $0.0.utf8.elementsEqual(name.utf8) }.map(\.1)
        case .header:
            let lowered = name.lowercased()
            return headers.filter { $0.0.lowercased() == lowered }.map { String($0.1.trimmingSpaces()) }
        case .cookie:
            return headers.filter { $0.0.lowercased() == "cookie" }.flatMap { header in
                CookiePairs.read(header.1).filter { $0.name.utf8.elementsEqual(name.utf8) }.map { String($0.value) }
            }
        }
    }

    /// The JSON value the raw strings stand for, read as OpenAPI serialises parameters: strings
    /// become integers, numbers or booleans when the schema asks for them and they parse as such
    /// (otherwise they stay strings and the schema reports the `type` mismatch); arrays are split
    /// by the style's delimiter. Nil when a single-valued parameter came more than once.
    func value(from raw: [String]) -> JSONValue? {
        if shape.isArray {
            let items: [String]
            switch style {
            case .form where explode: items = raw
            case .form, .simple: items = raw.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            case .spaceDelimited: items = raw.flatMap { $0.split(separator: " ", omittingEmptySubsequences: false).map(String.init) }
            case .pipeDelimited: items = raw.flatMap { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
            }
            return .array(items.map { Self.scalar($0, types: shape.itemTypes) })
        }
        guard raw.count == 1 else { return nil }
        return Self.scalar(raw[0], types: shape.types)
    }

    private static func scalar(_ text: String, types: Set<String>) -> JSONValue {
        if types.contains("integer") || types.contains("number"), let number = JSONNumber(literal: text),
           types.contains("number") || number.isInteger {
            return .number(number)
        }
        if types.contains("boolean") {
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
        }
        return .string(text)
    }

    /// Where errors about this parameter point, e.g. `/query/from`, `/header/x-request-id`.
    var instanceLocation: String {
        JSONPointer.appending("/" + location.rawValue, location == .header ? name.lowercased() : name)
    }
}

/// The `name=value` pairs of a `Cookie` field, read one way for validation and forwarding alike:
/// split on `;`, spaces and tabs trimmed (nothing else), pairs without `=` or without a name
/// left out.
public enum CookiePairs {
    /// The pairs of `value` in order.
    public static func read(_ value: String) -> [(name: Substring, value: Substring)] {
        value.split(separator: ";", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.trimmingSpaces().split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { return nil }
            return (parts[0], parts[1])
        }
    }
}
