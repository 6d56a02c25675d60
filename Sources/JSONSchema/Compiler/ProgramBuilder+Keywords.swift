import Foundation

extension ProgramBuilder {
    /// Compiles the keywords of one schema object, cheapest assertions first, `unevaluated*` last.
    mutating func compileKeywords(_ c: inout KeywordContext) throws(SchemaError) -> [Keyword] {
        var keywords: [Keyword] = []
        let o = c.object
        if c.vocabularies.contains(.validation) {
            if let type = o["type"] { keywords.append(try typeKeyword(type, c)) }
            if let value = o["const"] { keywords.append(.const(value)) }
            if let value = o["enum"] {
                guard case .array(let values) = value else { throw invalid("enum must be an array", c, "enum") }
                keywords.append(.enumeration(values))
            }
            if let n = try number("minimum", c) { keywords.append(.minimum(n, exclusive: false)) }
            if let n = try number("exclusiveMinimum", c) { keywords.append(.minimum(n, exclusive: true)) }
            if let n = try number("maximum", c) { keywords.append(.maximum(n, exclusive: false)) }
            if let n = try number("exclusiveMaximum", c) { keywords.append(.maximum(n, exclusive: true)) }
            if let n = try number("multipleOf", c) {
                guard n > JSONNumber(0) else { throw invalid("multipleOf must be greater than 0", c, "multipleOf") }
                keywords.append(.multipleOf(n))
            }
            if let n = try count("minLength", c) { keywords.append(.minLength(n)) }
            if let n = try count("maxLength", c) { keywords.append(.maxLength(n)) }
            if let value = o["pattern"] {
                guard case .string(let source) = value else { throw invalid("pattern must be a string", c, "pattern") }
                keywords.append(.pattern(try pattern(source, c, "pattern")))
            }
            if let n = try count("minItems", c) { keywords.append(.minItems(n)) }
            if let n = try count("maxItems", c) { keywords.append(.maxItems(n)) }
            if let value = o["uniqueItems"] {
                guard case .bool(let unique) = value else { throw invalid("uniqueItems must be a boolean", c, "uniqueItems") }
                if unique { keywords.append(.uniqueItems) }
            }
            if let n = try count("minProperties", c) { keywords.append(.minProperties(n)) }
            if let n = try count("maxProperties", c) { keywords.append(.maxProperties(n)) }
            if let value = o["required"] { keywords.append(.required(try strings(value, c, "required"))) }
            if case .object(let map)? = o["dependentRequired"] {
                var entries: [(String, [String])] = []
                for (name, value) in map { entries.append((name, try strings(value, c, "dependentRequired", name))) }
                keywords.append(.dependentRequired(entries))
            } else if o["dependentRequired"] != nil {
                throw invalid("dependentRequired must be an object", c, "dependentRequired")
            }
        }
        if let value = o["format"] {
            guard case .string(let name) = value else { throw invalid("format must be a string", c, "format") }
            if options.formatAssertion || c.vocabularies.contains(.formatAssertion), let format = Format(rawValue: name) {
                keywords.append(.format(format))
            }
        }
        if c.vocabularies.contains(.applicator) {
            try compileApplicators(&keywords, c)
        }
        try compileReferences(&keywords, c)
        if c.vocabularies.contains(.unevaluated) {
            if let value = o["unevaluatedProperties"] { keywords.append(.unevaluatedProperties(try subschema(value, c, "unevaluatedProperties"))) }
            if let value = o["unevaluatedItems"] { keywords.append(.unevaluatedItems(try subschema(value, c, "unevaluatedItems"))) }
        }
        return keywords
    }

