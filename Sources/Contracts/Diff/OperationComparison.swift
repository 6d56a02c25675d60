import JSONSchema

/// Compares the operations of two contracts, matched by `METHOD /template`.
struct OperationComparison {
    private typealias Part = ContractDiff.OperationChange.Part

    private let old: [String: Contract.Operation]
    private let new: [String: Contract.Operation]
    /// Operation names in document order, those only in the old contract where they stood.
    private let names: [String]
    /// Operation names of the old contract in its order.
    private let oldNames: [String]
    private let documents: DocumentPair

    /// Prepares the comparison of `old`'s operations with `new`'s.
    init(old: Contract, new: Contract) {
        self.old = Dictionary(old.operations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.new = Dictionary(new.operations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        oldNames = old.operations.map(\.name)
        names = oldNames.mergedInOrder(with: new.operations.map(\.name))
        documents = DocumentPair(old: old.document, new: new.document)
    }

    /// Every operation added, removed or changed, in document order.
    func changes() -> [ContractDiff.OperationChange] {
        names.compactMap { name in
            switch (old[name], new[name]) {
            case (let a?, nil): return ContractDiff.OperationChange(kind: .removed, name: name, operationId: a.operationId)
            case (nil, let b?): return ContractDiff.OperationChange(kind: .added, name: name, operationId: b.operationId)
            case (let a?, let b?): return change(from: a, to: b)
            case (nil, nil): return nil
            }
        }
    }

    /// Breaking rules 1 to 3 of `ContractDiff`, operation by operation in the old contract's order.
    func breakingReasons() -> [String] {
        var reasons: [String] = []
        for name in oldNames {
            guard let a = old[name] else { continue }
            guard let b = new[name] else {
                reasons.append("operation removed: \(Self.label(a))")
                continue
            }
            for required in newlyRequired(from: a, to: b) {
                reasons.append("\(name): request property '\(required.name)' is newly required (\(required.pointer))")
            }
            let statuses = Set(b.responses.map(\.status))
            for response in a.responses where !statuses.contains(response.status) {
                reasons.append("\(name): response \(response.status) removed")
            }
        }
        return reasons
    }

    private static func label(_ operation: Contract.Operation) -> String {
        operation.operationId.map { "\(operation.name) (\($0))" } ?? operation.name
    }

    private func change(from a: Contract.Operation, to b: Contract.Operation) -> ContractDiff.OperationChange? {
        var parts: [Part] = []
        let parameters = parameterChanges(from: a, to: b)
        if !parameters.isEmpty { parts.append(.parameters) }
        parts += requestBodyParts(from: a, to: b)
        let responses = responseChanges(from: a, to: b)
        if !responses.isEmpty { parts.append(.responses) }
        if !otherMembersEquivalent(a, b) { parts.append(.other) }
        guard !parts.isEmpty else { return nil }
        return ContractDiff.OperationChange(kind: .changed, name: b.name, operationId: b.operationId ?? a.operationId,
                                            parts: parts, parameters: parameters.isEmpty ? nil : parameters,
                                            responses: responses.isEmpty ? nil : responses)
    }

    /// Parameters by `location name` (header names in lower case, as they match).
    private func parameterChanges(from a: Contract.Operation, to b: Contract.Operation) -> ContractDiff.NamedChanges {
        func keyed(_ operation: Contract.Operation) -> [(key: String, pointer: String)] {
            operation.parameters.map { parameter in
                let name = parameter.location == .header ? parameter.name.lowercased() : parameter.name
                // The loader puts a parameter's schema at `<parameter object>/schema`.
                return ("\(parameter.location.rawValue) \(name)", String(parameter.schemaPointer.dropLast("/schema".count)))
            }
        }
        return namedChanges(keyed(a), keyed(b))
    }

    /// Statuses as written in `responses`, compared with their references followed.
    private func responseChanges(from a: Contract.Operation, to b: Contract.Operation) -> ContractDiff.NamedChanges {
        func keyed(_ operation: Contract.Operation) -> [(key: String, pointer: String)] {
            let responses = JSONPointer.appending(operation.pointer, "responses")
            return operation.responses.map { ($0.status, JSONPointer.appending(responses, $0.status)) }
        }
        return namedChanges(keyed(a), keyed(b))
    }

    private func namedChanges(_ before: [(key: String, pointer: String)],
                              _ after: [(key: String, pointer: String)]) -> ContractDiff.NamedChanges {
        let oldPointers = Dictionary(before.map { ($0.key, $0.pointer) }, uniquingKeysWith: { first, _ in first })
        let newPointers = Dictionary(after.map { ($0.key, $0.pointer) }, uniquingKeysWith: { first, _ in first })
        var changes = ContractDiff.NamedChanges()
        for key in before.map(\.key).mergedInOrder(with: after.map(\.key)) {
            switch (oldPointers[key], newPointers[key]) {
            case (_?, nil): changes.removed.append(key)
            case (nil, _?): changes.added.append(key)
            case (let x?, let y?) where !documents.equivalent(old: x, new: y): changes.changed.append(key)
            default: break
            }
        }
        return changes
    }

    /// `.requestBody` when the body came, went or changed apart from its schemas; `.requestBodySchema`
    /// when the schema of a media type both accept changed.
    private func requestBodyParts(from a: Contract.Operation, to b: Contract.Operation) -> [Part] {
        let rawA = JSONPointer.appending(a.pointer, "requestBody")
        let rawB = JSONPointer.appending(b.pointer, "requestBody")
        if documents.equivalent(old: rawA, new: rawB) { return [] }
        guard let bodyA = a.requestBody, let bodyB = b.requestBody else { return [.requestBody] }

        let schemaChanged = bodyA.content.contains { mediaA in
            guard let mediaB = bodyB.content.first(where: { $0.name == mediaA.name }) else { return false }
            switch (mediaA.schemaPointer, mediaB.schemaPointer) {
            case (let x?, let y?): return !documents.equivalent(old: x, new: y)
            case (nil, nil): return false
            default: return true
            }
        }
        let shellA = Self.withoutSchemas(JSONPointer.resolve(bodyA.pointer, in: documents.old))
        let shellB = Self.withoutSchemas(JSONPointer.resolve(bodyB.pointer, in: documents.new))
        // Whatever else differs (a reference's own description, say) counts as the body changing.
        let bodyChanged = !documents.equivalent(shellA, shellB) || !schemaChanged
        return (bodyChanged ? [.requestBody] : []) + (schemaChanged ? [.requestBodySchema] : [])
    }

    /// A request body object with the `schema` of each media type left out.
    private static func withoutSchemas(_ body: JSONValue?) -> JSONValue {
        guard case .object(var object)? = body else { return body ?? .null }
        if case .object(var content)? = object["content"] {
            for name in content.keys {
                guard case .object(var mediaType)? = content[name] else { continue }
                mediaType["schema"] = nil
                content[name] = .object(mediaType)
            }
            object["content"] = .object(content)
        }
        return .object(object)
    }

    /// Whether the operations agree on everything but parameters, request body and responses,
    /// their path items included (summary, description, servers).
    private func otherMembersEquivalent(_ a: Contract.Operation, _ b: Contract.Operation) -> Bool {
        func others(_ pointer: String, in document: JSONValue, leaving excluded: Set<String>) -> JSONValue {
            guard case .object(let object)? = JSONPointer.resolve(pointer, in: document) else { return .null }
            return .object(JSONObject(object.filter { !excluded.contains($0.key) }.map { ($0.key, $0.value) }))
        }
        let operationParts: Set<String> = ["parameters", "requestBody", "responses"]
        let pathItemParts = Set(LoadContext.methods + ["parameters"])
        return documents.equivalent(others(a.pointer, in: documents.old, leaving: operationParts),
                                    others(b.pointer, in: documents.new, leaving: operationParts))
            && documents.equivalent(others(Self.pathItem(of: a), in: documents.old, leaving: pathItemParts),
                                    others(Self.pathItem(of: b), in: documents.new, leaving: pathItemParts))
    }

    /// The pointer of the path item holding `operation` (its own pointer less the method).
    private static func pathItem(of operation: Contract.Operation) -> String {
        guard let slash = operation.pointer.lastIndex(of: "/") else { return operation.pointer }
        return String(operation.pointer[..<slash])
    }

    private func newlyRequired(from a: Contract.Operation, to b: Contract.Operation) -> [DocumentPair.NewlyRequired] {
        guard let bodyA = a.requestBody, let bodyB = b.requestBody else { return [] }
        var found: [DocumentPair.NewlyRequired] = []
        for mediaA in bodyA.content {
            guard let schemaA = mediaA.schemaPointer,
                  let schemaB = bodyB.content.first(where: { $0.name == mediaA.name })?.schemaPointer else { continue }
            for required in documents.newlyRequired(old: schemaA, new: schemaB) where !found.contains(required) {
                found.append(required)
            }
        }
        return found
    }
}
