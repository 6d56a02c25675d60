/// Rejects schemas whose references loop back to themselves without descending into the instance
/// (e.g. `{"$ref": "#"}`): evaluating them would never terminate.
enum ReferenceCycleCheck {
    static func check(_ nodes: [Node], locations: [SchemaLocation: Int], registry: ResourceRegistry) throws(SchemaError) {
        // 0 = unvisited, 1 = on the current path, 2 = done.
        var state = [UInt8](repeating: 0, count: nodes.count)
        for start in nodes.indices where state[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                let edges = inPlaceEdges(nodes[top.node])
                if top.next < edges.count {
                    stack[stack.count - 1].next += 1
                    let target = edges[top.next]
                    if state[target] == 1 {
                        let location = locations.first { $0.value == target }?.key
                        throw SchemaError(code: .referenceCycle, message: "references loop without consuming the instance",
                                          location: location.map { JSONPointer.text($0.pointer) } ?? "",
                                          documentURI: location.map { registry.documents[$0.document].uri })
                    }
                    if state[target] == 0 {
                        state[target] = 1
                        stack.append((target, 0))
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
    }

    /// Subschemas applied to the same instance location as the schema itself.
    private static func inPlaceEdges(_ node: Node) -> [Int] {
        var edges: [Int] = []
        for keyword in node.keywords {
            switch keyword {
            case .ref(let target), .dynamicRef(let target, _), .not(let target): edges.append(target)
            case .allOf(let targets), .anyOf(let targets), .oneOf(let targets): edges += targets
            case .conditional(let condition, let then, let otherwise):
                edges.append(condition)
                if let then { edges.append(then) }
                if let otherwise { edges.append(otherwise) }
            case .dependentSchemas(let entries): edges += entries.map(\.node)
            default: break
            }
        }
        return edges
    }
}
