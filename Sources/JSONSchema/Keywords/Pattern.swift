import Foundation

/// A compiled regular expression (ECMA-262 flavour translated to ICU), built once per schema.
/// A class so that using it costs one retain, not one per field.
final class Pattern: Sendable {
    let source: String
    let regex: NSRegularExpression
    /// Set when the pattern is simple enough to match without ICU (most contract patterns are).
    let simple: SimplePattern?

    init(source: String) throws {
        self.source = source
        regex = try ECMARegex.compile(source)
        simple = SimplePattern(source)
    }

    @inline(__always)
    func matches(_ text: String) -> Bool {
        if let simple { return simple.matches(text) }
        return regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}
