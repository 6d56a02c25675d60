import JSONSchema

extension Contract {
    /// One OpenAPI operation: a method on a path template, with what its requests and responses hold.
    public struct Operation: Sendable {
        /// `operationId`, when the contract gives one.
        public let operationId: String?
        /// The HTTP method in upper case, e.g. `POST`.
        public let method: String
        /// The path template as written, e.g. `/certificates/{certificateNumber}`.
        public let pathTemplate: String
        /// `summary`, when given.
        public let summary: String?
        /// Path, query, header and cookie parameters (path-level ones merged in).
        public let parameters: [Parameter]
        /// The request body, when the operation takes one.
        public let requestBody: RequestBody?
        /// Declared responses in document order.
        public let responses: [Response]
        /// JSON pointer of the operation object in the document.
        public let pointer: String
        /// The declared header parameters' names, lower-cased: the headers Rabt forwards besides
        /// its fixed set. Read once when the contract is compiled, not per request.
        public let declaredHeaderNames: Set<String>
        /// The declared cookie parameters' names.
        public let declaredCookieNames: Set<String>
        /// The declared query parameters' names as code points (UTF-8), as values are read.
        let declaredQueryNames: Set<[UInt8]>

        init(
            operationId: String?, method: String, pathTemplate: String, summary: String?, parameters: [Parameter],
            requestBody: RequestBody?, responses: [Response], pointer: String
        ) {
            self.operationId = operationId
            self.method = method
            self.pathTemplate = pathTemplate
            self.summary = summary
            self.parameters = parameters
            self.requestBody = requestBody
            self.responses = responses
            self.pointer = pointer
            declaredHeaderNames = Set(parameters.filter { $0.location == .header }.map { $0.name.lowercased() })
            declaredCookieNames = Set(parameters.filter { $0.location == .cookie }.map(\.name))
            declaredQueryNames = Set(parameters.filter { $0.location == .query }.map { Array($0.name.utf8) })
        }

        /// `METHOD /template`, the name the audit log records, e.g. `GET /violations/{nationalId}`.
        public var name: String { "\(method) \(pathTemplate)" }
    }

    /// An operation parameter.
    public struct Parameter: Sendable {
        /// Where a parameter is carried.
        public enum Location: String, Hashable, Sendable, CaseIterable {
            /// A templated path segment.
            case path
            /// A query item.
            case query
            /// A header field (name case-insensitive).
            case header
            /// A cookie in the `Cookie` header.
            case cookie
        }

        /// Serialisation styles Rabt reads.
        public enum Style: String, Hashable, Sendable, CaseIterable {
            /// Comma-separated arrays (path and header parameters).
            case simple
            /// Repeated items, or comma-separated without `explode` (query and cookie parameters).
            case form
            /// Space-separated arrays in one query item.
            case spaceDelimited
            /// `|`-separated arrays in one query item.
            case pipeDelimited
        }

        /// The name (matched case-insensitively for headers).
        public let name: String
        /// Where it is carried.
        public let location: Location
        /// Whether a request must carry it (always true for path parameters).
        public let required: Bool
        /// How an array value is serialised.
        public let style: Style
        /// Whether array items come as repeated parameters (`form` only).
        public let explode: Bool
        /// JSON pointer of the parameter's schema in the document.
        public let schemaPointer: String
        /// The JSON types the schema admits, used to read the string value.
        let shape: ValueShape
        /// The compiled schema.
        let validator: Validator
    }

    /// A request body.
    public struct RequestBody: Sendable {
        /// Whether a request must carry a body.
        public let required: Bool
        /// Accepted media types.
        public let content: [MediaType]
        /// JSON pointer of the request body object.
        public let pointer: String
    }

    /// A declared response: an exact status (`200`), a range (`2XX`) or `default`.
    public struct Response: Sendable {
        /// The key as written in `responses`.
        public let status: String
        /// Media types the response may carry; empty means no body.
        public let content: [MediaType]
        /// JSON pointer of the response object.
        public let pointer: String
    }

    /// A media type entry of a `content` map.
    public struct MediaType: Sendable {
        /// The media type or range as written, e.g. `application/json`, `application/*`.
        public let name: String
        /// JSON pointer of its schema, when it has one.
        public let schemaPointer: String?
        /// The parsed range used for matching.
        let range: MediaRange
        /// The compiled schema, when there is one.
        let validator: Validator?

        /// Whether bodies of this type are JSON (`application/json` or any `+json` type).
        public var isJSON: Bool { range.isJSON }
    }
}

/// The JSON types a parameter schema admits, and those of its items when it is an array.
struct ValueShape: Hashable, Sendable {
    /// `type` of the schema (after local `$ref`s); empty when it says nothing.
    var types: Set<String>
    /// `type` of `items`, for arrays.
    var itemTypes: Set<String>

    var isArray: Bool { types.contains("array") }
}
