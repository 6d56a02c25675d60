extension Evaluator {
    /// Applies one keyword; false when it fails.
    mutating func apply(_ keyword: borrowing Keyword, _ node: Node, _ instance: JSONValue, _ evaluated: inout Evaluated?) -> Bool {
        switch keyword {
        case .falseSchema:
            return failFalseSchema(node)
        case .type(let mask):
            if mask.admits(instance) { return true }
            return fail(node, "type", "expected \(mask.names), found \(instance.typeName)")
        case .enumeration(let values):
            if Self.contains(values, instance) { return true }
            return fail(node, "enum", values.count <= 6
                ? "\(Self.brief(instance)) is not one of \(Self.brief(.array(values)))"
                : "\(Self.brief(instance)) is not one of the \(values.count) allowed values")
        case .const(let value):
            if value == instance { return true }
            return fail(node, "const", "\(Self.brief(instance)) does not equal \(Self.brief(value))")
        case .minimum(let limit, let exclusive):
            guard case .number(let n) = instance else { return true }
            let order = JSONNumber.compare(n, limit)
            if exclusive ? order > 0 : order >= 0 { return true }
            return fail(node, exclusive ? "exclusiveMinimum" : "minimum",
                        "\(n) is \(exclusive ? "not greater than" : "less than the minimum") \(limit)")
        case .maximum(let limit, let exclusive):
            guard case .number(let n) = instance else { return true }
            let order = JSONNumber.compare(n, limit)
            if exclusive ? order < 0 : order <= 0 { return true }
            return fail(node, exclusive ? "exclusiveMaximum" : "maximum",
                        "\(n) is \(exclusive ? "not less than" : "greater than the maximum") \(limit)")
        case .multipleOf(let divisor):
            guard case .number(let n) = instance, !n.isMultiple(of: divisor) else { return true }
            return fail(node, "multipleOf", "\(n) is not a multiple of \(divisor)")
        case .minLength(let limit):
            // A code point takes 1 to 4 UTF-8 bytes: most strings are decided by their byte count alone.
            guard case .string(let s) = instance, s.utf8.count < limit || (s.utf8.count < 4 * limit && s.unicodeScalars.count < limit)
            else { return true }
            return fail(node, "minLength", "\(Self.brief(instance)) is shorter than \(limit) characters")
        case .maxLength(let limit):
            guard case .string(let s) = instance, s.utf8.count > limit, s.unicodeScalars.count > limit else { return true }
            return fail(node, "maxLength", "\(Self.brief(instance)) is longer than \(limit) characters")
        case .pattern(let pattern):
            guard case .string(let s) = instance else { return true }
            switch pattern.verdict(s) {
            case .matches: return true
            case .doesNotMatch: return fail(node, "pattern", "\(Self.brief(instance)) does not match \(pattern.source)")
            case .undecided: return fail(node, "pattern", Self.undecided(instance, pattern))
            }
        case .format(let format):
            guard case .string(let s) = instance, !format.accepts(s) else { return true }
            return fail(node, "format", "\(Self.brief(instance)) is not a valid \(format.rawValue)")
        case .minItems(let limit):
            guard case .array(let a) = instance, a.count < limit else { return true }
            return fail(node, "minItems", "array has \(a.count) items, fewer than \(limit)")
        case .maxItems(let limit):
            guard case .array(let a) = instance, a.count > limit else { return true }
            return fail(node, "maxItems", "array has \(a.count) items, more than \(limit)")
        case .uniqueItems:
            guard case .array(let a) = instance, let (i, j) = Self.duplicate(in: a) else { return true }
            return fail(node, "uniqueItems", "items \(i) and \(j) are equal")
        case .minProperties(let limit):
            guard case .object(let o) = instance, o.count < limit else { return true }
            return fail(node, "minProperties", "object has \(o.count) properties, fewer than \(limit)")
        case .maxProperties(let limit):
            guard case .object(let o) = instance, o.count > limit else { return true }
            return fail(node, "maxProperties", "object has \(o.count) properties, more than \(limit)")
        case .required(let names):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for name in names where o.position(of: name) == nil {
                valid = fail(node, "required", "required property \"\(Self.truncated(name))\" is missing")
                if stopping { return false }
            }
            return valid
        case .dependentRequired(let entries):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (property, required) in entries where o.position(of: property) != nil {
                for name in required where o.position(of: name) == nil {
                    valid = fail(node, "dependentRequired",
                                 "property \"\(Self.truncated(property))\" requires property \"\(Self.truncated(name))\"")
                    if stopping { return false }
                }
            }
            return valid
        case .properties(let plan):
            return applyProperties(plan, node, instance, &evaluated)
        case .propertyNames(let index):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for key in o.keys where !child(index, .string(key), .key(key), "propertyNames", nil) {
                valid = false
                if stopping { return false }
            }
            return valid
        case .dependentSchemas(let entries):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (property, index) in entries where o.position(of: property) != nil {
                if !inPlace(index, instance, &evaluated, "dependentSchemas", .key(property)) {
                    valid = false
                    if stopping { return false }
                }
            }
            return valid
        case .items(let prefix, let rest):
            return applyItems(prefix: prefix, rest: rest, instance, &evaluated)
        case .contains(let index, let minimum, let maximum):
            return applyContains(index, minimum: minimum, maximum: maximum, node, instance, &evaluated)
        case .ref(let index):
            return inPlace(index, instance, &evaluated, "$ref", nil)
        case .dynamicRef(let index, let anchor):
            return inPlace(dynamicTarget(index, anchor: anchor), instance, &evaluated, "$dynamicRef", nil)
        case .allOf(let indices):
            var valid = true
            for (i, index) in indices.enumerated() where !inPlace(index, instance, &evaluated, "allOf", .index(i)) {
                valid = false
                if stopping { return false }
            }
            return valid
        case .anyOf(let indices):
            return applyAnyOf(indices, node, instance, &evaluated)
        case .oneOf(let indices):
            return applyOneOf(indices, node, instance, &evaluated)
        case .not(let index):
            var none: Evaluated? = nil
            if !quietly(index, instance, &none) { return true }
            return fail(node, "not", "value must not match the schema in \"not\"")
        case .conditional(let condition, let then, let otherwise):
            // Without branches `if` only contributes annotations.
            if then == nil, otherwise == nil, evaluated == nil { return true }
            var branch: Evaluated? = evaluated == nil ? nil : Evaluated()
            if quietly(condition, instance, &branch) {
                if let branch { evaluated?.merge(branch) }
                guard let then else { return true }
                return inPlace(then, instance, &evaluated, "then", nil)
            }
            guard let otherwise else { return true }
            return inPlace(otherwise, instance, &evaluated, "else", nil)
        case .unevaluatedProperties(let index):
            guard case .object(let o) = instance else { return true }
            var valid = true
            if evaluated?.allProperties != true {
                let seen = evaluated?.properties ?? []
                for (key, value) in o where !seen.contains(CodePointKey(key)) {
                    if !child(index, value, .key(key), "unevaluatedProperties", nil) {
                        valid = false
                        if stopping { return false }
                    }
                }
            }
            evaluated?.allProperties = true
            return valid
        case .unevaluatedItems(let index):
            guard case .array(let a) = instance else { return true }
            var valid = true
            if evaluated?.allItems != true {
                let prefix = evaluated?.prefix ?? 0
                let seen = evaluated?.indices ?? []
                for i in a.indices where i >= prefix && !seen.contains(i) {
                    if !child(index, a[i], .index(i), "unevaluatedItems", nil) {
                        valid = false
                        if stopping { return false }
                    }
                }
            }
            evaluated?.allItems = true
            return valid
        }
    }

    private mutating func applyProperties(_ plan: PropertiesPlan, _ node: Node, _ instance: JSONValue, _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var valid = true
        let collecting = evaluated != nil
        let keys = o.keyList, values = o.valueList
        var hint = 0
        for i in 0..<keys.count {
            let key = keys[i]
            var matched = false
            if let index = plan.node(named: key, hint: &hint) {
                matched = true
                if !child(index, values[i], .key(key), "properties", .key(key)) {
                    valid = false
                    if stopping { return false }
                }
            }
            for (pattern, index) in plan.patterns {
                switch pattern.verdict(key) {
                case .doesNotMatch: continue
                case .matches:
                    matched = true
                    if !child(index, values[i], .key(key), "patternProperties", .key(pattern.source)) {
                        valid = false
                        if stopping { return false }
                    }
                case .undecided:
                    // Neither matched nor not: the member is refused rather than let through unchecked.
                    matched = true
                    valid = fail(node, "patternProperties", Self.undecided(.string(key), pattern))
                    if stopping { return false }
                }
            }
            if !matched, let index = plan.additional {
                if !child(index, values[i], .key(key), "additionalProperties", nil) {
                    valid = false
                    if stopping { return false }
                }
            }
            if collecting, matched { evaluated!.properties.insert(CodePointKey(key)) }
        }
        if collecting, plan.additional != nil { evaluated!.allProperties = true }
        return valid
    }

    private mutating func applyItems(prefix: [Int], rest: Int?, _ instance: JSONValue, _ evaluated: inout Evaluated?) -> Bool {
        guard case .array(let a) = instance else { return true }
        var valid = true
        let prefixCount = min(prefix.count, a.count)
        for i in 0..<prefixCount where !child(prefix[i], a[i], .index(i), "prefixItems", .index(i)) {
            valid = false
            if stopping { return false }
        }
        if let rest {
            for i in prefixCount..<a.count where !child(rest, a[i], .index(i), "items", nil) {
                valid = false
                if stopping { return false }
            }
            if evaluated != nil { evaluated!.allItems = true }
        } else if evaluated != nil {
            evaluated!.prefix = max(evaluated!.prefix, prefixCount)
        }
        return valid
    }

    private mutating func applyContains(_ index: Int, minimum: Int, maximum: Int?, _ node: Node, _ instance: JSONValue,
                                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .array(let a) = instance else { return true }
        var matches = 0
        let exhaustive = evaluated != nil || maximum != nil
        for (i, element) in a.enumerated() {
            var none: Evaluated? = nil
            if quietly(index, element, &none) {
                matches += 1
                evaluated?.indices.insert(i)
                if !exhaustive, matches >= minimum { return true }
            }
        }
        if matches < minimum {
            return fail(node, minimum == 1 ? "contains" : "minContains", minimum == 1
                ? "no item matches the \"contains\" schema"
                : "\(matches) items match the \"contains\" schema, fewer than \(minimum)")
        }
        if let maximum, matches > maximum {
            return fail(node, "maxContains", "\(matches) items match the \"contains\" schema, more than \(maximum)")
        }
        return true
    }

    private mutating func applyAnyOf(_ indices: [Int], _ node: Node, _ instance: JSONValue, _ evaluated: inout Evaluated?) -> Bool {
        var matched = false
        for index in indices {
            var branch: Evaluated? = evaluated == nil ? nil : Evaluated()
            if quietly(index, instance, &branch) {
                matched = true
                guard let branch else { break }
                evaluated!.merge(branch)
            }
        }
        if matched { return true }
        return reportBranches(indices, node, "anyOf", instance, "value matches none of the \(indices.count) alternatives in \"anyOf\"")
    }

    private mutating func applyOneOf(_ indices: [Int], _ node: Node, _ instance: JSONValue, _ evaluated: inout Evaluated?) -> Bool {
        // The first two matching alternatives are all a message needs (no array per evaluation).
        var matchCount = 0, first = -1, second = -1
        var kept: Evaluated?
        for i in 0..<indices.count {
            var branch: Evaluated? = evaluated == nil ? nil : Evaluated()
            if quietly(indices[i], instance, &branch) {
                matchCount += 1
                if first < 0 { first = i } else if second < 0 { second = i }
                kept = branch
                if matchCount > 1 { break }
            }
        }
        if matchCount == 1 {
            if let kept { evaluated?.merge(kept) }
            return true
        }
        if matchCount == 0 {
            return reportBranches(indices, node, "oneOf", instance, "value matches none of the \(indices.count) alternatives in \"oneOf\"")
        }
        return fail(node, "oneOf", "value matches alternatives \(first) and \(second) in \"oneOf\"; exactly one must match")
    }

    /// Reports an applicator failure and, below it, why each alternative failed.
    private mutating func reportBranches(_ indices: [Int], _ node: Node, _ keyword: String, _ instance: JSONValue, _ message: String) -> Bool {
        guard reporting else { return false }
        _ = fail(node, keyword, message)
        for (i, index) in indices.enumerated() {
            var none: Evaluated? = nil
            _ = inPlace(index, instance, &none, keyword, .index(i))
        }
        return false
    }

    /// Whether `values` holds `instance`; strings (most enums) compare without the generic `==`.
    @inline(__always)
    static func contains(_ values: [JSONValue], _ instance: JSONValue) -> Bool {
        guard case .string(let text) = instance else { return values.contains(instance) }
        return values.withUnsafeBufferPointer { values in
            for value in values {
                if case .string(let candidate) = value, CodePointKey.equal(candidate, text) {
                    return true
                }
            }
            return false
        }
    }

    /// The first pair of equal elements, if any.
    static func duplicate(in array: [JSONValue]) -> (Int, Int)? {
        if array.count < 16 {
            for i in array.indices {
                for j in (i + 1)..<array.count where array[i] == array[j] { return (i, j) }
            }
            return nil
        }
        var seen: [JSONValue: Int] = [:]
        for (j, element) in array.enumerated() {
            if let i = seen.updateValue(j, forKey: element) { return (i, j) }
        }
        return nil
    }
}
