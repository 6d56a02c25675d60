/// A pattern of a compiled schema that runs on the backtracking engine (ICU within a step
/// budget) rather than in linear time; `ValidationOptions.allowsBacktrackingPatterns` false
/// refuses such schemas instead.
public struct BacktrackingPattern: Sendable, Hashable {
    /// Absolute location of the keyword: "uri#/pointer/pattern" or "uri#/pointer/patternProperties/name".
    public var location: String
    /// The pattern as written in the schema.
    public var pattern: String
    /// Why it needs backtracking, e.g. "it uses a backreference `\1` or `\k<name>`".
    public var reason: String
}

extension Validator {
    /// The schema's patterns that need the backtracking engine, in schema order, each location once.
    public var backtrackingPatterns: [BacktrackingPattern] {
        var found: [BacktrackingPattern] = []
        for node in program.nodes {
            for keyword in node.keywords {
                switch keyword {
                case .pattern(let pattern):
                    if let reason = pattern.backtrackingReason {
                        found.append(BacktrackingPattern(location: node.location + "/pattern", pattern: pattern.source, reason: reason))
                    }
                case .properties(let plan):
                    for (pattern, _) in plan.patterns {
                        guard let reason = pattern.backtrackingReason else { continue }
                        let location = JSONPointer.appending(node.location + "/patternProperties", pattern.source)
                        found.append(BacktrackingPattern(location: location, pattern: pattern.source, reason: reason))
                    }
                default:
                    break
                }
            }
        }
        return found
    }
}
