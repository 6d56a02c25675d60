import JSONSchema
import Yams

/// Turns YAML text into a `JSONValue`, resolving plain scalars by the YAML 1.2 core schema.
///
/// Mapping keys are read as strings whatever they look like (`200:` is the key `"200"`): OpenAPI 3.1
/// asks for keys "limited to a scalar string, as defined by the YAML Failsafe schema ruleset".
/// Keys that are collections or repeat in one mapping are refused, with their location.
enum YAMLReader {
    /// Upper bound on values produced, so a document of nested aliases cannot exhaust memory.
    static let maximumValues = 200_000
    /// Upper bound on nesting.
    static let maximumDepth = 256

    /// The JSON value of the single YAML document in `text`, and where each value came from.
    static func read(_ text: String) throws(ContractError) -> (JSONValue, SourceMap) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw ContractError(.syntax, at: "", "the YAML text could not be parsed")
        }
        guard let root else {
            throw ContractError(.syntax, at: "", "the document is empty")
        }
        var converter = Converter()
        let value = try converter.convert(root, at: "", depth: 0)
        return (value, converter.sourceMap)
    }

    private static func syntaxError(_ error: YamlError) -> ContractError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return ContractError(.syntax, at: "", line: mark.line, column: mark.column,
                                 "YAML: \(problem)", underlying: SendableDescription(error))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ContractError(.syntax, at: "", line: context.mark.line, column: context.mark.column,
                                 "YAML: duplicate key \(keys) in one mapping")
        case .reader(let problem, _, _, _):
            return ContractError(.syntax, at: "", "YAML: \(problem)")
        default:
            return ContractError(.syntax, at: "", "the YAML text could not be parsed",
                                 underlying: SendableDescription(error))
        }
    }

    private struct Converter {
        var sourceMap = SourceMap()
        var produced = 0

        mutating func convert(_ node: Node, at pointer: String, depth: Int) throws(ContractError) -> JSONValue {
            produced += 1
            guard produced <= YAMLReader.maximumValues else {
                throw fault(node, pointer, "the document expands to more than \(YAMLReader.maximumValues) values")
            }
            guard depth <= YAMLReader.maximumDepth else {
                throw fault(node, pointer, "the document nests deeper than \(YAMLReader.maximumDepth) levels")
            }
            if let mark = node.mark { sourceMap.record(pointer, line: mark.line, column: mark.column) }
            switch node {
            case .scalar(let scalar):
                do {
                    return try ScalarResolution.value(of: scalar)
                } catch {
                    throw fault(node, pointer, error.message)
                }
            case .sequence(let sequence):
                try requireTag(node, sequence.tag, "tag:yaml.org,2002:seq", pointer)
                var items: [JSONValue] = []
                items.reserveCapacity(sequence.count)
                for (index, item) in sequence.enumerated() {
                    items.append(try convert(item, at: JSONPointer.appending(pointer, index), depth: depth + 1))
                }
                return .array(items)
            case .mapping(let mapping):
                try requireTag(node, mapping.tag, "tag:yaml.org,2002:map", pointer)
                var object = JSONObject()
                for (keyNode, valueNode) in mapping {
                    let key = try self.key(keyNode, in: pointer)
                    let childPointer = JSONPointer.appending(pointer, key)
                    guard object[key] == nil else {
                        throw fault(keyNode, childPointer, "duplicate key '\(key)'")
                    }
                    object[key] = try convert(valueNode, at: childPointer, depth: depth + 1)
                }
                return .object(object)
            case .alias:
                throw fault(node, pointer, "unresolved YAML alias")
            }
        }

        /// Any scalar key is read as its text (the failsafe schema), whatever its tag: Yams resolves
        /// key tags while checking for duplicates, so an implicit `200` and an explicit `!!int 200`
        /// cannot be told apart here.
        private func key(_ node: Node, in pointer: String) throws(ContractError) -> String {
            guard case .scalar(let scalar) = node else {
                throw fault(node, pointer, "a mapping key must be a string, not a collection")
            }
            if scalar.style == .plain && scalar.string == "<<" {
                throw fault(node, pointer, "merge keys ('<<') are YAML 1.1 and not supported")
            }
            return scalar.string
        }

        private func requireTag(_ node: Node, _ tag: Tag, _ expected: String, _ pointer: String) throws(ContractError) {
            let name = tag.description
            guard name.isEmpty || name == "!" || name == expected else {
                throw fault(node, pointer, "tag \(ScalarResolution.shortTag(name)) is not supported")
            }
        }

        private func fault(_ node: Node, _ pointer: String, _ message: String) -> ContractError {
            ContractError(.syntax, at: pointer, line: node.mark?.line, column: node.mark?.column, message)
        }

    }
}
