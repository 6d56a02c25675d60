import JSONSchema

/// The structural difference of two JSON values, as a list of changes in document order.
enum JSONDiff {
    /// The changes that turn `old` into `new`, with pointers below `pointer`.
    static func changes(from old: JSONValue, to new: JSONValue, at pointer: String = "") -> [ContractDiff.Change] {
        var changes: [ContractDiff.Change] = []
        collect(old, new, at: pointer, into: &changes)
        return changes
    }

    /// `value` as compact JSON, cut to `limit` characters with a final `…` when longer.
    static func excerpt(_ value: JSONValue, limit: Int = ContractDiff.Change.excerptLimit) -> String {
        let text = value.serialized()
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    private static func collect(_ old: JSONValue, _ new: JSONValue, at pointer: String,
                                into changes: inout [ContractDiff.Change]) {
        // JSONValue equality ignores member order and compares numbers by value.
        if old == new { return }
        switch (old, new) {
        case (.object(let a), .object(let b)):
            for key in a.keys.mergedInOrder(with: b.keys) {
                let member = JSONPointer.appending(pointer, key)
                switch (a[key], b[key]) {
                case (let x?, let y?): collect(x, y, at: member, into: &changes)
                case (let x?, nil): changes.append(removed(x, at: member))
                case (nil, let y?): changes.append(added(y, at: member))
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)):
            for index in 0..<max(a.count, b.count) {
                let element = JSONPointer.appending(pointer, index)
                if index >= b.count {
                    changes.append(removed(a[index], at: element))
                } else if index >= a.count {
                    changes.append(added(b[index], at: element))
                } else {
                    collect(a[index], b[index], at: element, into: &changes)
                }
            }
        default:
            changes.append(ContractDiff.Change(pointer: pointer, kind: .changed, old: excerpt(old), new: excerpt(new)))
        }
    }

    private static func added(_ value: JSONValue, at pointer: String) -> ContractDiff.Change {
        ContractDiff.Change(pointer: pointer, kind: .added, old: nil, new: excerpt(value))
    }

    private static func removed(_ value: JSONValue, at pointer: String) -> ContractDiff.Change {
        ContractDiff.Change(pointer: pointer, kind: .removed, old: excerpt(value), new: nil)
    }
}