    private mutating func compileApplicators(_ keywords: inout [Keyword], _ c: KeywordContext) throws(SchemaError) {
        let o = c.object
        var named: [(name: String, node: Int)] = []
        var patterns: [(pattern: Pattern, node: Int)] = []
        var additional: Int?
        if let value = o["properties"] { named = try subschemaMap(value, c, "properties") }
        if let value = o["patternProperties"] {
            for (source, node) in try subschemaMap(value, c, "patternProperties") {
                patterns.append((try pattern(source, c, "patternProperties", source), node))
            }
        }
        if let value = o["additionalProperties"] { additional = try subschema(value, c, "additionalProperties") }
        if !named.isEmpty || !patterns.isEmpty || additional != nil {
            keywords.append(.properties(PropertiesPlan(named: named, patterns: patterns, additional: additional)))
        }
        if let value = o["propertyNames"] { keywords.append(.propertyNames(try subschema(value, c, "propertyNames"))) }
        if let value = o["dependentSchemas"] {
            keywords.append(.dependentSchemas(try subschemaMap(value, c, "dependentSchemas").map { ($0.name, $0.node) }))
        }
        var prefix: [Int] = []
        if let value = o["prefixItems"] { prefix = try subschemaArray(value, c, "prefixItems") }
        var rest: Int?
        if let value = o["items"] { rest = try subschema(value, c, "items") }
        if !prefix.isEmpty || rest != nil { keywords.append(.items(prefix: prefix, rest: rest)) }
        if let value = o["contains"] {
            let node = try subschema(value, c, "contains")
            let minimum = c.vocabularies.contains(.validation) ? try count("minContains", c) ?? 1 : 1
            let maximum = c.vocabularies.contains(.validation) ? try count("maxContains", c) : nil
            keywords.append(.contains(node, min: minimum, max: maximum))
        }
        if let value = o["allOf"] { keywords.append(.allOf(try subschemaArray(value, c, "allOf"))) }
        if let value = o["anyOf"] { keywords.append(.anyOf(try subschemaArray(value, c, "anyOf"))) }
        if let value = o["oneOf"] { keywords.append(.oneOf(try subschemaArray(value, c, "oneOf"))) }
        if let value = o["not"] { keywords.append(.not(try subschema(value, c, "not"))) }
        if let value = o["if"] {
            let condition = try subschema(value, c, "if")
            let then = try o["then"].map { (v) throws(SchemaError) in try subschema(v, c, "then") }
            let otherwise = try o["else"].map { (v) throws(SchemaError) in try subschema(v, c, "else") }
            keywords.append(.conditional(if: condition, then: then, else: otherwise))
        } else {
            // Still compiled so that their own faults are reported.
            if let value = o["then"] { _ = try subschema(value, c, "then") }
            if let value = o["else"] { _ = try subschema(value, c, "else") }
        }
    }

    private mutating func compileReferences(_ keywords: inout [Keyword], _ c: KeywordContext) throws(SchemaError) {
        if let value = c.object["$defs"] { _ = try subschemaMap(value, c, "$defs") }
        if let value = c.object["$ref"] {
            guard case .string(let reference) = value else { throw invalid("$ref must be a string", c, "$ref") }
            keywords.append(.ref(try compileReference(reference, base: c.base, at: c.location.appending("$ref")).node))
        }
        if let value = c.object["$dynamicRef"] {
            guard case .string(let reference) = value else { throw invalid("$dynamicRef must be a string", c, "$dynamicRef") }
            let (node, uri, target) = try compileReference(reference, base: c.base, at: c.location.appending("$dynamicRef"))
            let (resource, fragment) = URIReference.splitFragment(uri)
            // Only a reference whose static target carries the same $dynamicAnchor ("bookending") is dynamic.
            let dynamic = JSONPointer.tokens(fragment) == nil && isDynamicAnchor(fragment, resource: resource, at: target)
            keywords.append(.dynamicRef(node, anchor: dynamic ? fragment : nil))
        }
    }

    private mutating func typeKeyword(_ value: JSONValue, _ c: KeywordContext) throws(SchemaError) -> Keyword {
        var names: [String] = []
        switch value {
        case .string(let name): names = [name]
        case .array(let elements):
            for element in elements {
                guard case .string(let name) = element else { throw invalid("type entries must be strings", c, "type") }
                names.append(name)
            }
        default: throw invalid("type must be a string or an array of strings", c, "type")
        }
        var mask: TypeMask = []
        for name in names {
            guard let t = TypeMask(name: name) else { throw invalid("unknown type \"\(name)\"", c, "type") }
            mask.insert(t)
        }
        return .type(mask)
    }

