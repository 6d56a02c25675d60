import JSONSchema

extension Contract.Operation {
    /// Checks a request against the operation. `pathParameters` are the decoded values from
    /// `Contract.route`, `query` the decoded query items in order (``RequestTarget/queryItems``),
    /// `headers` the request's header fields. Returns every violation; empty means valid.
    ///
    /// Instance locations say where the fault is: `/path/nationalId`, `/query/from`,
    /// `/header/x-request-id`, `/cookie/session`, `/body/applicant/nationalId`. Keyword locations
    /// are JSON pointers into the contract document.
    public func validateRequest(pathParameters: [String: String], query: [(String, String)],
                                headers: [(String, String)], contentType: String?,
                                body: [UInt8]) -> [ValidationError] {
        var errors: [ValidationError] = []
        for parameter in parameters {
            let raw = parameter.rawValues(pathParameters: pathParameters, query: query, headers: headers)
            let at = parameter.instanceLocation
            if raw.isEmpty {
                if parameter.required {
                    errors.append(ValidationError(
                        instanceLocation: at, keywordLocation: Self.requiredPointer(of: parameter),
                        absoluteKeywordLocation: nil, keyword: "required",
                        message: "required \(parameter.location.rawValue) parameter '\(parameter.name)' is missing"))
                }
                continue
            }
            guard let value = parameter.value(from: raw) else {
                errors.append(ValidationError(
                    instanceLocation: at, keywordLocation: parameter.schemaPointer + "/type",
                    absoluteKeywordLocation: nil, keyword: "type",
                    message: "\(parameter.location.rawValue) parameter '\(parameter.name)' is given \(raw.count) times but is not an array"))
                continue
            }
            errors += Self.relocated(parameter.validator.validate(value).errors, instance: at,
                                     schema: parameter.schemaPointer)
        }
        errors += validateRequestBody(contentType: contentType, body: body)
        return errors
    }

    /// One violation per query item whose name the operation does not declare, for contracts
    /// that refuse them (`x-exchange.undeclaredQuery: refuse`, the default).
    public func undeclaredQueryViolations(_ query: [(String, String)]) -> [ValidationError] {
        // Names compare as code points, as the parameters' values are read (`rawValues`).
        var reported: Set<[UInt8]> = []
        return query.compactMap { name, _ in
            let bytes = Array(name.utf8)
            guard !declaredQueryNames.contains(bytes), reported.insert(bytes).inserted else { return nil }
            return ValidationError(
                instanceLocation: "/query/" + JSONPointer.escape(name), keywordLocation: pointer + "/parameters",
                absoluteKeywordLocation: nil, keyword: "parameters",
                message: "query parameter '\(name.prefix(100))' is not declared by \(self.name)")
        }
    }

    private func validateRequestBody(contentType: String?, body: [UInt8]) -> [ValidationError] {
        guard let requestBody else {
            guard body.isEmpty else {
                return [ValidationError(instanceLocation: "/body", keywordLocation: pointer,
                                        absoluteKeywordLocation: nil, keyword: "requestBody",
                                        message: "\(name) takes no request body")]
            }
            return []
        }
        if body.isEmpty {
            guard requestBody.required else { return [] }
            return [ValidationError(instanceLocation: "/body", keywordLocation: requestBody.pointer + "/required",
                                    absoluteKeywordLocation: nil, keyword: "required",
                                    message: "a request body is required")]
        }
        return Self.validateBody(body, contentType: contentType, content: requestBody.content,
                                 contentPointer: requestBody.pointer + "/content", isRequest: true)
    }

    /// Checks a provider's response: the response is chosen by exact status, then by range
    /// (`2XX`), then `default`; a status none of them covers is itself a violation.
    public func validateResponse(status: Int, contentType: String?, body: [UInt8]) -> [ValidationError] {
        guard let response = response(for: status) else {
            return [ValidationError(instanceLocation: "/status", keywordLocation: pointer + "/responses",
                                    absoluteKeywordLocation: nil, keyword: "responses",
                                    message: "status \(status) is not declared for \(name)")]
        }
        if response.content.isEmpty {
            guard body.isEmpty else {
                return [ValidationError(instanceLocation: "/body", keywordLocation: response.pointer,
                                        absoluteKeywordLocation: nil, keyword: "content",
                                        message: "response \(response.status) declares no body")]
            }
            return []
        }
        if body.isEmpty {
            // A HEAD response never has a body; for other methods a declared body must come.
            guard method != "HEAD" else { return [] }
            let expected = response.content.map(\.name).joined(separator: ", ")
            return [ValidationError(instanceLocation: "/body", keywordLocation: response.pointer + "/content",
                                    absoluteKeywordLocation: nil, keyword: "content",
                                    message: "response \(response.status) must have a body (\(expected))")]
        }
        return Self.validateBody(body, contentType: contentType, content: response.content,
                                 contentPointer: response.pointer + "/content")
    }

