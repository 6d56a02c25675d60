import JSONSchema

extension DocumentPair {
    /// A property name a schema of the new document requires and its old counterpart did not.
    struct NewlyRequired: Hashable {
        /// Pointer of the `required` list in the new document that names it.
        let pointer: String
        /// The property name.
        let name: String
    }

    /// Keywords holding one subschema that applies to (part of) the same instance.
    private static let singleSubschemas = [
        "items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains", "then", "else",
    ]
    /// Keywords holding a map of subschemas.
    private static let subschemaMaps = ["properties", "patternProperties", "dependentSchemas"]
    /// Keywords holding a list of subschemas, matched by index.
    private static let subschemaLists = ["prefixItems", "anyOf", "oneOf"]
    /// Most schema objects gathered for one place (its `$ref` and `allOf` closure).
    private static let applicatorLimit = 64

    /// The names the schema at `newPointer` requires, at any depth the two schemas share, that the
    /// schema at `oldPointer` of the old document does not; in the order found, without repeats.
    func newlyRequired(old oldPointer: String, new newPointer: String) -> [NewlyRequired] {
        var visited: Set<String> = []
        var found: [NewlyRequired] = []
        walk(old: oldPointer, new: newPointer, visited: &visited, found: &found)
        var seen: Set<NewlyRequired> = []
        return found.filter { seen.insert($0).inserted }
    }

    private func walk(old oldPointer: String, new newPointer: String, visited: inout Set<String>,
                      found: inout [NewlyRequired]) {
        // Each pair of places once: this is what ends recursive schemas.
        guard visited.insert(oldPointer + "\u{0}" + newPointer).inserted else { return }
        let before = Self.applicators(at: oldPointer, in: old)
        let after = Self.applicators(at: newPointer, in: new)
        guard !before.isEmpty, !after.isEmpty else { return }

        let required = Set(before.flatMap { Self.requiredNames($0.object) })
        for (pointer, object) in after {
            for name in Self.requiredNames(object) where !required.contains(name) {
                found.append(NewlyRequired(pointer: JSONPointer.appending(pointer, "required"), name: name))
            }
        }
        for keyword in Self.singleSubschemas {
            guard let x = before.first(where: { $0.object[keyword] != nil }),
                  let y = after.first(where: { $0.object[keyword] != nil }) else { continue }
            walk(old: JSONPointer.appending(x.pointer, keyword), new: JSONPointer.appending(y.pointer, keyword),
                 visited: &visited, found: &found)
        }
        for keyword in Self.subschemaMaps {
            for (pointer, object) in after {
                guard case .object(let members)? = object[keyword] else { continue }
                for name in members.keys {
                    guard let x = before.first(where: { $0.object[keyword]?[name] != nil }) else { continue }
                    let keywordAt = JSONPointer.appending(x.pointer, keyword)
                    walk(old: JSONPointer.appending(keywordAt, name),
                         new: JSONPointer.appending(JSONPointer.appending(pointer, keyword), name),
                         visited: &visited, found: &found)
                }
            }
        }
        for keyword in Self.subschemaLists {
            guard let x = before.first(where: { $0.object[keyword]?.arrayValue != nil }),
                  let y = after.first(where: { $0.object[keyword]?.arrayValue != nil }),
                  let xs = x.object[keyword]?.arrayValue, let ys = y.object[keyword]?.arrayValue else { continue }
            for index in 0..<min(xs.count, ys.count) {
                walk(old: JSONPointer.appending(JSONPointer.appending(x.pointer, keyword), index),
                     new: JSONPointer.appending(JSONPointer.appending(y.pointer, keyword), index),
                     visited: &visited, found: &found)
            }
        }
    }

    /// The schema objects that apply at `pointer`: the schema, then what its local `$ref` and its
    /// `allOf` members bring in, each once.
    private static func applicators(at pointer: String, in document: JSONValue) -> [(pointer: String, object: JSONObject)] {
        var result: [(pointer: String, object: JSONObject)] = []
        var seen: Set<String> = []
        func add(_ pointer: String) {
            guard result.count < applicatorLimit, seen.insert(pointer).inserted,
                  case .object(let object)? = JSONPointer.resolve(pointer, in: document) else { return }
            result.append((pointer, object))
            if let target = localReference(.object(object)) { add(target) }
            if case .array(let members)? = object["allOf"] {
                for index in members.indices { add(JSONPointer.appending(JSONPointer.appending(pointer, "allOf"), index)) }
            }
        }
        add(pointer)
        return result
    }

    /// The strings of a schema's `required` list.
    private static func requiredNames(_ schema: JSONObject) -> [String] {
        schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
