import JSONSchema

/// A parameter as declared, before path-level and operation-level lists are merged.
struct ParameterDraft {
    let name: String
    let location: Contract.Parameter.Location
    let required: Bool
    let style: Contract.Parameter.Style
    let explode: Bool
    let schemaPointer: String
    /// Where it was declared (for faults).
    let pointer: String

    /// Parameters are the same when name and location are (header names case-insensitively).
    var identity: String {
        location.rawValue + ":" + (location == .header ? name.lowercased() : name)
    }
}

extension LoadContext {
    private static let parameterKeys: Set<String> = [
        "name", "in", "description", "required", "deprecated", "allowEmptyValue", "style", "explode",
        "allowReserved", "schema", "example", "examples", "content",
    ]
    /// Header parameters OpenAPI says to ignore: HTTP itself governs them.
    private static let ignoredHeaders: Set<String> = ["accept", "content-type", "authorization"]

    /// Reads a `parameters` list; duplicates within it are faults.
    mutating func readParameters(_ value: JSONValue?, at pointer: String) -> [ParameterDraft] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            report(.structure, pointer, "must be a list")
            return []
        }
        var drafts: [ParameterDraft] = []
        for (index, item) in items.enumerated() {
            let itemPointer = JSONPointer.appending(pointer, index)
            guard let draft = readParameter(item, at: itemPointer) else { continue }
            if drafts.contains(where: { $0.identity == draft.identity }) {
                report(.structure, itemPointer, "\(draft.location.rawValue) parameter '\(draft.name)' is declared twice")
                continue
            }
            drafts.append(draft)
        }
        return drafts
    }

    private mutating func readParameter(_ value: JSONValue, at pointer: String) -> ParameterDraft? {
        guard let (parameter, at) = dereference(value, at: pointer) else { return nil }
        checkKeys(parameter, at: at, allowed: Self.parameterKeys)
        let name = string(parameter["name"], at: at + "/name", required: true)
        let locationText = string(parameter["in"], at: at + "/in", required: true)
        let location = locationText.flatMap(Contract.Parameter.Location.init(rawValue:))
        if let locationText, location == nil {
            report(.structure, at + "/in", "'\(locationText)' is not path, query, header or cookie")
        }
        guard let name, let location else { return nil }
        if name.isEmpty { report(.structure, at + "/name", "must not be empty") }
        if location == .header && Self.ignoredHeaders.contains(name.lowercased()) { return nil }

        let required = bool(parameter["required"], at: at + "/required", default: false)
        if location == .path && !required {
            report(.structure, at + "/required", "a path parameter must be required: true")
        }
        if parameter["content"] != nil {
            report(.unsupported, at + "/content", "parameters described by 'content' are not supported; use 'schema'")
            return nil
        }
        guard let schema = parameter["schema"] else {
            report(.structure, at + "/schema", "required member is missing")
            return nil
        }
        guard schema.objectValue != nil || schema.boolValue != nil else {
            report(.structure, at + "/schema", "a schema must be an object or a boolean")
            return nil
        }
        guard let style = readStyle(parameter["style"], at: at + "/style", location: location) else { return nil }
        let explode = bool(parameter["explode"], at: at + "/explode", default: style == .form)
        return ParameterDraft(name: name, location: location, required: required, style: style,
                              explode: explode, schemaPointer: at + "/schema", pointer: at)
    }

    private mutating func readStyle(_ value: JSONValue?, at pointer: String,
                                    location: Contract.Parameter.Location) -> Contract.Parameter.Style? {
        let allowed: [String]
        switch location {
        case .path: allowed = ["simple"]
        case .query: allowed = ["form", "spaceDelimited", "pipeDelimited"]
        case .header: allowed = ["simple"]
        case .cookie: allowed = ["form"]
        }
        guard let value else { return Contract.Parameter.Style(rawValue: allowed[0]) }
        guard let text = string(value, at: pointer, required: true) else { return nil }
        guard allowed.contains(text), let style = Contract.Parameter.Style(rawValue: text) else {
            let known = ["matrix", "label", "form", "simple", "spaceDelimited", "pipeDelimited", "deepObject"]
            report(known.contains(text) ? .unsupported : .structure, pointer,
                   "style '\(text)' is not supported for \(location.rawValue) parameters (use \(allowed.joined(separator: ", ")))")
            return nil
        }
        return style
    }

    /// Compiles a draft into a parameter; nil (fault reported) when its schema is unusable.
    mutating func compile(_ draft: ParameterDraft) -> Contract.Parameter? {
        let shape = valueShape(ofSchemaAt: draft.schemaPointer)
        if shape.types.contains("object") || shape.itemTypes.contains("object") || shape.itemTypes.contains("array") {
            report(.unsupported, draft.schemaPointer, "object and nested array parameters are not supported")
            return nil
        }
        guard let validator = validator(forSchemaAt: draft.schemaPointer) else { return nil }
        return Contract.Parameter(name: draft.name, location: draft.location, required: draft.required,
                                  style: draft.style, explode: draft.explode, schemaPointer: draft.schemaPointer,
                                  shape: shape, validator: validator)
    }

    /// The types the schema at `pointer` admits, following local `$ref`s, and those of its `items`.
    func valueShape(ofSchemaAt pointer: String) -> ValueShape {
        let schema = followReferences(JSONPointer.resolve(pointer, in: document))
        let items = followReferences(schema?["items"])
        return ValueShape(types: Self.types(of: schema), itemTypes: Self.types(of: items))
    }

    private func followReferences(_ schema: JSONValue?) -> JSONValue? {
        var current = schema
        for _ in 0..<32 {
            guard case .object(let object) = current, object["type"] == nil,
                  let reference = object["$ref"]?.stringValue,
                  let target = JSONPointer.fromFragmentReference(reference) else { return current }
            current = JSONPointer.resolve(target, in: document)
        }
        return current
    }

    /// `type` when the schema states it, else the types of its `enum`/`const` values.
    private static func types(of schema: JSONValue?) -> Set<String> {
        guard case .object(let object) = schema else { return [] }
        switch object["type"] {
        case .string(let type):
            return [type]
        case .array(let types):
            return Set(types.compactMap(\.stringValue))
        default:
            let values = object["enum"]?.arrayValue ?? object["const"].map { [$0] } ?? []
            return Set(values.map { $0.typeName == "number" && $0.numberValue?.isInteger == true ? "integer" : $0.typeName })
        }
    }
}
