/// A compiled `pattern` (or `patternProperties` name), built once per schema. A class so that
/// using it costs one retain, not one per field.
///
/// It runs on the first engine that can take it:
///
/// | engine | takes | cost per match |
/// |---|---|---|
/// | `SimplePattern` | literals, classes and quantified single characters, anchored or not (most contract patterns) | linear, no allocation |
/// | `RE2Program` | every other valid ECMA-262 pattern RE2 can express (`RE2Translation`) | linear |
/// | `ICUPattern` | backreferences, lookaround, the `m` modifier, bounds above 1000, and patterns that are not valid ECMA-262 but that ICU reads | bounded by a step budget; `undecided` past it |
///
/// Only the last can take more than linear time, so `backtrackingReason` says when a pattern
/// needs it, and `ValidationOptions.allowsBacktrackingPatterns` can refuse such schemas.
final class Pattern: Sendable {
    /// What matching one string found.
    enum Verdict: Sendable, Equatable {
        case matches, doesNotMatch
        /// The backtracking engine's step budget ran out before it knew.
        case undecided
    }

    /// Why a pattern cannot be compiled at all.
    struct Invalid: Error, Sendable {}

    private enum Engine: Sendable {
        case simple(SimplePattern)
        case linear(RE2Program)
        case backtracking(ICUPattern)
    }

    let source: String
    private let engine: Engine
    /// Why the pattern runs on the backtracking engine (for a schema author to read); nil when
    /// it runs in linear time.
    let backtrackingReason: String?

    init(source: String) throws(Invalid) {
        self.source = source
        guard let tree = ECMAPatternSyntax.parse(source) else {
            // Not ECMA-262: read as ICU reads it, for schemas that allow it.
            engine = .backtracking(try Self.icu(source, ecmaScript: false))
            backtrackingReason = "it is not a valid ECMA-262 pattern in Unicode mode"
            return
        }
        if let simple = SimplePattern(source) {
            engine = .simple(simple)
            backtrackingReason = nil
            return
        }
        let translated: String
        do {
            translated = try RE2Translation.translate(tree)
        } catch {
            engine = .backtracking(try Self.icu(source))
            backtrackingReason = "it uses \(error.reason)"
            return
        }
        do {
            engine = .linear(try RE2Program(translated))
            backtrackingReason = nil
        } catch {
            engine = .backtracking(try Self.icu(source))
            backtrackingReason = "RE2 refuses it (\(error.message))"
        }
    }

    private static func icu(_ source: String, ecmaScript: Bool = true) throws(Invalid) -> ICUPattern {
        do {
            return try ICUPattern(source, ecmaScript: ecmaScript)
        } catch {
            throw Invalid()
        }
    }

    /// Whether the pattern matches somewhere in `text` (ECMA-262 `RegExp.prototype.test`).
    @inline(__always)
    func verdict(_ text: String) -> Verdict {
        switch engine {
        case .simple(let simple): return simple.matches(text) ? .matches : .doesNotMatch
        case .linear(let program): return program.matches(text) ? .matches : .doesNotMatch
        case .backtracking(let icu):
            switch icu.match(text) {
            case .matched: return .matches
            case .notMatched: return .doesNotMatch
            case .undecided: return .undecided
            }
        }
    }

    /// Whether the pattern certainly matches somewhere in `text`; an undecided match is false.
    @inline(__always)
    func matches(_ text: String) -> Bool {
        verdict(text) == .matches
    }
}

/// The engines of ``Pattern`` side by side, for the package's own checks.
package enum PatternEngines {
    /// The verdict on `text` of every engine that takes `source`, by engine (`simple`, `re2`,
    /// `icu`), for a valid ECMA-262 pattern (empty otherwise); an ICU match left undecided by its
    /// step budget is left out. Where two engines take a pattern they must agree: the
    /// `pattern-engines` fuzz target checks that.
    package static func verdicts(_ source: String, on text: String) -> [String: Bool] {
        guard let tree = ECMAPatternSyntax.parse(source) else { return [:] }
        var verdicts: [String: Bool] = [:]
        if let simple = SimplePattern(source) { verdicts["simple"] = simple.matches(text) }
        if let translated = try? RE2Translation.translate(tree), let program = try? RE2Program(translated) {
            verdicts["re2"] = program.matches(text)
        }
        if let icu = try? ICUPattern(source) {
            switch icu.match(text) {
            case .matched: verdicts["icu"] = true
            case .notMatched: verdicts["icu"] = false
            case .undecided: break
            }
        }
        return verdicts
    }
}
