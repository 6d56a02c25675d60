import RawStructuredFieldValues

/// A covered component of RFC 9421 §2: a derived component (`@method`) or a field name
/// (`content-digest`), with parameters `sf`, `key`, `bs`, `req`, `name` in the order given.
public struct ComponentIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// One component parameter.
    public struct Parameter: Sendable, Hashable {
        /// The parameter name, e.g. `req`.
        public var name: String
        /// The value: `true` for flags, a string for `key` and `name`.
        public var value: Value

        /// A parameter value.
        public enum Value: Sendable, Hashable {
            /// A boolean flag (`;sf`, `;bs`, `;req`).
            case flag(Bool)
            /// A string (`;key="a"`, `;name="Pet"`).
            case string(String)
        }
    }

    /// The component name in lowercase: `@method`, `content-digest`.
    public let name: String
    /// The parameters in order.
    public let parameters: [Parameter]

    private static let knownParameters: Set<String> = ["sf", "key", "bs", "req", "tr", "name"]

    /// Creates an identifier; the name is lowercased.
    public init(_ name: String, parameters: [Parameter] = []) {
        self.name = name.lowercased()
        self.parameters = parameters
    }

    /// A header field component, e.g. `.field("content-digest")` or `.field("signature", key: "sig1")`.
    public static func field(
        _ name: String, sf: Bool = false, key: String? = nil, bs: Bool = false, req: Bool = false
    ) -> ComponentIdentifier {
        var parameters: [Parameter] = []
        if sf { parameters.append(Parameter(name: "sf", value: .flag(true))) }
        if let key { parameters.append(Parameter(name: "key", value: .string(key))) }
        if bs { parameters.append(Parameter(name: "bs", value: .flag(true))) }
        if req { parameters.append(Parameter(name: "req", value: .flag(true))) }
        return ComponentIdentifier(name, parameters: parameters)
    }

    /// `"@method"`.
    public static let method = ComponentIdentifier("@method")
    /// `"@target-uri"`.
    public static let targetURI = ComponentIdentifier("@target-uri")
    /// `"@authority"`.
    public static let authority = ComponentIdentifier("@authority")
    /// `"@scheme"`.
    public static let scheme = ComponentIdentifier("@scheme")
    /// `"@request-target"`.
    public static let requestTarget = ComponentIdentifier("@request-target")
    /// `"@path"`.
    public static let path = ComponentIdentifier("@path")
    /// `"@query"`.
    public static let query = ComponentIdentifier("@query")
    /// `"@status"` (responses only).
    public static let status = ComponentIdentifier("@status")

    /// `"@query-param";name="…"`; `name` is given percent-encoded as RFC 9421 §2.2.8 requires.
    public static func queryParameter(_ name: String) -> ComponentIdentifier {
        ComponentIdentifier("@query-param", parameters: [Parameter(name: "name", value: .string(name))])
    }

    /// The same identifier taken from the related request (`;req` appended).
    public var fromRequest: ComponentIdentifier {
        guard !self.isFromRequest else { return self }
        return ComponentIdentifier(self.name, parameters: self.parameters + [Parameter(name: "req", value: .flag(true))])
    }

    /// Whether this is a derived component (name starts with `@`).
    public var isDerived: Bool { self.name.hasPrefix("@") }
    /// Whether `;req` is set.
    public var isFromRequest: Bool { self.flag("req") }
    /// Whether `;sf` is set.
    var isStructured: Bool { self.flag("sf") }
    /// Whether `;bs` is set.
    var isByteSequence: Bool { self.flag("bs") }
    /// Whether `;tr` is set.
    var isTrailer: Bool { self.flag("tr") }
    /// The `;key` value.
    var dictionaryKey: String? { self.string("key") }
    /// The `;name` value.
    var parameterName: String? { self.string("name") }

    private func flag(_ name: String) -> Bool {
        self.parameters.contains { $0.name == name && $0.value == .flag(true) }
    }

    private func string(_ name: String) -> String? {
        for parameter in self.parameters where parameter.name == name {
            if case .string(let value) = parameter.value { return value }
        }
        return nil
    }

    /// Whether this covered identifier satisfies a policy requirement `required`: same name, same
    /// `req`, and the whole field rather than one dictionary member.
    public func satisfies(_ required: ComponentIdentifier) -> Bool {
        self.name == required.name && self.isFromRequest == required.isFromRequest
            && self.dictionaryKey == required.dictionaryKey
            && self.parameterName == required.parameterName
    }

    /// The structured-field item form, e.g. `"@query-param";name="Pet"`.
    var item: Item {
        var parameters = OrderedMap<String, RFC9651BareItem>()
        for parameter in self.parameters {
            switch parameter.value {
            case .flag(let value): parameters[parameter.name] = .bool(value)
            case .string(let value): parameters[parameter.name] = .string(value)
            }
        }
        return Item(bareItem: RFC9651BareItem.string(self.name), parameters: parameters)
    }

    /// Reads an identifier from a `Signature-Input` inner-list item.
    init(item: Item) throws {
        guard case .string(let name) = item.rfc9651BareItem else {
            throw SigningError(.signatureInvalid, "a covered component is not a string")
        }
        guard name == name.lowercased(), !name.isEmpty else {
            throw SigningError(.signatureInvalid, "covered component names must be lowercase")
        }
        var parameters: [Parameter] = []
        for (key, value) in item.rfc9651Parameters {
            guard Self.knownParameters.contains(key) else {
                throw SigningError(.signatureInvalid, "component \(name) has unknown parameter \(key)")
            }
            switch value {
            case .bool(let flag): parameters.append(Parameter(name: key, value: .flag(flag)))
            case .string(let text): parameters.append(Parameter(name: key, value: .string(text)))
            default: throw SigningError(.signatureInvalid, "component \(name) parameter \(key) has a wrong type")
            }
        }
        self.init(name, parameters: parameters)
    }

    /// The serialised identifier as it appears in a signature base, e.g. `"content-digest";req`.
    public var description: String {
        var serializer = StructuredFieldValueSerializer()
        // An identifier built from a string and bool/string parameters always serialises.
        let bytes = (try? serializer.writeItemFieldValue(self.item)) ?? []
        return String(decoding: bytes, as: UTF8.self)
    }
}