    private func number(_ key: String, _ c: KeywordContext) throws(SchemaError) -> JSONNumber? {
        guard let value = c.object[key] else { return nil }
        guard case .number(let n) = value else { throw invalid("\(key) must be a number", c, key) }
        return n
    }

    private func count(_ key: String, _ c: KeywordContext) throws(SchemaError) -> Int? {
        guard let value = c.object[key] else { return nil }
        // Written without `guard case … else throw`: that shape crashed the 6.3 optimizer (CopyPropagation).
        if case .number(let n) = value, n.isInteger, JSONNumber.compare(n, JSONNumber(0)) >= 0 {
            if let exact = n.int64Value { return Int(clamping: exact) }
            return Int.max
        }
        throw invalid("\(key) must be a non-negative integer", c, key)
    }

    private func strings(_ value: JSONValue, _ c: KeywordContext, _ path: String...) throws(SchemaError) -> [String] {
        guard case .array(let elements) = value else { throw invalid("must be an array of strings", c, path) }
        var result: [String] = []
        for element in elements {
            guard case .string(let s) = element else { throw invalid("must be an array of strings", c, path) }
            result.append(s)
        }
        // Unique as code points: ["Kind", "\u{212A}ind"] names two properties.
        guard Set(result.lazy.map(CodePointKey.init)).count == result.count else { throw invalid("entries must be unique", c, path) }
        return result
    }

    private mutating func pattern(_ source: String, _ c: KeywordContext, _ path: String...) throws(SchemaError) -> Pattern {
        let compiled: Pattern
        if let cached = patternCache[CodePointKey(source)] {
            compiled = cached
        } else {
            do {
                compiled = try Pattern(source: source)
            } catch {
                var failure = invalid("invalid regular expression", c, path)
                failure.code = .invalidRegex
                throw failure
            }
            patternCache[CodePointKey(source)] = compiled
        }
        if !options.allowsBacktrackingPatterns, let reason = compiled.backtrackingReason {
            var failure = invalid(
                "the pattern needs a backtracking regular expression engine, which can take exponential time, because \(reason); "
                    + "only patterns that match in linear time are accepted", c, path)
            failure.code = .backtrackingRegex
            throw failure
        }
        return compiled
    }

    mutating func subschema(_ value: JSONValue, _ c: KeywordContext, _ path: String...) throws(SchemaError) -> Int {
        try compile(value, at: SchemaLocation(document: c.location.document, pointer: c.location.pointer + path),
                    base: c.base, vocabularies: c.vocabularies)
    }

    private mutating func subschemaArray(_ value: JSONValue, _ c: KeywordContext, _ key: String) throws(SchemaError) -> [Int] {
        guard case .array(let elements) = value, !elements.isEmpty else { throw invalid("\(key) must be a non-empty array of schemas", c, key) }
        var result: [Int] = []
        for (i, element) in elements.enumerated() { result.append(try subschema(element, c, key, String(i))) }
        return result
    }

    /// The subschemas of an object of schemas (`properties`, `$defs`…), in schema order.
    private mutating func subschemaMap(_ value: JSONValue, _ c: KeywordContext,
                                       _ key: String) throws(SchemaError) -> [(name: String, node: Int)] {
        guard case .object(let map) = value else { throw invalid("\(key) must be an object of schemas", c, key) }
        var result: [(name: String, node: Int)] = []
        result.reserveCapacity(map.count)
        for (name, element) in map { result.append((name, try subschema(element, c, key, name))) }
        return result
    }

    private func invalid(_ message: String, _ c: KeywordContext, _ path: String...) -> SchemaError {
        invalid(message, c, path)
    }

    private func invalid(_ message: String, _ c: KeywordContext, _ path: [String]) -> SchemaError {
        error(.invalidKeyword, message, at: SchemaLocation(document: c.location.document, pointer: c.location.pointer + path))
    }
}