    /// The declared response that covers `status`: exact, then range, then `default`.
    public func response(for status: Int) -> Contract.Response? {
        let exact = String(status)
        let range = status >= 100 && status <= 599 ? "\(status / 100)XX" : nil
        return responses.first { $0.status == exact }
            ?? responses.first { $0.status == range }
            ?? responses.first { $0.status == "default" }
    }

    private static func validateBody(_ body: [UInt8], contentType: String?, content: [Contract.MediaType],
                                     contentPointer: String, isRequest: Bool = false) -> [ValidationError] {
        let expected = content.map(\.name).joined(separator: ", ")
        guard let contentType, let range = MediaRange(contentType) else {
            return [ValidationError(instanceLocation: "/header/content-type", keywordLocation: contentPointer,
                                    absoluteKeywordLocation: nil, keyword: "content",
                                    message: "the body has no valid Content-Type; expected \(expected)")]
        }
        guard let mediaType = MediaRange.best(for: range, in: content, range: \.range) else {
            return [ValidationError(instanceLocation: "/header/content-type", keywordLocation: contentPointer,
                                    absoluteKeywordLocation: nil, keyword: "content",
                                    message: "content type '\(range.type)/\(range.subtype)' is not accepted; expected \(expected)")]
        }
        // Only JSON bodies (application/json, */*+json) are parsed and checked; others pass as they are.
        guard range.isJSON else { return [] }
        // JSON is read as UTF-8 here; a provider told another charset would read other text than
        // was validated. (Responses are passed on as they came, so they are not refused for it.)
        if isRequest, let charset = charset(of: contentType), !["utf-8", "utf8"].contains(charset) {
            return [ValidationError(instanceLocation: "/header/content-type", keywordLocation: contentPointer,
                                    absoluteKeywordLocation: nil, keyword: "content",
                                    message: "a JSON body must be UTF-8; charset '\(charset.prefix(40))' is refused")]
        }
        let mediaPointer = JSONPointer.appending(contentPointer, mediaType.name)
        // RFC 8259 §8.1: a JSON text carries no byte order mark. A parser may skip one, another
        // may not; the provider must read the text that was validated, so a request has none.
        if isRequest, body.starts(with: [0xEF, 0xBB, 0xBF]) {
            return [ValidationError(instanceLocation: "/body", keywordLocation: mediaPointer,
                                    absoluteKeywordLocation: nil, keyword: "contentMediaType",
                                    message: "the body begins with a byte order mark, which JSON text must not carry")]
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            return [ValidationError(instanceLocation: "/body", keywordLocation: mediaPointer,
                                    absoluteKeywordLocation: nil, keyword: "contentMediaType",
                                    message: "the body is not valid JSON: \(error.description)")]
        }
        guard let validator = mediaType.validator, let schemaPointer = mediaType.schemaPointer else { return [] }
        return relocated(validator.validate(value).errors, instance: "/body", schema: schemaPointer)
    }

    /// Errors from a schema evaluated at `schema` on a value found at `instance`, with locations
    /// made absolute: the instance's within the request or response, the keyword's within the contract.
    private static func relocated(_ errors: [ValidationError], instance: String, schema: String) -> [ValidationError] {
        errors.map { error in
            ValidationError(instanceLocation: instance + error.instanceLocation,
                            keywordLocation: schema + error.keywordLocation,
                            absoluteKeywordLocation: error.absoluteKeywordLocation,
                            keyword: error.keyword, message: error.message)
        }
    }

    /// The `charset` parameter of a media type, lower case and unquoted; nil when absent.
    private static func charset(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].trimmingSpaces().lowercased() == "charset" else { continue }
            var value = parts[1].trimmingSpaces()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return value.lowercased()
        }
        return nil
    }

    private static func requiredPointer(of parameter: Contract.Parameter) -> String {
        // schemaPointer is `<parameter>/schema`; `required` sits beside it.
        String(parameter.schemaPointer.dropLast("/schema".count)) + "/required"
    }
}
