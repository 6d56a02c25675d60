import JSONSchema

extension LoadContext {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    private static let pathItemKeys = Set(methods + ["summary", "description", "servers", "parameters", "$ref"])
    private static let operationKeys: Set<String> = [
        "tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody",
        "responses", "callbacks", "deprecated", "security", "servers",
    ]

    /// Reads `paths`: every operation, and the table that matches requests to them.
    mutating func readPaths(_ value: JSONValue?) -> ([Contract.Operation], RouteTable) {
        guard let paths = object(value, at: "/paths", required: true) else { return ([], RouteTable(entries: [])) }
        if paths.isEmpty { report(.structure, "/paths", "a contract must declare at least one path") }
        var operations: [Contract.Operation] = []
        var entries: [RouteTable.Entry] = []
        var shapes: [String: String] = [:]
        var operationIds: Set<String> = []
        for (key, item) in paths {
            let at = JSONPointer.appending("/paths", key)
            if key.hasPrefix("x-") { continue }
            let template: PathTemplate
            do {
                template = try PathTemplate(key)
            } catch {
                report(.structure, at, error.message)
                continue
            }
            if let other = shapes.updateValue(key, forKey: template.shape) {
                report(.structure, at, "path is the same as '\(other)' but for parameter names")
                continue
            }
            guard case .object(let pathItem) = item else {
                report(.structure, at, "a path item must be an object")
                continue
            }
            checkKeys(pathItem, at: at, allowed: Self.pathItemKeys)
            if pathItem["$ref"] != nil {
                report(.unsupported, at + "/$ref", "path item references are not supported")
                continue
            }
            let shared = readParameters(pathItem["parameters"], at: at + "/parameters")
            var methods: [String: Int] = [:]
            for method in Self.methods {
                guard let operationValue = pathItem[method] else { continue }
                let operationAt = JSONPointer.appending(at, method)
                guard let operation = readOperation(operationValue, at: operationAt, method: method.uppercased(),
                                                    template: template, shared: shared) else { continue }
                if let id = operation.operationId, !operationIds.insert(id).inserted {
                    report(.structure, operationAt + "/operationId", "operationId '\(id)' is used twice")
                }
                methods[operation.method] = operations.count
                operations.append(operation)
            }
            entries.append(RouteTable.Entry(template: template, operations: methods))
        }
        return (operations, RouteTable(entries: entries))
    }

    private mutating func readOperation(_ value: JSONValue, at pointer: String, method: String,
                                        template: PathTemplate, shared: [ParameterDraft]) -> Contract.Operation? {
        guard let operation = object(value, at: pointer, required: true) else { return nil }
        checkKeys(operation, at: pointer, allowed: Self.operationKeys)
        let operationId = string(operation["operationId"], at: pointer + "/operationId", required: false)
        let summary = string(operation["summary"], at: pointer + "/summary", required: false)

        var drafts = shared
        for own in readParameters(operation["parameters"], at: pointer + "/parameters") {
            // An operation's parameter replaces the path item's one of the same name and location.
            drafts.removeAll { $0.identity == own.identity }
            drafts.append(own)
        }
        let declared = Set(drafts.filter { $0.location == .path }.map(\.name))
        for name in template.parameterNames where !declared.contains(name) {
            report(.structure, pointer, "path parameter '\(name)' of '\(template.text)' is not declared")
        }
        for draft in drafts where draft.location == .path && !template.parameterNames.contains(draft.name) {
            report(.structure, draft.pointer, "path parameter '\(draft.name)' is not in '\(template.text)'")
        }
        let parameters = drafts.compactMap { compile($0) }
        let requestBody = operation["requestBody"].flatMap { readRequestBody($0, at: pointer + "/requestBody") }
        let responses = readResponses(operation["responses"], at: pointer + "/responses")
        return Contract.Operation(operationId: operationId, method: method, pathTemplate: template.text,
                                  summary: summary, parameters: parameters, requestBody: requestBody,
                                  responses: responses, pointer: pointer)
    }

    private mutating func readRequestBody(_ value: JSONValue, at pointer: String) -> Contract.RequestBody? {
        guard let (body, at) = dereference(value, at: pointer) else { return nil }
        checkKeys(body, at: at, allowed: ["description", "content", "required"])
        let required = bool(body["required"], at: at + "/required", default: false)
        let content = readContent(body["content"], at: at + "/content", required: true)
        return Contract.RequestBody(required: required, content: content, pointer: at)
    }

    private mutating func readResponses(_ value: JSONValue?, at pointer: String) -> [Contract.Response] {
        guard let responses = object(value, at: pointer, required: true) else { return [] }
        if responses.isEmpty { report(.structure, pointer, "an operation must declare at least one response") }
        var result: [Contract.Response] = []
        for (key, item) in responses {
            let itemPointer = JSONPointer.appending(pointer, key)
            if key.hasPrefix("x-") { continue }
            guard Self.isResponseKey(key) else {
                report(.structure, itemPointer, "'\(key)' is not a status code (e.g. 200), a range (e.g. 2XX) or default")
                continue
            }
            guard let (response, at) = dereference(item, at: itemPointer) else { continue }
            checkKeys(response, at: at, allowed: ["description", "headers", "content", "links"])
            let content = readContent(response["content"], at: at + "/content", required: false)
            result.append(Contract.Response(status: key, content: content, pointer: at))
        }
        return result
    }

    private static func isResponseKey(_ key: String) -> Bool {
        if key == "default" { return true }
        let chars = Array(key)
        guard chars.count == 3, let first = chars[0].wholeNumberValue, (1...5).contains(first) else { return false }
        if chars[1] == "X" && chars[2] == "X" { return true }
        return chars[1].isASCII && chars[1].isNumber && chars[2].isASCII && chars[2].isNumber
    }

    private mutating func readContent(_ value: JSONValue?, at pointer: String, required: Bool) -> [Contract.MediaType] {
        guard let content = object(value, at: pointer, required: required) else { return [] }
        if required && content.isEmpty { report(.structure, pointer, "must name at least one media type") }
        var result: [Contract.MediaType] = []
        for (key, item) in content {
            let at = JSONPointer.appending(pointer, key)
            guard let range = MediaRange(key) else {
                report(.structure, at, "'\(key)' is not a media type")
                continue
            }
            if result.contains(where: { $0.range == range }) {
                report(.structure, at, "media type '\(key)' is declared twice")
                continue
            }
            guard let mediaType = object(item, at: at, required: true) else { continue }
            checkKeys(mediaType, at: at, allowed: ["schema", "example", "examples", "encoding"])
            var validator: Validator?
            var schemaPointer: String?
            if mediaType["schema"] != nil {
                schemaPointer = at + "/schema"
                validator = self.validator(forSchemaAt: at + "/schema")
                if validator == nil { continue }
            }
            result.append(Contract.MediaType(name: key, schemaPointer: schemaPointer, range: range, validator: validator))
        }
        return result
    }
}
